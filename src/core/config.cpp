#include <cmath>
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
  throw InputError("config key '" + key + "': " + why);
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
    if (!(s.window_min < s.window_max)) bad(p + "window", "minimum must be below maximum");
    if (!(s.full_window_min < s.full_window_max))
      bad(p + "full_window", "minimum must be below maximum");
    if (s.window_min <= 0) bad(p + "window", "wavelengths must be positive (nm)");
    if (s.concentrations.size() < 2) bad(p + "concentrations", "needs at least two values");
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
    if (!(s.pixel_res > 0)) bad(p + "pixel_res", "must be a positive number of metres");
    if (s.platform.empty()) bad(p + "platform", "must not be empty");
  }
  for (const auto& [key, c] : calibration) {
    const std::string p = "calibration." + key + ".";
    if (!std::isfinite(c.alpha1 + c.alpha2 + c.alpha3 + c.alpha_resid))
      bad(p + "ime", "must be four finite numbers");
    if (!std::isfinite(c.beta1 + c.beta2 + c.beta_resid))
      bad(p + "csf", "must be three finite numbers");
  }
}

}  // namespace hyperplume
