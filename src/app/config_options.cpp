#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <hyperplume/app/config_options.hpp>
#include <hyperplume/core/error.hpp>
#include <sstream>

#ifndef HYPERPLUME_SOURCE_DIR
#define HYPERPLUME_SOURCE_DIR "."
#endif

namespace hyperplume::app {
namespace fs = std::filesystem;

namespace {
std::string join(const std::vector<double>& v) {
  std::ostringstream os;
  for (std::size_t i = 0; i < v.size(); ++i) os << (i ? " " : "") << v[i];
  return os.str();
}

std::string num(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

// Every key with its default text and meaning.
struct Key {
  std::string name, default_text, help;
};

std::vector<Key> all_keys() {
  const Config d = default_config();
  std::vector<Key> keys;
  for (const auto& [name, s] : d.species) {
    const std::string p = "species." + name + ".";
    keys.push_back({p + "window", join({s.window_min, s.window_max}),
                    "narrow retrieval window 'min max' (nm)"});
    keys.push_back({p + "full_window", join({s.full_window_min, s.full_window_max}),
                    "full window for the comb field 'min max' (nm)"});
    keys.push_back({p + "concentrations", join(s.concentrations),
                    "unit-spectrum concentrations, first 0 (ppm; ppm m for lut)"});
    keys.push_back({p + "units", s.units, "output units: ppb, ppm, 'ppm m' or 'umol m-2'"});
    keys.push_back({p + "rad_source", s.rad_source, "unit spectrum source: model or lut"});
  }
  for (const auto& [name, s] : d.sensors) {
    const std::string p = "sensor." + name + ".";
    keys.push_back({p + "platform", s.platform, "platform name"});
    keys.push_back({p + "instrument", s.instrument, "instrument name"});
    keys.push_back({p + "provider", s.provider, "data provider"});
    keys.push_back({p + "pixel_res", num(s.pixel_res), "nominal pixel size (m)"});
  }
  for (const auto& [key, c] : d.calibration) {
    const std::string p = "calibration." + key + ".";
    keys.push_back({p + "ime", join({c.alpha1, c.alpha2, c.alpha3, c.alpha_resid}),
                    "IME U_eff: 'alpha1 alpha2 alpha3 resid'"});
    keys.push_back(
        {p + "csf", join({c.beta1, c.beta2, c.beta_resid}), "CSF U_eff: 'beta1 beta2 resid'"});
  }
  keys.push_back({"paths.resources", "",
                  "resources directory (else $HYPERPLUME_RESOURCES, else ../shared/resources)"});
  keys.push_back({"paths.era5_dir", "", "ERA5 GRIB root: <era5_dir>/<YYYY>/sl_<YYYYMMDD>.grib"});
  keys.push_back({"paths.geosfp_dir", "",
                  "GEOS-FP root: <geosfp_dir>/<YYYY>/<MM>/<DD>/GEOS.fp.asm.tavg1_2d_slv_Nx.*.nc4"});
  keys.push_back({"paths.osm_dir", "", "OSM/WorldCover water-mask tiles (n40e045.tif, 1 = water)"});
  keys.push_back({"paths.dem_dir", "", "DEM tiles (EnMAP orthorectification)"});
  keys.push_back(
      {"paths.markers", "", "source markers file (default: <L2 stem>.geojson beside the L2)"});
  keys.push_back(
      {"paths.gshhs", "",
       "GSHHS level-1 shoreline polygons (any OGR format), for --land-mask-source gshhs"});
  keys.push_back(
      {"paths.natural_earth", "",
       "Natural Earth land polygons (any OGR format), for --land-mask-source natural-earth"});
  return keys;
}

std::string value(const po::variables_map& vm, const std::string& key) {
  return vm.count(key) ? vm[key].as<std::string>() : std::string{};
}

// `option` is the command-line option that named the file (--config or --config-overlay).
void check_config_file(const std::string& path, const std::string& option) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!fs::exists(st))
    throw UsageError(option + ": no such file", ErrorContext{path, {}, {}});
  if (fs::is_directory(st))
    throw UsageError(option + ": a directory, not a config file", ErrorContext{path, {}, {}});
}

void store_file(const std::string& path, const std::string& option,
                const po::options_description& desc, po::variables_map& vm) {
  check_config_file(path, option);
  std::ifstream in(path);
  if (!in) throw UsageError(option + ": cannot read the config file", ErrorContext{path, {}, {}});
  try {
    po::store(po::parse_config_file(in, desc, false), vm);
  } catch (const po::unknown_option& e) {
    std::string species;
    for (const auto& s : Config::known_species()) species += (species.empty() ? "" : ", ") + s;
    throw UsageError("unknown key '" + e.get_option_name() + "' (known species: " + species +
                         "; sensors: emit, enmap, prisma)",
                     ErrorContext{path, {}, {}});
  } catch (const po::invalid_config_file_syntax& e) {
    // Not e.what(): Boost substitutes the line into its message until no placeholder is left,
    // forever when the line itself holds "%invalid_line%" (found by fuzzing).
    throw UsageError("bad config file: invalid line '" + e.tokens() +
                         "' (neither [section], key = value nor a # comment)",
                     ErrorContext{path, {}, {}});
  } catch (const po::error& e) {
    throw UsageError(std::string("bad config file: ") + e.what(), ErrorContext{path, {}, {}});
  }
  if (in.bad())  // e.g. a file that cannot be read after opening
    throw UsageError(option + ": cannot read the config file", ErrorContext{path, {}, {}});
}
}  // namespace

std::vector<double> parse_number_list(const std::string& key, const std::string& text) {
  std::string t = text;
  for (char& c : t)
    if (c == ',' || c == '[' || c == ']') c = ' ';
  std::istringstream is(t);
  std::vector<double> out;
  std::string tok;
  while (is >> tok) {
    char* end = nullptr;
    const double v = std::strtod(tok.c_str(), &end);
    if (end == tok.c_str() || *end != '\0')
      throw UsageError("config key '" + key + "': '" + tok + "' is not a number (value '" + text +
                       "')");
    // strtod reads "inf" and "nan"; no key means either.
    if (!std::isfinite(v))
      throw UsageError("config key '" + key + "': '" + tok + "' is not a finite number (value '" +
                       text + "')");
    out.push_back(v);
  }
  return out;
}

std::string ConfigOptions::default_config_file() {
  return (fs::path(HYPERPLUME_SOURCE_DIR) / "config" / "hyperplume.ini").string();
}

ConfigOptions::ConfigOptions() {
  general_.add_options()("config", po::value<std::string>()->default_value(default_config_file()),
                         "configuration file")("config-overlay",
                                               po::value<std::vector<std::string>>()->composing(),
                                               "further config files whose keys take precedence "
                                               "(e.g. a campaign's hyperplume_campaign.ini)")(
      "resources", po::value<std::string>(), "resources directory (overrides paths.resources)")(
      "log-level", po::value<std::string>()->default_value("info"),
      "debug, info, warn, error or off");
  for (const Key& k : all_keys()) {
    keys_.add_options()(k.name.c_str(), po::value<std::string>()->default_value(k.default_text),
                        k.help.c_str());
    file_keys_.add_options()(k.name.c_str(), po::value<std::string>(), k.help.c_str());
  }
}

Config ConfigOptions::resolve(po::variables_map& vm) const {
  // vm holds the command line; stored values are never overwritten, so the files go in
  // from the highest precedence down, and the defaults (already in vm) count last.
  po::variables_map files;
  if (vm.count("config-overlay"))
    for (const auto& f : vm["config-overlay"].as<std::vector<std::string>>())
      store_file(f, "--config-overlay", file_keys_, files);
  const std::string base = vm["config"].as<std::string>();
  if (!base.empty()) store_file(base, "--config", file_keys_, files);
  auto get = [&](const std::string& key) {
    if (vm.count(key) && !vm[key].defaulted()) return vm[key].as<std::string>();
    if (files.count(key)) return files[key].as<std::string>();
    return value(vm, key);
  };

  Config c = default_config();
  for (auto& [name, s] : c.species) {
    const std::string p = "species." + name + ".";
    auto pair = [&](const std::string& key, double& lo, double& hi) {
      const auto v = parse_number_list(key, get(key));
      if (v.size() != 2)
        throw UsageError("config key '" + key + "': expected two numbers 'min max', got '" +
                         get(key) + "'");
      lo = v[0];
      hi = v[1];
    };
    pair(p + "window", s.window_min, s.window_max);
    pair(p + "full_window", s.full_window_min, s.full_window_max);
    s.concentrations = parse_number_list(p + "concentrations", get(p + "concentrations"));
    s.units = get(p + "units");
    s.rad_source = get(p + "rad_source");
  }
  for (auto& [name, s] : c.sensors) {
    const std::string p = "sensor." + name + ".";
    s.platform = get(p + "platform");
    s.instrument = get(p + "instrument");
    s.provider = get(p + "provider");
    const auto res = parse_number_list(p + "pixel_res", get(p + "pixel_res"));
    if (res.size() != 1) throw UsageError("config key '" + p + "pixel_res': expected one number");
    s.pixel_res = res[0];
  }
  for (auto& [key, cal] : c.calibration) {
    const std::string p = "calibration." + key + ".";
    const auto a = parse_number_list(p + "ime", get(p + "ime"));
    if (a.size() != 4)
      throw UsageError("config key '" + p + "ime': expected 'alpha1 alpha2 alpha3 resid'");
    cal.alpha1 = a[0];
    cal.alpha2 = a[1];
    cal.alpha3 = a[2];
    cal.alpha_resid = a[3];
    const auto b = parse_number_list(p + "csf", get(p + "csf"));
    if (b.size() != 3) throw UsageError("config key '" + p + "csf': expected 'beta1 beta2 resid'");
    cal.beta1 = b[0];
    cal.beta2 = b[1];
    cal.beta_resid = b[2];
  }
  c.paths.resources =
      vm.count("resources") ? vm["resources"].as<std::string>() : get("paths.resources");
  c.paths.era5_dir = get("paths.era5_dir");
  c.paths.geosfp_dir = get("paths.geosfp_dir");
  c.paths.osm_dir = get("paths.osm_dir");
  c.paths.dem_dir = get("paths.dem_dir");
  c.paths.markers = get("paths.markers");
  c.paths.gshhs = get("paths.gshhs");
  c.paths.natural_earth = get("paths.natural_earth");
  c.log_level = vm["log-level"].as<std::string>();
  c.validate();
  return c;
}

}  // namespace hyperplume::app
