#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/file_walk.hpp>
#include <hyperplume/app/l3_command.hpp>
#include <hyperplume/app/plume_options.hpp>
#include <hyperplume/app/retrieval_options.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <iostream>
#include <set>

namespace hyperplume::app {
namespace fs = std::filesystem;

void L3Command::declare(po::options_description& o) {
  o.add_options()("root", po::value<std::string>()->required(),
                  "directory searched recursively for marker files (<L2 stem>.geojson, the detector's <L2 stem>_auto.geojson)")(
      "out", po::value<std::string>()->default_value(""),
      "where the merged table hyperplume_l4.csv goes (default: the root)")(
      "skip-exist", po::bool_switch(), "keep plumes whose L4 CSV exists");
  declare_plume_options(o, /*standalone=*/true);
}

int L3Command::execute(const po::variables_map& vm, const Config& config) {
  const std::string profile = parse_profile(vm["profile"].as<std::string>());
  pipeline::L3Options options =
      plume_choice(vm, profile, parse_land_mask_source(vm["land-mask-source"].as<std::string>()));
  options.skip_exist = vm["skip-exist"].as<bool>();
  check_plume_inputs(options, config);
  const auto gazetteer = open_gazetteer(vm);

  // The L2 products beside marker files (an analyst's or the detector's), in a fixed order.
  std::set<std::string> marked;
  for (const auto& f : files_under(vm["root"].as<std::string>(),
                                   [](const std::string& n) { return n.ends_with(".geojson"); })) {
    std::string stem = fs::path(f).stem().string();
    if (stem.ends_with("_auto")) stem.resize(stem.size() - 5);
    const fs::path l2 = fs::path(f).parent_path() / (stem + ".nc");
    std::error_code ec;
    if (fs::exists(l2, ec)) marked.insert(l2.string());
  }
  const std::vector<std::string> l2_files(marked.begin(), marked.end());
  const fs::path root = vm["root"].as<std::string>();

  int produced = 0, skipped = 0, failed = 0, scene_failures = 0;
  std::vector<pipeline::L4Source> tables;
  for (const auto& l2 : l2_files) {
    try {
      const auto r =
          pipeline::process_plumes(l2, config, options, gazetteer ? &*gazetteer : nullptr);
      if (!r.times.entries().empty())
        std::cout << fs::path(l2).filename().string() << "  " << r.times.to_text() << "\n";
      for (const auto& p : r.plumes) {
        if (!p.error.empty()) {
          ++failed;
          std::cout << fs::path(l2).filename().string() << " plume" << p.index
                    << ": FAILED: " << p.error << "\n";
          continue;
        }
        (p.skipped ? skipped : produced)++;
        tables.push_back({fs::path(l2).filename().string(), p.csv_path});
        if (!p.skipped) std::cout << p.csv_path << "\n";
      }
    } catch (Error& e) {
      e.add_file(l2);
      ++scene_failures;
      log::error(e.what());
    }
  }
  const fs::path out =
      vm["out"].as<std::string>().empty() ? root : fs::path(vm["out"].as<std::string>());
  const std::string merged = (out / "hyperplume_l4.csv").string();
  pipeline::merge_l4_tables(tables, merged);
  std::cout << "l3: " << produced << " plume(s) done, " << skipped << " kept, " << failed
            << " failed, " << scene_failures << " scene(s) failed, of " << l2_files.size()
            << " marked L2 product(s); merged table " << merged << "\n";
  return failed + scene_failures ? kExitFailure : kExitOk;
}

}  // namespace hyperplume::app
