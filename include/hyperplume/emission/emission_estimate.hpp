#pragma once
// One plume's emission rate by the IME and CSF methods, with their random, wind and
// calibration uncertainties, plus HyperGas's experimental IME-fetch and Carbon Mapper
// estimates: every number of an L4 row that is not metadata. Pure compute on the plume's
// grid; the pipeline reads the L2, picks the plume and writes the products.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/emission/cross_sectional_flux.hpp>
#include <hyperplume/emission/plume_wind.hpp>
#include <hyperplume/emission/wind_calibration.hpp>
#include <vector>

namespace hyperplume::emission {

struct EmissionInputs {
  Raster<double> plume;             // kg m-2 at the plume pixels (land and water), NaN elsewhere
  Raster<double> background;        // kg m-2 of the whole L2 field, NaN = unusable
  Raster<std::uint8_t> land;        // land_only: 1 = land (background and CSF); empty = all pixels
  Raster<std::uint8_t> all_plumes;  // every plume of the scene (this one too); empty = none
  Raster<double> cm_plume;          // kg m-2 inside the Carbon Mapper mask, NaN elsewhere
  std::vector<double> x, y;         // pixel-centre coordinates of the columns / rows (m)
  double res = 0;                   // pixel side (m)
  int source_row = 0, source_col = 0;  // the snapped source pixel
};

struct EstimateOptions {
  bool hypergas = false;  // HyperGas's numerics (pinv fit, sums over valid pixels, ...)
  int background_samples = 100, background_attempts = 1000;
  int wind_samples = 1000;
  CsfOptions csf;  // numpy_pinv and path_length follow `hypergas`
};

struct EmissionEstimate {
  // IME (kg, m, m/s, kg/h)
  double ime = 0, l_ime = 0, leff_ime = 0, ueff_ime = 0;
  double emission = 0, uncertainty = 0, uncertainty_random = 0, uncertainty_wind = 0,
         uncertainty_calibration = 0;
  int background_samples = 0, background_attempts = 0;
  // Carbon Mapper v2 mask (U10 and the hull length; NaN if the CM mask is empty)
  double ime_cm = 0, l_cm = 0, emission_cm = 0;
  // IME-fetch (under development in HyperGas)
  double emission_fetch = 0, fetch_uncertainty = 0, fetch_uncertainty_ime = 0,
         fetch_uncertainty_wind = 0;
  // CSF
  CsfGeometry csf;
  std::vector<double> csf_line_emission;  // kg/h per line, NaN for lines without pixels
  double ueff_csf = 0, emission_csf = 0, csf_uncertainty = 0, csf_uncertainty_random = 0,
         csf_uncertainty_wind = 0, csf_uncertainty_calibration = 0;
};

// `rng` is the plume's own stream (keyed by the configured seed and the plume id). InputError
// for plumes no estimate can be made of: too few pixels, no positive enhancement, no land
// pixels under land_only.
EmissionEstimate estimate_emission(const EmissionInputs& in, const WindUsed& wind,
                                   const CalibrationChoice& calibration, const CounterRng& rng,
                                   const EstimateOptions& options);

}  // namespace hyperplume::emission
