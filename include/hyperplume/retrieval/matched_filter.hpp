#pragma once
// Column-wise matched filter for one group of pixels (a detector column, or one
// segmentation label within it). Pure kernel: Eigen in, Eigen out.
//
//   alpha(x) = w^T (f(x) - mu),  w = C^-1 d / (d^T C^-1 d)
//
// f = identity (normal MF) or ln (lognormal MF); mu, C = mean and unbiased covariance of
// f(x) over the background pixels, accumulated in float64. The target d is
//   textbook form: d = K * mu (normal) or d = K (lognormal)      -> alpha in K's units
//   HyperGas form: d = s K * mu - mu (normal) or s K - mu~ (LMF) -> alpha' s (SPy target-mean)
// and, for the normal MF, the albedo correction alpha / r(x) (see MatchedFilterParams).
// C is factorised by Cholesky with adaptive diagonal loading; a pseudo-inverse is the last
// resort. Every call returns a QA record; nothing is ever skipped silently.
#include <Eigen/Core>
#include <cstdint>
#include <span>
#include <vector>

namespace hyperplume::retrieval {

// sparse: the albedo-corrected, reweighted-L1, non-negative matched filter of mag1c
// (Foote et al. 2020): the background mean and covariance are re-estimated from the
// radiance with the current plume estimate removed, and each pixel's estimate is soft-
// thresholded with a weight that shrinks as its previous estimate grows.
enum class RadianceDistribution { normal, lognormal, sparse };
enum class TargetForm { textbook, hypergas };

struct MatchedFilterParams {
  RadianceDistribution distribution = RadianceDistribution::normal;
  TargetForm form = TargetForm::textbook;
  double hypergas_scale = 1.0;     // s of the HyperGas form (l1_l2 §3.6)
  double min_rcond = 1e-10;        // below this reciprocal condition number, load the diagonal
  double loading_start = 1e-8;     // first loading, relative to trace(C)/B
  double loading_max = 1e-1;       // beyond this, fall back to the pseudo-inverse
  bool zero_when_too_few = false;  // HyperGas writes 0 where <= 1 background pixel; default NaN
  // Normal MF: divide by the pixel's albedo factor r = x.mu / mu.mu (mag1c, Foote et al.
  // 2020), because a pixel's absorption signal scales with its own radiance, not the
  // column mean's. Without it, plumes over bright ground are overestimated and over dark
  // ground underestimated. The lognormal MF is albedo-invariant and ignores this.
  bool albedo_correction = true;
  int sparse_iterations = 10;     // sparse: reweighting iterations
  double sparse_threshold = 1.0;  // sparse: L1 weight, in units of the filter's noise
};

enum class ColumnStatus : std::uint8_t {
  ok = 0,              // plain Cholesky
  loaded = 1,          // diagonal loading was needed
  pseudo_inverse = 2,  // loading was not enough
  too_few_pixels = 3,  // fewer than 2 background pixels: no statistics
  degenerate = 4,      // zero covariance (e.g. constant radiance) or no usable target
  no_pixels = 5,       // nothing to retrieve in this group
};
const char* column_status_name(ColumnStatus s);

struct ColumnQa {
  std::int32_t column = -1;
  std::int32_t label = 0;
  std::int32_t valid_pixels = 0;       // pixels written
  std::int32_t background_pixels = 0;  // pixels in the statistics
  double rcond = 0;                    // reciprocal condition estimate of the factorised C
  double loading = 0;                  // diagonal loading added, relative to trace(C)/B
  ColumnStatus status = ColumnStatus::no_pixels;
};

// Per-band instrument noise sigma(L) = a sqrt(b + L) + c, for the uncertainty.
struct BandNoise {
  std::vector<double> a, b, c;
  double sigma(std::size_t band, double radiance) const;
};

using ColumnBlock =
    Eigen::Ref<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, 0,
               Eigen::OuterStride<>>;

// X: rows x B radiance of one column's window bands. use[r]: write alpha for pixel r.
// background[r]: pixel r enters the statistics (a subset of `use` in practice).
// k: per band target (d ln L / d c). Outputs are written only where use[r]; other
// entries are left untouched. sigma: 1-sigma uncertainty of alpha (same units).
ColumnQa matched_filter_column(const ColumnBlock& X, std::span<const std::uint8_t> use,
                               std::span<const std::uint8_t> background, std::span<const double> k,
                               const BandNoise* noise, const MatchedFilterParams& params,
                               std::span<float> alpha, std::span<float> sigma);

// HyperGas's scale s (l1_l2 §3.6): from k* = max{K_b < 0}, s = round(-1/k*, 1) if
// k* > -1, else round(-k*, 1). Throws InputError if no K is negative.
double hypergas_scale(std::span<const double> k);

}  // namespace hyperplume::retrieval
