#pragma once
// Renders one synthetic EMIT scene: geometry (lat/lon, elevation, the 11 observation
// bands, GLT), ground truth (column-mean methane enhancement, sources) and, row block by
// row block, the at-sensor radiance
//     L_b = k_sun * (L0_b + rho_b G_b / (1 - S_b rho_b)) * T_b(c) + noise,
// where rho_b is the pixel's sub-pixel mixture of library spectra, k_sun the solar
// illumination scaling, T_b the CH4 band transmittance for the pixel's path enhancement
// c and the noise follows the EMIT noise model. Draws are counter-based (pixel, band), so
// any block size or thread count gives the same bytes.
#include <array>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/core/scene.hpp>
#include <hyperplume/geo/solar_position.hpp>
#include <hyperplume/retrieval/matched_filter.hpp>
#include <hyperplume/spectral/ch4_lut.hpp>
#include <hyperplume/spectral/instrument_noise.hpp>
#include <hyperplume/synth/atmosphere.hpp>
#include <hyperplume/synth/campaign_plan.hpp>
#include <hyperplume/synth/ch4_injection.hpp>
#include <hyperplume/synth/site.hpp>
#include <hyperplume/synth/surface_library.hpp>
#include <hyperplume/synth/swath.hpp>
#include <map>
#include <memory>
#include <vector>

namespace hyperplume::synth {

// Resource-derived models shared by all scenes of one instrument in a campaign.
struct SynthModels {
  retrieval::BandNoise noise;      // per band of `bands`, uW cm-2 sr-1 nm-1
  spectral::BandSet bands;         // the instrument's band centres and widths (file order)
  SurfaceLibrary surface;
  spectral::Ch4RadianceLut lut;
  geo::EarthSunDistance esd;
  std::vector<BandAtmosphere> atmospheres;  // parallel to available_atmospheres()

  static SynthModels load(const Resources& res, const std::string& sensor = "emit");
  const BandAtmosphere& atmosphere(const AtmosphereState& s) const;
};

// Order and names of the EMIT OBS bands.
inline constexpr int kObsBands = 11;
enum ObsBand {
  kPathLength = 0,
  kToSensorAzimuth,
  kToSensorZenith,
  kToSunAzimuth,
  kToSunZenith,
  kSolarPhase,
  kSlope,
  kAspect,
  kCosineI,
  kUtcTime,
  kEarthSunDistance
};

struct SourceTruth {
  double east = 0, north = 0, lat = 0, lon = 0;
  double emission_rate = 0;     // kg/h
  double wind_speed = 0;        // m/s
  double wind_direction = 0;    // degrees, meteorological (from)
  double surface_pressure = 0;  // Pa
  double mass_in_scene = 0;     // kg of the plume inside the scene
};

struct SyntheticGeometry {
  SwathGeometry swath{default_swath()};
  static SwathParams default_swath() {
    SwathParams p;
    p.rows = p.cols = 1;
    return p;
  }
  Raster<double> lat, lon, elevation;
  std::array<Raster<float>, kObsBands> obs;
  Glt glt;
};

struct SyntheticTruth {
  Raster<float> delta_xch4;    // ppb, column-mean enhancement
  Raster<double> column_mass;  // kg m-2
  Raster<std::uint8_t> surface_class;
  std::vector<SourceTruth> sources;
};

class SceneSynthesizer {
 public:
  SceneSynthesizer(const SynthModels& models, const CampaignPlan& plan, const Site& site,
                   const ScenePlan& scene);

  const ScenePlan& plan() const { return scene_; }
  const SyntheticGeometry& geometry() const { return geom_; }
  const SyntheticTruth& truth() const { return truth_; }
  int bands() const { return static_cast<int>(models_.bands.centres.size()); }

  // Radiance of rows [r0, r1) in the file's order (row, column, band), float32,
  // uW cm-2 sr-1 nm-1. Runs on `threads` threads.
  void render_rows(int r0, int r1, float* out, int threads) const;

 private:
  void build_geometry();
  void build_truth();
  void render_pixel(int row, int col, float* out, std::vector<double>& rho) const;

  const SynthModels& models_;
  const CampaignPlan& campaign_;
  const Site& site_;
  ScenePlan scene_;
  SyntheticGeometry geom_;
  SyntheticTruth truth_;
  Raster<float> path_ppm_m_;  // CH4 path enhancement for the pixel's geometry
  std::unique_ptr<BandTransmittance> transmittance_;
  const BandAtmosphere* atmosphere_ = nullptr;
  double run_esd_ = 1.0, scene_esd_ = 1.0;
};

// The site model of a facility (shared by all its scenes).
Site make_site(const SynthModels& models, const CampaignPlan& plan, const FacilityPlan& facility);

}  // namespace hyperplume::synth
