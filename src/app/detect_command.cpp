#include <cstdio>
#include <filesystem>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/detect_command.hpp>
#include <hyperplume/app/file_walk.hpp>
#include <hyperplume/app/plume_options.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <iostream>

namespace hyperplume::app {
namespace fs = std::filesystem;

void DetectCommand::declare(po::options_description& o) {
  o.add_options()("root", po::value<std::string>()->required(),
                  "directory searched recursively for L2 products")(
      "gas", po::value<std::string>()->default_value("ch4"), "gas whose plumes are detected (ch4 or co2)")(
      "wind-source", po::value<std::string>()->default_value("era5"),
      "reanalysis wind that says where upwind is: era5 or geos-fp (the other where it has none)")(
      "dist-max", po::value<double>()->default_value(180.0),
      "mask pieces a dilation by this (m) joins are one candidate, as the L3 pick joins them")(
      "skip-exist", po::bool_switch(), "keep the detector's marker file where there is one");
  declare_detection_options(o);
}

int DetectCommand::execute(const po::variables_map& vm, const Config& config) {
  pipeline::DetectOptions options = detection_choice(vm);
  options.dem = config.paths.dem_dir;
  options.skip_exist = vm["skip-exist"].as<bool>();
  const std::vector<std::string> l2_files = files_under(vm["root"].as<std::string>(), is_l2_product_name);
  int scenes = 0, kept = 0, failed = 0;
  std::size_t candidates = 0;
  for (const auto& l2 : l2_files) {
    try {
      const pipeline::DetectionOutcome d = pipeline::detect_plumes(l2, options);
      if (d.skipped) {
        ++kept;
        continue;
      }
      ++scenes;
      candidates += d.written;
      std::cout << d.markers_path << ": " << d.written << " candidate(s)";
      for (std::size_t i = 0; i < d.written; ++i) {
        const auto& c = d.all[i];
        char b[96];
        std::snprintf(b, sizeof b, "%s (%.5f, %.5f) score %.2f", i ? "," : "", c.longitude, c.latitude,
                      c.candidate.score);
        std::cout << b;
      }
      std::cout << "  " << d.times.to_text() << "\n";
    } catch (Error& e) {
      e.add_file(l2);
      ++failed;
      log::error(e.what());
    }
  }
  std::cout << "detect: " << candidates << " candidate(s) in " << scenes << " L2 product(s), " << kept
            << " kept, " << failed << " failed, of " << l2_files.size() << " L2 product(s)\n";
  return failed ? kExitFailure : kExitOk;
}

}  // namespace hyperplume::app
