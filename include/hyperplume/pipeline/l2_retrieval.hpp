#pragma once
#include <hyperplume/core/error.hpp>
// L1 -> L2 in sensor geometry for one scene: read the bands needed, screen pixels,
// segment land/water, build the target spectra, run the column-wise matched filters for
// the narrow and full windows of every species, merge them into the comb field.
#include <array>
#include <cstdint>
#include <hyperplume/core/config.hpp>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/core/scene.hpp>
#include <hyperplume/core/stage_timer.hpp>
#include <hyperplume/geo/utm_grid.hpp>
#include <hyperplume/io/reanalysis.hpp>
#include <hyperplume/par/comm.hpp>
#include <hyperplume/retrieval/matched_filter.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace hyperplume::pipeline {

enum class RadDist { normal, lognormal, automatic, sparse };
enum class LandMaskSource { osm, gshhs, natural_earth, automatic, none };

struct L2Options {
  std::vector<std::string> species{"ch4"};
  RadDist rad_dist = RadDist::normal;
  LandMaskSource land_mask = LandMaskSource::osm;
  bool skip_water = true;  // water pixels are not retrieved
  bool skip_cloud = true;  // cloud and cirrus pixels are not retrieved
  bool cluster = false;    // cluster-tuned MF: statistics per column and k-means cluster
  bool hypergas = false;   // the HyperGas compatibility profile
  int threads = 0;         // 0 = all cores
  // Known plume pixels (1) to keep out of the background statistics, in sensor geometry
  // (reprocessing with L3 masks); nullptr = none. They are still retrieved.
  const Raster<std::uint8_t>* plume_mask = nullptr;
  // A scene group: the ranks share the detector columns (each reads and filters its own
  // contiguous range) and gather the results; nullptr or one rank = the whole scene here.
  const par::Comm* group = nullptr;
};

// A 2-D field of the product with its CF attributes (text or numbers).
using AttributeValue = std::variant<std::string, double>;
struct L2Field {
  std::string name;
  Raster<float> values;
  std::map<std::string, AttributeValue> attributes;
};

struct L2WindowQa {
  std::string name;  // e.g. "ch4" (narrow) or "ch4_full"
  std::vector<retrieval::ColumnQa> columns;
};

// The grid of an orthorectified product: every raster of the product is then on it.
struct L2Grid {
  geo::UtmGrid utm;
  std::string area_id;                 // "<sensor>_utm", the grid-mapping variable's name
  std::string method;                  // "glt", later "rpc", "gcp", "none"
  Raster<double> longitude, latitude;  // pixel centres, degrees
};

// The target a window's filter used (emit-ghg publishes it too): band centres and the unit
// absorption spectrum K = d ln L / d(enhancement), per output unit of the gas field.
struct L2UnitSpectrum {
  std::string window;  // "ch4" (narrow) or "ch4_full"
  std::string units;   // "ppb-1", ...: per unit of the gas field
  std::vector<double> wavelengths, k;
};

// Which retrieval a product is: the first pass, or a later one with the plume pixels of
// the listed L3 files (name and checksum) kept out of the background statistics.
struct L2Pass {
  int number = 1;
  std::vector<std::pair<std::string, std::string>> plume_files;
  std::size_t excluded_pixels = 0;  // sensor pixels out of the statistics
};

struct L2Product {
  Scene scene;  // metadata, geometry and angles (radiance cube released after retrieval)
  // Unset: the product is in sensor geometry (scene.latitude/longitude per pixel).
  std::optional<L2Grid> grid;
  std::vector<L2Field> fields;
  Raster<std::uint8_t> quality[4];    // water, cloud, cirrus, invalid; 255 = outside the swath
  Raster<std::int32_t> segmentation;  // -1 = outside the swath
  std::string segmentation_description;
  std::vector<L2WindowQa> qa;
  std::vector<L2UnitSpectrum> unit_spectra;
  L2Pass pass;
  // 10 m wind and surface pressure per source ("ERA5", "GEOS-FP"); a source that could
  // not be read keeps NaN fields and its reason in weather_problems.
  std::vector<std::string> weather_sources;
  std::vector<io::SwathWeather> weather;
  std::vector<std::string> weather_problems;
  // The ancillary files the product depends on, present or not (reanalysis files looked
  // for): a resumed campaign redoes the scene when one of them changes.
  std::vector<std::string> ancillary_inputs;
  double surface_pressure = 0;       // Pa, used to convert ppm·m to ppb
  std::array<Raster<float>, 3> rgb;  // true colour R, G, B (0-1)
  std::string rgb_method;
  StageTimes times;
  const L2Field* field(const std::string& name) const;
  int rows() const { return grid ? grid->utm.height : scene.rows(); }
  int cols() const { return grid ? grid->utm.width : scene.cols(); }
};

// Water-vapour bands HyperGas drops: 1358 < lambda < 1453 nm and 1814 < lambda < 1961 nm.
bool in_water_vapour_band(double wavelength_nm);

// A failure every rank of a scene group has already agreed on (and throws alike): the
// chain does not agree on it again.
class GroupAgreedError : public InputError {
 public:
  using InputError::InputError;
};

// One scene's retrieval, prepared once and run for every pass: the constructor reads the
// geometry and screening bands, the wind, the land/water segmentation and builds the
// targets; retrieve() reads the radiance slabs and runs the filters. A later pass (plume
// pixels out of the statistics) filters again only the detector columns holding a plume
// pixel and keeps the first pass's results elsewhere: their inputs are the same, so are
// their numbers, and the second pass reads a few slabs instead of the scene.
// In a scene group (options.group) every rank constructs it and calls retrieve() together.
class SceneRetrieval {
 public:
  SceneRetrieval(const std::string& rad_path, const Config& config, const Resources& resources,
                 const L2Options& options);
  ~SceneRetrieval();
  SceneRetrieval(const SceneRetrieval&) = delete;
  SceneRetrieval& operator=(const SceneRetrieval&) = delete;

  // plume_mask: sensor geometry, 1 = out of the statistics (nullptr: none). rad_dist: the
  // filter of this pass (automatic: HyperGas's published rule on the first pass).
  L2Product retrieve(const Raster<std::uint8_t>* plume_mask, RadDist rad_dist);
  int passes_run() const;
  const Scene& scene() const;  // geometry and angles (no radiance)

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// A single first pass (with options.plume_mask as given).
L2Product retrieve_l2(const std::string& rad_path, const Config& config, const Resources& resources,
                      const L2Options& options);

// Robust summary of a retrieved field: finite pixels, median, noise (half the 16-84 %
// spread), maximum, and pixels above 3 sigma of the given uncertainty.
struct FieldSummary {
  std::size_t valid = 0, above_3_sigma = 0;
  double median = 0, noise = 0, max = 0;
};
FieldSummary summarize(const Raster<float>& values, const Raster<float>* sigma);

// EMIT_L1B_RAD_001_... -> EMIT_L2B_001_... (HyperGas naming: L1 -> L2, "_RAD" removed),
// in the same directory.
std::string l2_path_for(const std::string& l1_path);
// <L2 stem>_unortho.nc: the sensor-geometry product of --unortho-export.
std::string unortho_path_for(const std::string& l2_path);

}  // namespace hyperplume::pipeline
