#pragma once
// Shared test fixtures: temporary directories, the resources, and small synthetic scenes
// and campaigns generated in-process (cached per test process).
#include <filesystem>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/synth/campaign_writer.hpp>
#include <hyperplume/synth/scene_synthesizer.hpp>
#include <string>

namespace hyperplume::test {

class TempDir {
 public:
  explicit TempDir(const std::string& tag);
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::string str(const std::string& child = "") const {
    return child.empty() ? path_.string() : (path_ / child).string();
  }

 private:
  std::filesystem::path path_;
};

const Resources& resources();
const synth::SynthModels& models();

// Options of the standard small campaign (3 scenes, 48 x 48, one plume-free).
synth::SynthOptions small_campaign_options(const std::string& out_dir);
// Written once per process into a temporary directory.
const synth::CampaignResult& small_campaign();

// One facility, one scene of rows x cols: what the in-memory scene tests start from.
synth::SynthOptions single_scene_options(std::uint64_t seed, int rows, int cols);

// EMIT band centres and FWHM within [lo, hi] nm.
spectral::BandSet emit_window(double lo, double hi);

// A scene rendered in memory (no files), with everything the tests compare against.
struct InMemoryScene {
  std::unique_ptr<synth::CampaignPlan> plan;  // heap: the synthesizer keeps references
  std::unique_ptr<synth::Site> site;
  std::unique_ptr<synth::SceneSynthesizer> scene;
  std::vector<float> radiance;  // rows x cols x bands, file order
};
InMemoryScene render_scene(synth::SynthOptions options, int scene_index = 0);

}  // namespace hyperplume::test
