#include "support/fixtures.hpp"

#include <unistd.h>

#include <atomic>
#include <random>

namespace hyperplume::test {
namespace fs = std::filesystem;

TempDir::TempDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  path_ = fs::temp_directory_path() / ("hyperplume-test-" + tag + "-" + std::to_string(::getpid()) +
                                       "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

const Resources& resources() {
  static const Resources r = Resources::locate("");
  return r;
}

const synth::SynthModels& models() {
  static const synth::SynthModels m = synth::SynthModels::load(resources());
  return m;
}

spectral::BandSet emit_window(double lo, double hi) {
  spectral::BandSet w;
  const auto& bands = models().bands;
  for (std::size_t b = 0; b < bands.centres.size(); ++b)
    if (bands.centres[b] >= lo && bands.centres[b] <= hi) {
      w.centres.push_back(bands.centres[b]);
      w.fwhm.push_back(bands.fwhm[b]);
    }
  return w;
}

synth::SynthOptions small_campaign_options(const std::string& out_dir) {
  synth::SynthOptions o;
  o.out_dir = out_dir;
  o.seed = 7;
  o.rows = 48;
  o.cols = 48;
  o.facilities = 1;
  o.scenes_per_facility = 3;
  o.sources_per_scene = 1;
  o.plume_free = 1;
  o.emission_min = 3000;
  o.emission_max = 8000;
  o.threads = 2;
  return o;
}

const synth::CampaignResult& small_campaign() {
  static TempDir dir("campaign");
  static const synth::CampaignResult r = [] {
    synth::CampaignWriteOptions w;
    w.water_posting = 2e-4;
    return synth::write_campaign(small_campaign_options(dir.str("l1")), resources(), w);
  }();
  return r;
}

synth::SynthOptions single_scene_options(std::uint64_t seed, int rows, int cols) {
  synth::SynthOptions o;
  o.seed = seed;
  o.rows = rows;
  o.cols = cols;
  o.facilities = 1;
  o.scenes_per_facility = 1;
  return o;
}

InMemoryScene render_scene(synth::SynthOptions options, int scene_index) {
  if (options.out_dir.empty()) options.out_dir = "unused";
  InMemoryScene s;
  s.plan = std::make_unique<synth::CampaignPlan>(synth::plan_campaign(options));
  const auto& sp = s.plan->scenes.at(static_cast<std::size_t>(scene_index));
  s.site = std::make_unique<synth::Site>(synth::make_site(
      models(), *s.plan, s.plan->facilities[static_cast<std::size_t>(sp.facility)]));
  s.scene = std::make_unique<synth::SceneSynthesizer>(models(), *s.plan, *s.site, sp);
  s.radiance.resize(static_cast<std::size_t>(options.rows) * options.cols * s.scene->bands());
  s.scene->render_rows(0, options.rows, s.radiance.data(),
                       options.threads > 0 ? options.threads : 2);
  return s;
}

}  // namespace hyperplume::test
