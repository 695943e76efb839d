#include <algorithm>
#include <cmath>
#include <filesystem>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/file_walk.hpp>
#include <hyperplume/app/plume_options.hpp>
#include <hyperplume/app/reprocess_command.hpp>
#include <hyperplume/app/retrieval_options.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/campaign_plan.hpp>
#include <hyperplume/pipeline/l2_reprocess.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>
#include <iostream>
#include <map>
#include <set>

namespace hyperplume::app {
namespace fs = std::filesystem;

namespace {
// <...L3...>_plume<N><suffix>: an L3 plume file (.nc) or its L4 CSV (.csv).
bool is_plume_file(const std::string& name, const std::string& suffix) {
  if (!name.ends_with(suffix) || name.find("L3") == std::string::npos) return false;
  const auto at = name.rfind("_plume");
  if (at == std::string::npos) return false;
  const std::string n = name.substr(at + 6, name.size() - at - 6 - suffix.size());
  return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int plume_number(const std::string& path) {
  const std::string stem = fs::path(path).stem().string();
  return std::stoi(stem.substr(stem.rfind("_plume") + 6));
}

// The settings one L4 CSV records (HyperGas l3b_reprocess reads the same columns).
struct CsvPlume {
  std::string csv;
  pipeline::L3Options options;
  pipeline::PlumeRequest request;
  std::string key;  // the settings as text: plumes with the same key are made together
};

std::string cell(const std::map<std::string, std::string>& row, const std::string& column,
                 const std::string& csv) {
  const auto it = row.find(column);
  if (it == row.end() || it->second.empty())
    throw InputError("the L4 table has no '" + column + "' setting", ErrorContext{csv, {}, {}});
  return it->second;
}

double number_cell(const std::map<std::string, std::string>& row, const std::string& column,
                   const std::string& csv) {
  const std::string text = cell(row, column, csv);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v))
    throw InputError("the L4 table's '" + column + "' is not a number: '" + text + "'",
                     ErrorContext{csv, {}, {}});
  return v;
}

pipeline::LandMaskSource land_mask_of(const std::string& text, const std::string& csv) {
  std::string t = text;
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "osm") return pipeline::LandMaskSource::osm;
  if (t == "gshhs") return pipeline::LandMaskSource::gshhs;
  if (t == "natural earth" || t == "natural-earth") return pipeline::LandMaskSource::natural_earth;
  throw InputError("the L4 table's land_mask_source '" + text + "' is not OSM, GSHHS or Natural Earth",
                   ErrorContext{csv, {}, {}});
}

CsvPlume read_csv_plume(const std::string& csv, const pipeline::L3Options& base,
                        const std::string& wind_data, std::optional<double> wspd_manual,
                        bool reprocess_nc) {
  const auto row = pipeline::read_l4_csv(csv);
  CsvPlume p;
  p.csv = csv;
  pipeline::L3Options& o = p.options;
  o = base;
  o.azimuth_diff_max = number_cell(row, "azimuth_diff_max", csv);
  // HyperGas: 180 m when the column is missing (CSVs of older versions).
  o.dist_max = row.count("dist_max") && !row.at("dist_max").empty() ? number_cell(row, "dist_max", csv) : 180.0;
  o.ipcc_sector = cell(row, "ipcc_sector", csv);
  std::string gas = cell(row, "gas", csv);
  std::transform(gas.begin(), gas.end(), gas.begin(), [](unsigned char c) { return std::tolower(c); });
  o.gas = gas;
  o.site_name = row.count("name") ? row.at("name") : "";
  const std::string land_only = cell(row, "land_only", csv);
  if (land_only != "True" && land_only != "False")
    throw InputError("the L4 table's land_only '" + land_only + "' is not True or False",
                     ErrorContext{csv, {}, {}});
  o.land_only = land_only == "True";
  o.land_mask = land_mask_of(cell(row, "land_mask_source", csv), csv);
  o.wind_source = wind_data == "auto" ? cell(row, "wind_source", csv) : wind_data;
  if (o.wind_source != "ERA5" && o.wind_source != "GEOS-FP")
    throw InputError("the L4 table's wind_source '" + o.wind_source + "' is not ERA5 or GEOS-FP",
                     ErrorContext{csv, {}, {}});
  // A measured wind speed the plume was estimated with is kept (HyperGas loses it).
  o.wspd_manual = wspd_manual;
  if (!wspd_manual && row.count("wind_speed_manual") && !row.at("wind_speed_manual").empty())
    o.wspd_manual = number_cell(row, "wind_speed_manual", csv);
  if (!o.hypergas) o.label_max_distance = 2 * o.dist_max;  // the options' default, for this dist_max
  p.request.marker.index = plume_number(csv);
  p.request.marker.latitude = number_cell(row, "plume_latitude", csv);
  p.request.marker.longitude = number_cell(row, "plume_longitude", csv);
  if (const auto it = row.find("marker_origin"); it != row.end() && it->second == "auto") p.request.marker.origin = "auto";
  if (!reprocess_nc) {
    // The existing L3's pixels are the plume.
    const std::string l3 = fs::path(csv).replace_extension(".nc").string();
    if (!fs::exists(l3))
      throw InputError("--reprocess-nc false needs the L3 plume file beside its CSV", ErrorContext{l3, {}, {}});
    const io::NcFile f(l3, io::NcFile::Mode::read);
    const auto x = io::read_vector(f, f.id(), "x");
    const auto y = io::read_vector(f, f.id(), "y");
    const Raster<float> field =
        io::read_raster<float>(f, f.id(), o.gas, static_cast<int>(y.size()), static_cast<int>(x.size()));
    p.request.mask = field.isFinite().cast<std::uint8_t>();
  }
  char key[400];
  std::snprintf(key, sizeof key, "%s|%.17g|%.17g|%s|%s|%d|%d|%s|%.17g", o.gas.c_str(), o.azimuth_diff_max,
                o.dist_max, o.ipcc_sector.c_str(), o.site_name.c_str(), o.land_only ? 1 : 0,
                static_cast<int>(o.land_mask), o.wind_source.c_str(), o.wspd_manual ? *o.wspd_manual : -1.0);
  p.key = key;
  return p;
}
}  // namespace

void ReprocessL2Command::declare(po::options_description& o) {
  o.add_options()("root", po::value<std::string>()->required(),
                  "directory searched recursively for L2 products with L3 plume files")(
      "skip-exist", po::bool_switch(),
      "keep L2 products already made without exactly the L3 plume files there now");
  declare_retrieval_options(
      o, "auto",
      "the filter of the new L2: auto (lognormal for CH4 when the scene's largest L4 emission "
      "exceeds 10 t/h, decided per scene), normal or lognormal");
}

int ReprocessL2Command::execute(const po::variables_map& vm, const Config& config) {
  RetrievalChoice choice = retrieval_choice(vm, config);
  const pipeline::RadDist rad = choice.options.rad_dist;
  if (rad == pipeline::RadDist::sparse) throw UsageError("--rad-dist: reprocess-l2 takes auto, normal or lognormal");
  const Resources res = Resources::locate(config.paths.resources);
  std::set<std::string> l2_files;
  for (const auto& l3 : files_under(vm["root"].as<std::string>(), [](const std::string& n) { return is_plume_file(n, ".nc"); }))
    l2_files.insert(pipeline::l2_path_for_l3(l3));
  const std::vector<pipeline::Stage> chain = pipeline::later_pass_chain();
  int done = 0, kept = 0, failed = 0;
  for (const auto& l2 : l2_files) {
    try {
      if (!fs::exists(l2)) throw InputError("L3 plume files without their L2", ErrorContext{l2, {}, {}});
      if (vm["skip-exist"].as<bool>()) {
        std::string now;
        for (const auto& f : pipeline::l3_files_of(l2))
          now += (now.empty() ? "" : " ") + fs::path(f).filename().string() + ":" + pipeline::file_checksum(f);
        if (pipeline::L2Identity::of(l2).exclusion_files == now) {
          ++kept;
          log::info("reprocess-l2: ", l2, " is already without its plumes, kept");
          continue;
        }
      }
      pipeline::SceneWork work;
      work.l2_path = l2;
      work.l2 = choice.options;
      work.later_rad_dist = rad;
      work.write = pipeline::L2WriteInfo{choice.profile, choice.description, choice.format};
      pipeline::run_chain(chain, work, config, res);
      ++done;
      std::cout << l2 << "  pass " << work.pass.number << ", " << work.pass.excluded_pixels
                << " plume pixel(s) out of the statistics from " << work.pass.plume_files.size()
                << " L3 file(s)  (" << work.product->times.to_text() << ")\n";
    } catch (Error& e) {
      e.add_file(l2);
      ++failed;
      log::error(e.what());
    }
  }
  std::cout << "reprocess-l2: " << done << " done, " << kept << " kept, " << failed << " failed of "
            << l2_files.size() << " L2 product(s) with plumes\n";
  return failed ? kExitFailure : kExitOk;
}

void ReprocessL3Command::declare(po::options_description& o) {
  o.add_options()("root", po::value<std::string>()->required(),
                  "directory searched recursively for the plumes' L4 CSVs")(
      "out", po::value<std::string>()->default_value(""),
      "where the merged table hyperplume_l4.csv goes (default: the root)")(
      "reprocess-nc", po::value<bool>()->default_value(true),
      "true: pick each plume again on the L2 as it is now, from its CSV's source position, and "
      "write L3, CSF and CSV; false: keep the L3 plume file and estimate again on its pixels")(
      "wind-data", po::value<std::string>()->default_value("auto"),
      "auto (each CSV's wind_source), era5 or geos-fp")(
      "wspd-manual", po::value<double>(),
      "measured wind speed (m/s) for every plume (default: the one a CSV records, if any)")(
      "profile", po::value<std::string>()->default_value("default"),
      "default, or hypergas to reproduce HyperGas's numbers")(
      "seed", po::value<std::uint64_t>()->default_value(1),
      "seed of the uncertainty ensembles (with the plume id)")(
      "gazetteer", po::value<std::string>()->default_value("libgeonames"),
      "reverse geocoding: libgeonames, none, or a GeoNames cities*.txt file")(
      "geocode-radius-km", po::value<double>()->default_value(50.0),
      "nearest city farther than this: empty city/state/country");
}

int ReprocessL3Command::execute(const po::variables_map& vm, const Config& config) {
  std::string wind = vm["wind-data"].as<std::string>();
  std::transform(wind.begin(), wind.end(), wind.begin(), [](unsigned char c) { return std::tolower(c); });
  if (wind != "auto" && wind != "era5" && wind != "geos-fp")
    throw UsageError("--wind-data: '" + wind + "' is not auto, era5 or geos-fp");
  const std::string wind_data = wind == "auto" ? "auto" : wind == "era5" ? "ERA5" : "GEOS-FP";
  std::optional<double> wspd;
  if (vm.count("wspd-manual")) {
    wspd = vm["wspd-manual"].as<double>();
    if (!(*wspd > 0)) throw UsageError("--wspd-manual must be a positive speed (m/s)");
  }
  const bool reprocess_nc = vm["reprocess-nc"].as<bool>();
  pipeline::L3Options base;
  base.profile = parse_profile(vm["profile"].as<std::string>());
  base.hypergas = base.profile == "hypergas";
  base.seed = vm["seed"].as<std::uint64_t>();
  base.geocode_radius_km = vm["geocode-radius-km"].as<double>();
  base.label_max_distance = base.hypergas ? std::numeric_limits<double>::infinity() : 2 * base.dist_max;
  base.min_source_z = base.hypergas ? -std::numeric_limits<double>::infinity() : 2.0;
  const auto gazetteer = open_gazetteer(vm);
  const fs::path root = vm["root"].as<std::string>();

  // Every plume CSV, by its L2.
  std::map<std::string, std::vector<std::string>> by_l2;
  for (const auto& csv : files_under(root, [](const std::string& n) { return is_plume_file(n, ".csv"); }))
    by_l2[pipeline::l2_path_for_l3(csv)].push_back(csv);
  int produced = 0, failed = 0, scene_failures = 0;
  std::vector<pipeline::L4Source> tables;  // the plumes made again: the merged table
  for (const auto& [l2, csvs] : by_l2) {
    try {
      if (!fs::exists(l2)) throw InputError("L4 tables without their L2", ErrorContext{l2, {}, {}});
      std::map<std::string, std::vector<CsvPlume>> groups;  // plumes with the same settings
      for (const auto& csv : csvs) {
        CsvPlume p = read_csv_plume(csv, base, wind_data, wspd, reprocess_nc);
        groups[p.key].push_back(std::move(p));
      }
      for (const auto& [key, plumes] : groups) {
        check_plume_inputs(plumes.front().options, config);
        std::vector<pipeline::PlumeRequest> requests;
        for (const auto& p : plumes) requests.push_back(p.request);
        const auto r = pipeline::reprocess_plumes(l2, config, plumes.front().options,
                                                  gazetteer ? &*gazetteer : nullptr, requests);
        for (const auto& p : r.plumes) {
          if (!p.error.empty()) {
            ++failed;
            std::cout << fs::path(l2).filename().string() << " plume" << p.index << ": FAILED: " << p.error << "\n";
            continue;
          }
          ++produced;
          tables.push_back({fs::path(l2).filename().string(), p.csv_path});
          std::cout << p.csv_path << "\n";
        }
      }
    } catch (Error& e) {
      e.add_file(l2);
      ++scene_failures;
      log::error(e.what());
    }
  }
  const fs::path out = vm["out"].as<std::string>().empty() ? root : fs::path(vm["out"].as<std::string>());
  const std::string merged = (out / "hyperplume_l4.csv").string();
  pipeline::merge_l4_tables(tables, merged);
  std::cout << "reprocess-l3: " << produced << " plume(s) done, " << failed << " failed, " << scene_failures
            << " scene(s) failed; merged table " << merged << "\n";
  return failed + scene_failures ? kExitFailure : kExitOk;
}

}  // namespace hyperplume::app
