#pragma once
// Automatic plume detection on an orthorectified L2 grid: candidate sources from the
// a-priori mask, each described by what tells a gas plume from noise and from the artefacts
// that fool a matched filter, and one score in [0, 1].
//
// Candidates: the a-priori labels (<gas>_mask, found on <gas>_comb_denoise), grouped as the
// plume pick groups them (labels that a dilation by dist_max joins are one candidate). Per
// candidate:
//  - size, integrated signal (the <gas> field summed over the candidate, in units of the
//    scene's robust noise times sqrt(n)) and peak (the denoised field's maximum in units of
//    its own robust noise);
//  - elongation (1 - sqrt of the ratio of the minor to the major second moment of the
//    enhancement-weighted pixels) and alignment with the wind (|cos| of the angle between
//    the major axis and the wind);
//  - the source at the upwind end: of the pixels at least half the candidate's denoised peak,
//    the one farthest upwind (the peak without wind). This is where the marker goes;
//  - the enhancement downwind of that source (plume::downwind_signal, the L3 source test);
//  - correlation with surface brightness (radiance_2100) over the candidate's neighbourhood
//    and the share of screened (water, cloud) or empty pixels around it: albedo patches and
//    shorelines;
//  - the spectral check (set by the caller, who has the radiance): the partial correlation,
//    beyond a smooth broadband change, of the candidate's mean radiance deficit with the
//    gas's unit absorption spectrum (spectral_correlation).
// The score is a logistic model of these terms (ScoreModel). Pure kernels: rasters in,
// candidates out.
#include <array>
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <limits>
#include <string>
#include <vector>

namespace hyperplume::plume {

struct DetectionFields {
  const Raster<float>* field = nullptr;     // <gas>: the narrow-window enhancement, NaN = none
  const Raster<float>* denoised = nullptr;  // <gas>_comb_denoise
  const Raster<float>* labels = nullptr;    // <gas>_mask: NaN, 0 background, 1..n
  const Raster<float>* brightness = nullptr;         // radiance_2100 (optional)
  const Raster<std::uint8_t>* screened = nullptr;    // 1 = water, cloud or cirrus (optional)
  const Raster<float>* wind_east = nullptr;          // 10 m wind, m/s (optional, both or none)
  const Raster<float>* wind_north = nullptr;
  double pixel_size = 60;  // m
};

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct CandidateFeatures {
  int pixels = 0;
  double sum_z = kNaN, peak_z = kNaN;
  double elongation = kNaN, wind_alignment = kNaN;  // wind_alignment NaN without wind
  double downwind_z = kNaN;                         // NaN without wind
  double brightness_r = kNaN;                       // Pearson r with radiance_2100
  double screened_fraction = kNaN;                  // around the candidate
  double spectral_r = kNaN;                         // set by spectral_correlation's caller
};

// The score's terms, in this order: what each feature contributes to the logistic model
// once clipped to a sensible range (a missing feature contributes its neutral value).
inline constexpr int kScoreTerms = 9;
extern const std::array<const char*, kScoreTerms> kScoreTermNames;
std::array<double, kScoreTerms> score_terms(const CandidateFeatures& f);

struct ScoreModel {
  double intercept = 0;
  std::array<double, kScoreTerms> weights{};
  // The default, fitted on the validation benchmark (docs/validation.md).
  static ScoreModel standard();
};
double candidate_score(const CandidateFeatures& f, const ScoreModel& model);

struct DetectionOptions {
  double dist_max = 180;        // m: labels a dilation by this joins are one candidate
  double merge_distance = 360;  // m: of two candidates with sources closer, the lower scored goes
  double min_pixels = 6;        // smaller candidates are not reported
  ScoreModel model = ScoreModel::standard();
};

struct Candidate {
  int row = 0, col = 0;                 // the source pixel on the grid
  std::vector<int> labels;              // a-priori labels, ascending
  std::vector<std::int64_t> pixels;     // row-major grid indices of the candidate
  CandidateFeatures features;
  double score = 0;
  int merged = 0;  // near-duplicate candidates merged into this one
};

// Every candidate with its features (spectral_r unset) and score, in label order.
std::vector<Candidate> find_candidates(const DetectionFields& fields, const DetectionOptions& options);

// Scores again (after the caller set spectral_r), sorts by descending score (ties: raster
// order of the source) and merges near duplicates into the better one.
void score_and_merge(std::vector<Candidate>& candidates, const DetectionOptions& options,
                     double pixel_size);

// The spectral check: deficit[b] = ln(mean candidate radiance / mean background radiance)
// and k[b] the unit absorption spectrum (d ln L / d enhancement, negative where the gas
// absorbs), at the same bands. The partial correlation of deficit with k after both are
// cleared of a quadratic in wavelength (a broadband brightness change): near 1 when the
// deficit has the gas's shape (both negative where the gas absorbs), near 0 for a surface
// change, negative for a radiance gain.
// NaN with fewer than 6 finite bands.
double spectral_correlation(const std::vector<double>& deficit, const std::vector<double>& k,
                            const std::vector<double>& wavelengths);

// Logistic regression (ridge-regularised Newton on standardised terms) of outcomes on the
// score terms: the model the validation benchmark fits. x: one row of terms per candidate.
// signs: +1 / -1 where a term may only raise / lower the score (0: free); a term fitted
// against its sign is left out (weight 0) and the others fitted again.
inline constexpr std::array<int, kScoreTerms> kFreeSigns{};
// What each term stands for: more signal, size, elongation, alignment, downwind signal and
// gas-shaped deficit can only make a plume likelier; brightness correlation and screened
// surroundings only less likely.
inline constexpr std::array<int, kScoreTerms> kEvidenceSigns{1, 1, 1, 1, 1, 1, -1, -1, 1};
ScoreModel fit_score_model(const std::vector<std::array<double, kScoreTerms>>& x,
                           const std::vector<int>& outcome, double ridge = 1e-2,
                           const std::array<int, kScoreTerms>& signs = kFreeSigns);

}  // namespace hyperplume::plume
