#pragma once
// The resolved configuration every command works from: what HyperGas keeps in its
// config.yaml (species, sensors, wind calibration) plus the directories of local inputs.
// Plain data; app/ fills it from config/hyperplume.ini and the command line.
#include <map>
#include <string>
#include <vector>

namespace hyperplume {

struct SpeciesConfig {
  double window_min = 0, window_max = 0;            // nm, narrow retrieval window (closed)
  double full_window_min = 0, full_window_max = 0;  // nm, full window for the comb field
  std::vector<double> concentrations;               // ppm (model) or ppm·m (lut); first = 0
  std::string units;                                // ppb | ppm | ppm m | umol m-2
  std::string rad_source;                           // model | lut
};

struct SensorConfig {
  std::string platform, instrument, provider;
  double pixel_res = 0;  // m
};

// IME: U_eff = alpha1 ln U + alpha2 + alpha3 U; CSF: U_eff = beta1 U + beta2.
struct WindCalibration {
  double alpha1 = 0, alpha2 = 0, alpha3 = 0, alpha_resid = 0;
  double beta1 = 0, beta2 = 0, beta_resid = 0;
};

struct PathsConfig {
  std::string resources;  // empty: $HYPERPLUME_RESOURCES, else ../shared/resources
  std::string era5_dir, geosfp_dir, osm_dir, dem_dir;
  std::string markers;        // explicit markers file (default: <L2 stem>.geojson)
  std::string gshhs;          // GSHHS level-1 shoreline polygons (shapefile, GeoPackage, ...)
  std::string natural_earth;  // Natural Earth 'land' polygons
};

struct Config {
  std::map<std::string, SpeciesConfig> species;        // ch4, co2, co, no2
  std::map<std::string, SensorConfig> sensors;         // emit, enmap, prisma
  std::map<std::string, WindCalibration> calibration;  // "<gas>.<point|area>.<sensor>"
  PathsConfig paths;
  std::string log_level = "info";

  static const std::vector<std::string>& known_species();
  static const std::vector<std::string>& known_sensors();
  // Throws UsageError (a configuration error) naming the offending key.
  void validate() const;
  const SpeciesConfig& species_config(const std::string& name) const;  // InputError if unknown
};

}  // namespace hyperplume

namespace hyperplume {
// HyperGas's published settings (config.yaml at the reference commit): the built-in
// defaults. config/hyperplume.ini repeats them for editing; a test keeps the two equal.
Config default_config();
}  // namespace hyperplume

namespace hyperplume {
// The resolved configuration as canonical INI text (every key, fixed order), and a stable
// 64-bit hash of it, recorded in every product.
std::string config_to_ini(const Config& config);
std::string config_hash(const Config& config);
}  // namespace hyperplume
