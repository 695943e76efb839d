#include <algorithm>
#include <cmath>
#include <hyperplume/app/plume_options.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/wind_calibration.hpp>
#include <limits>

namespace hyperplume::app {

void declare_plume_options(po::options_description& o, bool standalone) {
  o.add_options()("gas", po::value<std::string>()->default_value("ch4"),
                  "gas whose plumes are estimated (ch4 or co2)")(
      "ipcc-sector", po::value<std::string>()->default_value("Other"),
      "emission sector: 'Electricity Generation (1A1)', 'Coal Mining (1B1a)', 'Oil & Gas (1B2)', "
      "'Livestock (4B)', 'Solid Waste (6A)' (area-source calibration) or 'Other' (default; "
      "the hypergas profile defaults to 'Solid Waste (6A)' as HyperGas's script)")(
      "wind-source", po::value<std::string>()->default_value("era5"),
      "reanalysis wind for the estimate: era5 or geos-fp")(
      "land-only", po::value<bool>()->default_value(true),
      "restrict the background sampling and the CSF to land pixels")(
      "wspd-manual", po::value<double>(),
      "measured wind speed (m/s): replaces the reanalysis speed, no wind error")(
      "sp-manual", po::value<double>(), "surface pressure (Pa) instead of GEOS-FP's")(
      "azimuth-diff-max", po::value<double>()->default_value(30.0),
      "largest azimuth step (degrees) between chained mask pieces")(
      "dist-max", po::value<double>()->default_value(180.0),
      "dilation distance (m) that joins mask pieces to the plume")(
      "label-max-distance", po::value<double>(),
      "a marker farther than this (m) from every a-priori plume label fails instead of "
      "being moved into the nearest one; default: 2 x --dist-max, the gap the dilation "
      "bridges between mask pieces (hypergas profile: no limit, as HyperGas)")(
      "min-source-z", po::value<double>(),
      "refuse a marker with no significant enhancement downwind of it: the field within 3 x "
      "--dist-max and 45 degrees of the wind, summed, in units of its noise (default 2; "
      "hypergas profile: no test)")(
      "markers", po::value<std::string>(),
      "which markers make the plumes: file (an analyst's <L2 stem>.geojson), auto (the "
      "detector's candidates), both (the analyst's first), prefer-file (the analyst's where "
      "there is a file, the detector's elsewhere; the default; hypergas profile: file)")(
      "seed", po::value<std::uint64_t>()->default_value(1),
      "seed of the uncertainty ensembles (with the plume id)")(
      "site-name", po::value<std::string>()->default_value(""),
      "L4 'name'; default: the L2 directory's name with '_' as spaces")(
      "gazetteer", po::value<std::string>()->default_value("libgeonames"),
      "reverse geocoding: libgeonames (Debian's cities database), none, or a GeoNames "
      "cities*.txt file")("geocode-radius-km", po::value<double>()->default_value(50.0),
                          "nearest city farther than this: empty city/state/country");
  if (standalone)
    o.add_options()("profile", po::value<std::string>()->default_value("default"),
                    "default, or hypergas to reproduce HyperGas's numbers")(
        "land-mask-source", po::value<std::string>()->default_value("osm"),
        "land mask for land_only: osm (water-mask tiles), gshhs or natural-earth (polygon "
        "files)");
}

namespace {
// The reach within which a marker is taken to be the source of a label: by default the gap
// the dilation by dist_max bridges between two mask pieces (each grows by dist_max), as if
// the marker were one more piece; HyperGas has no limit.
double label_max_distance_choice(const po::variables_map& vm, double dist_max, bool hypergas) {
  if (!vm.count("label-max-distance"))
    return hypergas ? std::numeric_limits<double>::infinity() : 2 * dist_max;
  const double limit = vm["label-max-distance"].as<double>();
  if (!(limit >= 0))
    throw UsageError("--label-max-distance must be a distance in metres (>= 0), not " +
                     std::to_string(limit));
  return limit;
}
}  // namespace

pipeline::L3Options plume_choice(const po::variables_map& vm, const std::string& profile,
                                 pipeline::LandMaskSource land_mask) {
  pipeline::L3Options o;
  o.profile = profile;
  o.hypergas = profile == "hypergas";
  o.gas = vm["gas"].as<std::string>();
  if (o.gas != "ch4" && o.gas != "co2")
    throw UsageError("--gas: '" + o.gas + "' is not ch4 or co2");
  o.ipcc_sector = vm["ipcc-sector"].as<std::string>();
  if (o.hypergas && vm["ipcc-sector"].defaulted()) o.ipcc_sector = "Solid Waste (6A)";
  const auto& sectors = emission::ipcc_sectors();
  if (std::find(sectors.begin(), sectors.end(), o.ipcc_sector) == sectors.end())
    throw UsageError("--ipcc-sector: '" + o.ipcc_sector + "' is not one of HyperGas's sectors");
  o.wind_source = wind_source_choice(vm);
  o.markers_from = o.hypergas ? pipeline::MarkerChoice::file : pipeline::MarkerChoice::prefer_file;
  if (vm.count("markers")) {
    const std::string m = vm["markers"].as<std::string>();
    if (m == "file") o.markers_from = pipeline::MarkerChoice::file;
    else if (m == "auto") o.markers_from = pipeline::MarkerChoice::automatic;
    else if (m == "both") o.markers_from = pipeline::MarkerChoice::both;
    else if (m == "prefer-file") o.markers_from = pipeline::MarkerChoice::prefer_file;
    else throw UsageError("--markers: '" + m + "' is not file, auto, both or prefer-file");
  }
  o.land_only = vm["land-only"].as<bool>();
  o.land_mask = land_mask;
  if (o.land_only && land_mask != pipeline::LandMaskSource::osm &&
      land_mask != pipeline::LandMaskSource::gshhs &&
      land_mask != pipeline::LandMaskSource::natural_earth)
    throw UsageError("--land-only needs --land-mask-source osm, gshhs or natural-earth");
  if (vm.count("wspd-manual")) {
    o.wspd_manual = vm["wspd-manual"].as<double>();
    if (!(*o.wspd_manual > 0)) throw UsageError("--wspd-manual must be a positive speed (m/s)");
  }
  if (vm.count("sp-manual")) {
    o.sp_manual = vm["sp-manual"].as<double>();
    if (!(*o.sp_manual > 0)) throw UsageError("--sp-manual must be a positive pressure (Pa)");
  }
  o.azimuth_diff_max = vm["azimuth-diff-max"].as<double>();
  if (!(o.azimuth_diff_max >= 0 && o.azimuth_diff_max <= 180))
    throw UsageError("--azimuth-diff-max must be between 0 and 180 degrees");
  o.dist_max = vm["dist-max"].as<double>();
  if (!(o.dist_max >= 0)) throw UsageError("--dist-max must be a distance in metres (>= 0)");
  o.label_max_distance = label_max_distance_choice(vm, o.dist_max, o.hypergas);
  o.min_source_z = vm.count("min-source-z") ? vm["min-source-z"].as<double>()
                   : o.hypergas                ? -std::numeric_limits<double>::infinity()
                                               : 2.0;
  if (std::isnan(o.min_source_z)) throw UsageError("--min-source-z must be a number");
  o.seed = vm["seed"].as<std::uint64_t>();
  o.site_name = vm["site-name"].as<std::string>();
  o.geocode_radius_km = vm["geocode-radius-km"].as<double>();
  if (!(o.geocode_radius_km >= 0)) throw UsageError("--geocode-radius-km must be >= 0");
  return o;
}

std::string wind_source_choice(const po::variables_map& vm) {
  std::string ws = vm["wind-source"].as<std::string>();
  std::transform(ws.begin(), ws.end(), ws.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ws == "era5") return "ERA5";
  if (ws == "geos-fp") return "GEOS-FP";
  throw UsageError("--wind-source: '" + ws + "' is not era5 or geos-fp");
}

void declare_detection_options(po::options_description& o) {
  o.add_options()("min-score", po::value<double>()->default_value(pipeline::DetectOptions{}.min_score),
                  "automatic detection: candidates scoring below this (0-1) are not written; the "
                  "default is the threshold the validation benchmark set (docs/validation.md)");
}

pipeline::DetectOptions detection_choice(const po::variables_map& vm) {
  pipeline::DetectOptions d;
  d.gas = vm["gas"].as<std::string>();
  if (d.gas != "ch4" && d.gas != "co2") throw UsageError("--gas: '" + d.gas + "' is not ch4 or co2");
  d.wind_source = wind_source_choice(vm);
  d.dist_max = vm["dist-max"].as<double>();
  if (!(d.dist_max > 0)) throw UsageError("--dist-max must be a distance in metres (> 0)");
  d.min_score = vm["min-score"].as<double>();
  if (!(d.min_score >= 0 && d.min_score <= 1)) throw UsageError("--min-score must be between 0 and 1");
  return d;
}

void check_plume_inputs(const pipeline::L3Options& o, const Config& config) {
  if (!o.land_only) return;
  const bool missing =
      (o.land_mask == pipeline::LandMaskSource::osm && config.paths.osm_dir.empty()) ||
      (o.land_mask == pipeline::LandMaskSource::gshhs && config.paths.gshhs.empty()) ||
      (o.land_mask == pipeline::LandMaskSource::natural_earth &&
       config.paths.natural_earth.empty());
  if (missing)
    throw UsageError(
        "--land-only needs the land mask files of --land-mask-source: set paths.osm_dir, "
        "paths.gshhs or paths.natural_earth (or --land-only false)");
}

std::optional<io::Gazetteer> open_gazetteer(const po::variables_map& vm) {
  const std::string g = vm["gazetteer"].as<std::string>();
  if (g == "none") return std::nullopt;
  if (g == "libgeonames") return io::Gazetteer::from_libgeonames();
  return io::Gazetteer::from_geonames_file(g);
}

}  // namespace hyperplume::app
