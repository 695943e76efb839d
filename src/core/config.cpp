#include <cmath>
#include <initializer_list>
#include <hyperplume/core/config.hpp>
#include <hyperplume/core/error.hpp>

namespace hyperplume {

const std::vector<std::string>& Config::known_species() {
  static const std::vector<std::string> v{"ch4", "co2", "co", "no2"};
  return v;
}

const std::vector<std::string>& Config::known_sensors() {
  static const std::vector<std::string> v{"emit", "enmap", "prisma"};
  return v;
}

namespace {
[[noreturn]] void bad(const std::string& key, const std::string& why) {
  throw UsageError("config key '" + key + "': " + why);
}

bool all_finite(std::initializer_list<double> values) {
  for (const double v : values)
    if (!std::isfinite(v)) return false;
  return true;
}
}  // namespace

const SpeciesConfig& Config::species_config(const std::string& name) const {
  const auto it = species.find(name);
  if (it == species.end()) {
    std::string known;
    for (const auto& [k, v] : species) known += (known.empty() ? "" : ", ") + k;
    throw InputError("unknown species '" + name + "' (configured: " + known + ")");
  }
  return it->second;
}

void Config::validate() const {
  for (const auto& [name, s] : species) {
    const std::string p = "species." + name + ".";
    // Checked first: an infinite bound would pass the ordering tests below.
    if (!all_finite({s.window_min, s.window_max}))
      bad(p + "window", "wavelengths must be finite numbers (nm)");
    if (!all_finite({s.full_window_min, s.full_window_max}))
      bad(p + "full_window", "wavelengths must be finite numbers (nm)");
    if (!(s.window_min < s.window_max)) bad(p + "window", "minimum must be below maximum");
    if (!(s.full_window_min < s.full_window_max))
      bad(p + "full_window", "minimum must be below maximum");
    if (s.window_min <= 0) bad(p + "window", "wavelengths must be positive (nm)");
    if (s.concentrations.size() < 2) bad(p + "concentrations", "needs at least two values");
    for (const double c : s.concentrations)
      if (!std::isfinite(c)) bad(p + "concentrations", "must be finite numbers");
    if (s.concentrations.front() != 0.0)
      bad(p + "concentrations", "the first concentration must be 0");
    for (std::size_t i = 1; i < s.concentrations.size(); ++i)
      if (!(s.concentrations[i] > s.concentrations[i - 1]))
        bad(p + "concentrations", "must be strictly increasing");
    if (s.units != "ppb" && s.units != "ppm" && s.units != "ppm m" && s.units != "umol m-2")
      bad(p + "units", "'" + s.units + "' is not one of ppb, ppm, 'ppm m', 'umol m-2'");
    if (s.rad_source != "model" && s.rad_source != "lut")
      bad(p + "rad_source", "must be 'model' or 'lut'");
    if (s.rad_source == "lut" && name != "ch4" && name != "co2")
      bad(p + "rad_source", "'lut' exists only for ch4 and co2");
  }
  for (const auto& [name, s] : sensors) {
    const std::string p = "sensor." + name + ".";
    if (!(s.pixel_res > 0 && std::isfinite(s.pixel_res)))
      bad(p + "pixel_res", "must be a positive, finite number of metres");
    if (s.platform.empty()) bad(p + "platform", "must not be empty");
  }
  for (const auto& [key, c] : calibration) {
    const std::string p = "calibration." + key + ".";
    if (!all_finite({c.alpha1, c.alpha2, c.alpha3, c.alpha_resid}))
      bad(p + "ime", "must be four finite numbers");
    if (!all_finite({c.beta1, c.beta2, c.beta_resid}))
      bad(p + "csf", "must be three finite numbers");
  }
}

}  // namespace hyperplume

#include <cstdio>
#include <hyperplume/core/rng.hpp>
#include <sstream>

namespace hyperplume {

std::string config_to_ini(const Config& c) {
  std::ostringstream os;
  os.precision(17);
  auto list = [&](const std::vector<double>& v) {
    std::ostringstream l;
    l.precision(17);
    for (std::size_t i = 0; i < v.size(); ++i) l << (i ? " " : "") << v[i];
    return l.str();
  };
  for (const auto& [name, s] : c.species)
    os << "[species." << name << "]\nwindow = " << list({s.window_min, s.window_max})
       << "\nfull_window = " << list({s.full_window_min, s.full_window_max})
       << "\nconcentrations = " << list(s.concentrations) << "\nunits = " << s.units
       << "\nrad_source = " << s.rad_source << "\n";
  for (const auto& [name, s] : c.sensors)
    os << "[sensor." << name << "]\nplatform = " << s.platform << "\ninstrument = " << s.instrument
       << "\nprovider = " << s.provider << "\npixel_res = " << s.pixel_res << "\n";
  for (const auto& [key, k] : c.calibration)
    os << "[calibration." << key
       << "]\nime = " << list({k.alpha1, k.alpha2, k.alpha3, k.alpha_resid})
       << "\ncsf = " << list({k.beta1, k.beta2, k.beta_resid}) << "\n";
  os << "[paths]\nresources = " << c.paths.resources << "\nera5_dir = " << c.paths.era5_dir
     << "\ngeosfp_dir = " << c.paths.geosfp_dir << "\nosm_dir = " << c.paths.osm_dir
     << "\ndem_dir = " << c.paths.dem_dir << "\nmarkers = " << c.paths.markers
     << "\ngshhs = " << c.paths.gshhs << "\nnatural_earth = " << c.paths.natural_earth << "\n";
  return os.str();
}

std::string config_hash(const Config& c) { return hex_hash(config_to_ini(c)); }

}  // namespace hyperplume
