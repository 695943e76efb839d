#include <algorithm>
#include <cmath>
#include <filesystem>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/synth_command.hpp>
#include <hyperplume/app/validate_command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <hyperplume/sensor/discovery.hpp>
#include <hyperplume/par/comm.hpp>
#include <hyperplume/pipeline/campaign.hpp>
#include <hyperplume/pipeline/detection_validation.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/pipeline/validation.hpp>
#include <hyperplume/synth/campaign_writer.hpp>
#include <iostream>

namespace hyperplume::app {
namespace fs = std::filesystem;

namespace {
// One synthetic campaign of the benchmark: a kind of scene on one kind of ground.
struct BatchPlan {
  std::string name, kind, surface;
  synth::SynthOptions synth;
};

constexpr double kDarkGround = 0.4;  // reflectance scale of the dark-surface batches

// The grid of conditions: plume scenes in batches alternating bright and dark ground (Q
// log-uniform 0.5-20 t/h, 10 m wind 2-8 m/s, lakes and rivers near the sources as every
// synthetic site has), then plume-free scenes with markers at their sources and sign-flipped
// injections. Each batch has its own place (its own water-mask tile) and dates (its own
// reanalysis files), all in one ancillary directory.
std::vector<BatchPlan> plan_batches(const po::variables_map& vm, const fs::path& out) {
  const int plumes = vm["plumes"].as<int>(), per_batch = vm["batch"].as<int>();
  const int free = vm["plume-free"].as<int>(), flipped = vm["sign-flipped"].as<int>();
  const int control_cols = vm.count("control-cols") ? vm["control-cols"].as<int>() : vm["cols"].as<int>();
  if (control_cols < 16) throw UsageError("--control-cols must be at least 16");
  if (plumes < 1) throw UsageError("--plumes must be at least 1");
  if (per_batch < 1 || per_batch > 99) throw UsageError("--batch must be between 1 and 99");
  if (free < 0 || flipped < 0) throw UsageError("--plume-free and --sign-flipped must be >= 0");
  std::vector<BatchPlan> batches;
  auto add = [&](const std::string& kind, const std::string& surface, int scenes) {
    const int i = static_cast<int>(batches.size());
    BatchPlan b;
    b.name = "batch" + std::to_string(i) + "_" + kind + "_" + surface;
    b.kind = kind;
    b.surface = surface;
    synth::SynthOptions& o = b.synth;
    o.out_dir = (out / "scenes" / b.name).string();
    o.ancillary_dir = (out / "scenes" / "ancillary").string();
    o.seed = vm["seed"].as<std::uint64_t>() * 1000 + static_cast<std::uint64_t>(i);
    o.rows = vm["rows"].as<int>();
    o.cols = kind == "plume" ? vm["cols"].as<int>() : control_cols;
    o.facilities = scenes;
    o.scenes_per_facility = 1;
    o.sources_per_scene = 1;
    o.emission_min = 500;
    o.emission_max = 20000;
    o.wind_min = 2;
    o.wind_max = 8;
    o.place_lat = 32.0;
    o.place_lon = -177.5 + 10.0 * static_cast<double>(i % 35);  // 10 degrees apart: own tiles
    o.place_spread = 1.5;
    const UtcTime day = UtcTime::parse_iso8601("2023-01-01").plus_seconds(86400.0 * 12 * i);
    o.start_date = day.iso8601().substr(0, 10);
    o.surface_brightness = surface == "dark" ? kDarkGround : 1.0;
    o.sensors = sensor_choice(vm["sensor"].as<std::string>());
    o.plume_free = kind == "plume_free" ? scenes : 0;
    o.mark_plume_free = kind == "plume_free";
    o.negative_plumes = kind == "sign_flipped";
    batches.push_back(std::move(b));
  };
  for (int done = 0, k = 0; done < plumes; ++k) {
    const int n = std::min(per_batch, plumes - done);
    add("plume", k % 2 ? "dark" : "bright", n);
    done += n;
  }
  if (free > 0) add("plume_free", "bright", free);
  if (flipped > 0) add("sign_flipped", "bright", flipped);
  if (batches.size() > 35) throw UsageError("validate: at most 35 batches (raise --batch)");
  return batches;
}

// Rank 0's error, or "", on every rank.
void agree(const par::Comm& comm, const std::string& mine) {
  std::string first;
  for (const auto& e : comm.all_gather(mine))
    if (!e.empty() && first.empty()) first = e;
  if (!first.empty()) throw InputError(first);
}
}  // namespace

void ValidateCommand::declare(po::options_description& o) {
  o.add_options()("out", po::value<std::string>()->required(),
                  "where the synthetic campaign, its products and validation.csv / .txt go")(
      "plumes", po::value<int>()->default_value(12), "synthetic plume scenes (one source each)")(
      "sensor", po::value<std::string>()->default_value("emit"),
      "instruments of the synthetic scenes, comma-separated (emit, enmap), as synth's --sensor")(
      "rows", po::value<int>()->default_value(1280), "downtrack lines per scene (EMIT: 1280)")(
      "cols", po::value<int>()->default_value(256), "crosstrack samples per scene (EMIT: 1242)")(
      "seed", po::value<std::uint64_t>()->default_value(1), "seed of the whole benchmark")(
      "plume-free", po::value<int>()->default_value(2), "plume-free scenes, markers at their sources")(
      "sign-flipped", po::value<int>()->default_value(2), "scenes with sign-flipped injections")(
      "batch", po::value<int>()->default_value(8),
      "scenes per synthetic campaign; the L1 radiance of a batch is removed once it is evaluated")(
      "control-cols", po::value<int>(),
      "crosstrack samples of the plume-free and sign-flipped scenes (default --cols; 1242 = full EMIT "
      "scenes, as false alarms are counted per full scene)")(
      "keep-l1", po::bool_switch(), "keep the L1 radiance of every batch")(
      "report-only", po::bool_switch(),
      "only the detection report again, from the validation.csv and detection.csv in --out (after "
      "a change of the score), into detection_report.txt");
}

namespace {
// The detection report from a benchmark's files: the true markers' estimates (validation.csv)
// and every candidate (detection.csv).
std::string detection_report_from(const fs::path& out) {
  std::vector<pipeline::ValidationPlume> rows;
  for (auto& r : pipeline::read_csv_table((out / "validation.csv").string())) {
    pipeline::ValidationPlume p;
    p.scene = r["scene"];
    p.kind = r["kind"];
    p.surface = r["surface"];
    p.pass = std::stoi(r["pass"]);
    p.made = r["made"] == "1";
    p.ime = r["ime_kg_h"].empty() ? p.kNaN : std::stod(r["ime_kg_h"]);
    p.csf = r["csf_kg_h"].empty() ? p.kNaN : std::stod(r["csf_kg_h"]);
    rows.push_back(std::move(p));
  }
  const auto detections = pipeline::read_detection_csv((out / "detection.csv").string());
  const pipeline::DetectionCalibration in_use{plume::ScoreModel::standard(), pipeline::DetectOptions{}.min_score};
  return pipeline::detection_report(detections, rows, pipeline::calibrate_detection(detections), in_use);
}
}  // namespace

int ValidateCommand::execute(const po::variables_map& vm, const Config& config) {
  const par::Comm world = par::Comm::world();
  const fs::path out = fs::absolute(vm["out"].as<std::string>());
  if (vm["report-only"].as<bool>()) {
    if (!world.is_root()) return kExitOk;
    const std::string report = detection_report_from(out);
    io::write_text_atomically((out / "detection_report.txt").string(), report);
    std::cout << report;
    return kExitOk;
  }
  const std::vector<BatchPlan> batches = plan_batches(vm, out);
  const Resources res = Resources::locate(config.paths.resources);
  const int threads = par::threads_per_rank(world);
  std::vector<pipeline::ValidationPlume> rows;
  std::string detection_text = pipeline::detection_csv({}, true);
  // Batches in rounds of one per rank: each rank writes its batch, then all ranks run them.
  for (std::size_t first = 0; first < batches.size(); first += static_cast<std::size_t>(world.size())) {
    const std::size_t last = std::min(batches.size(), first + static_cast<std::size_t>(world.size()));
    const fs::path round = out / "scenes" / ("round" + std::to_string(first / static_cast<std::size_t>(world.size())));
    std::string error;
    if (const std::size_t mine = first + static_cast<std::size_t>(world.rank()); mine < last) try {
        synth::SynthOptions o = batches[mine].synth;
        o.out_dir = (round / batches[mine].name).string();
        o.threads = threads;
        synth::write_campaign(o, res);
      } catch (const Error& e) {
        error = batches[mine].name + ": " + e.what();
      }
    agree(world, error);
    Config c = config;
    const fs::path anc = batches.front().synth.ancillary_dir;
    c.paths.era5_dir = (anc / "era5").string();
    c.paths.geosfp_dir = (anc / "geosfp").string();
    c.paths.osm_dir = (anc / "osm_worldcover").string();
    c.paths.dem_dir = (anc / "dem").string();
    pipeline::CampaignOptions run;
    run.root = round.string();
    run.out_dir = round.string();
    run.l2.threads = threads;
    run.l2_description = "validate";
    run.progress_interval = 60;
    run.plumes = pipeline::L3Options{};
    // GEOS-FP: hourly files, written for every scene's hour. ERA5's day files end at 23:00, and
    // a scene after it has no ERA5 wind (as in HyperGas); both carry the same synthetic wind.
    run.plumes->wind_source = "GEOS-FP";
    run.passes = 1;
    for (const int pass : {1, 2}) {
      run.reprocess = pass == 2;
      const pipeline::CampaignResult r = pipeline::run_campaign(world, c, res, run);
      if (r.interrupted || !r.stopped_by.empty())
        throw InputError("validate: the campaign of " + round.string() + " stopped: " + r.stopped_by);
      if (world.is_root())
        for (std::size_t b = first; b < last; ++b) {
          const pipeline::ValidationBatch vb{(round / batches[b].name).string(), batches[b].kind,
                                             batches[b].surface, c.paths.dem_dir};
          for (auto& p : pipeline::evaluate_batch(vb, round.string(), pass, "ch4", threads))
            rows.push_back(std::move(p));
        }
      // Detection on the same L2, every rank a share of the scenes.
      std::vector<pipeline::DetectionScene> mine;
      std::string failure;
      try {
        for (std::size_t b = first; b < last; ++b) {
          const pipeline::ValidationBatch vb{(round / batches[b].name).string(), batches[b].kind,
                                             batches[b].surface, c.paths.dem_dir};
          for (auto& d : pipeline::detect_batch(vb, (out / "auto" / round.filename()).string(), pass, c, *run.plumes,
                                                threads, world.rank(), world.size()))
            mine.push_back(std::move(d));
        }
      } catch (const Error& e) {
        failure = "validate: detection: " + std::string(e.what());
      }
      agree(world, failure);
      for (const auto& part : world.all_gather(pipeline::detection_csv(mine, false))) detection_text += part;
    }
    if (world.is_root() && !vm["keep-l1"].as<bool>())
      for (const auto& g : sensor::find_l1_granules(round.string())) {
        for (const auto& file : sensor::granule_files(g.path)) fs::remove(file);
      }
    world.barrier();
    log::info("validate: ", last, " of ", batches.size(), " batch(es) done");
  }
  if (!world.is_root()) return kExitOk;
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.pass != b.pass ? a.pass < b.pass : a.scene < b.scene;
  });
  io::write_text_atomically((out / "validation.csv").string(), pipeline::validation_csv(rows));
  char heading[300];
  std::snprintf(heading, sizeof heading,
                "# HyperPlume validation against synthetic truth\n\n%zu plume scene(s) of %d x %d "
                "pixels (%s; seed %llu), markers at the true sources, run under %d rank(s); pass 2 = "
                "`hyperplume run --reprocess` on the same campaign.\n",
                static_cast<std::size_t>(vm["plumes"].as<int>()), vm["rows"].as<int>(),
                vm["cols"].as<int>(), vm["sensor"].as<std::string>().c_str(),
                static_cast<unsigned long long>(vm["seed"].as<std::uint64_t>()), world.size());
  const std::string fit = pipeline::fitted_calibration_ini(rows, "calibration.ch4.point.emit");
  io::write_text_atomically((out / "calibration_fit.ini").string(), fit);
  io::write_text_atomically((out / "detection.csv").string(), detection_text);
  const auto detections = pipeline::read_detection_csv((out / "detection.csv").string());
  const pipeline::DetectionCalibration in_use{plume::ScoreModel::standard(), pipeline::DetectOptions{}.min_score};
  const std::string report = pipeline::validation_report(rows, heading) +
                             pipeline::detection_report(detections, rows, pipeline::calibrate_detection(detections), in_use) +
                             "\n## The wind calibration these plumes imply (calibration_fit.ini)\n\n```\n" + fit +
                             "```\nThe calibration in use is the configuration's; to try this one, give the file "
                             "with --config-overlay.\n";
  io::write_text_atomically((out / "validation.txt").string(), report);
  std::cout << report;
  return kExitOk;
}

}  // namespace hyperplume::app
