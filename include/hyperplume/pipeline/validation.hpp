#pragma once
// The known-truth validation benchmark's bookkeeping: what each synthetic plume's estimate
// was against its truth, per retrieval pass, and the statistics that say whether the
// numbers come out right (median ratio, robust scatter, coverage of the stated 1σ/2σ, by
// emission-rate and wind bins; the retrieval alone: retrieved against true ΔXCH4 over the
// plume mask). `hyperplume validate` fills it from processed synthetic campaigns.
#include <cstddef>
#include <hyperplume/core/raster.hpp>
#include <limits>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

struct ValidationPlume {
  std::string scene;
  std::string kind;     // plume | plume_free | sign_flipped
  std::string surface;  // bright | dark
  int pass = 1;
  double q_true = 0, wind_true = 0;  // kg/h, m/s (10 m, at the source)
  bool made = false;                 // an L4 row exists
  std::string refusal;               // why not (the plume failure recorded)
  double ime = kNaN, ime_sigma = kNaN, csf = kNaN, csf_sigma = kNaN;  // kg/h
  // The retrieval alone, over the plume's L3 mask: OLS slope of retrieved on true ΔXCH4,
  // and the ratio of their sums (retrieved / true "IME" in ppb·pixels).
  double slope = kNaN, retrieval_ime_ratio = kNaN;
  std::size_t mask_pixels = 0;
  // What the IME estimate was made of: mass (kg), effective plume length (m), the wind it used (m/s,
  // 10 m, the reanalysis over the plume) and the effective wind it derived from it.
  double ime_mass = kNaN, l_ime = kNaN, wind_used = kNaN, ueff = kNaN, ueff_csf = kNaN;
  // The effective wind that would have given the true Q: Q L / IME.
  double true_ueff() const { return q_true / 3600.0 * l_ime / ime_mass; }
  // The same for the CSF: its effective wind scaled by true Q / CSF estimate.
  double true_ueff_csf() const { return ueff_csf * q_true / csf; }
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
};

struct RatioStats {
  std::size_t n = 0;
  double median = ValidationPlume::kNaN;
  double scatter = ValidationPlume::kNaN;  // 1.4826 MAD of the ratio
  double within_1sigma = ValidationPlume::kNaN, within_2sigma = ValidationPlume::kNaN;  // shares
};

// Ratios estimate/truth with their stated 1σ (same units as the estimate, not relative).
RatioStats ratio_stats(const std::vector<double>& estimates, const std::vector<double>& sigmas,
                       const std::vector<double>& truths);

// Median of the finite values (NaN when none).
double finite_median(std::vector<double> values);

// Least-squares line y = slope x + intercept (NaN with fewer than 3 points).
struct LineFit {
  double slope = ValidationPlume::kNaN, intercept = ValidationPlume::kNaN, rms = ValidationPlume::kNaN;
  std::size_t n = 0;
};
LineFit fit_line(const std::vector<double>& x, const std::vector<double>& y);

// The wind calibration the truth implies, from the last pass's plumes of Q >= 2 t/h, in the
// configuration's format ([calibration.<gas>.<source>.<sensor>]: ime = alpha1 alpha2 alpha3
// resid with alpha1 = 0, csf = beta1 beta2 resid; resid = the fit's rms, m/s).
std::string fitted_calibration_ini(const std::vector<ValidationPlume>& plumes, const std::string& section);

std::string validation_csv(const std::vector<ValidationPlume>& plumes);
// The report: per pass, emission (all Q, Q >= 2 t/h, by Q bin and wind bin), the retrieval
// alone, plume-free and sign-flipped outcomes, and the two passes side by side.
std::string validation_report(const std::vector<ValidationPlume>& plumes, const std::string& heading);

}  // namespace hyperplume::pipeline

namespace hyperplume::pipeline {

// One synthetic campaign processed under `campaign_root` (its hyperplume_l4.csv and
// plume_failures.csv), its truth under `synth_root` (truth_sources.csv, <scene>_truth.nc,
// the L1 granules for the geometry): a row per true source, for this pass.
struct ValidationBatch {
  std::string synth_root, kind, surface;
  std::string dem;  // the campaign's DEM (paths.dem_dir), for RPC sensors' geometry
};
// The true dXCH4 (ppb) of a synthetic scene on its L2 grid, through the scene's own
// orthorectification (rad: the L1 granule, for its geometry; dem: paths.dem_dir).
Raster<float> truth_on_grid(const std::string& rad, const std::string& truth_nc, int threads,
                            const std::string& dem);
std::vector<ValidationPlume> evaluate_batch(const ValidationBatch& batch, const std::string& campaign_root,
                                            int pass, const std::string& gas, int threads);

}  // namespace hyperplume::pipeline
