#include <algorithm>
#include <cmath>
#include <hyperplume/image/calibrated_tv.hpp>
#include <hyperplume/image/connected_components.hpp>
#include <hyperplume/image/j_invariance.hpp>
#include <limits>
#include <set>

namespace hyperplume::image {
namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr int kMinOutlierCluster = 10;

double quantile(const std::vector<double>& sorted, double q) {  // numpy 'linear'
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<double> finite_values(const Raster<float>& r) {
  std::vector<double> v;
  for (Eigen::Index i = 0; i < r.size(); ++i)
    if (std::isfinite(r.data()[i])) v.push_back(r.data()[i]);
  return v;
}
}  // namespace

CalibratedTv calibrated_tv_denoise(const Raster<float>& field,
                                   const Raster<std::int32_t>& segmentation,
                                   const CalibratedTvOptions& o) {
  const Eigen::Index H = field.rows(), W = field.cols();
  CalibratedTv out{Raster<float>::Zero(H, W), 0.0, 0, {}};
  std::set<std::int32_t> present(segmentation.data(), segmentation.data() + segmentation.size());
  std::vector<std::int32_t> labels(present.begin(), present.end());
  if (o.skip_water && labels.size() == 2) labels = {1};
  for (const std::int32_t label : labels) {
    const Raster<float> noisy = (segmentation == label).select(field, kNaN);
    std::vector<double> valid = finite_values(noisy);
    if (valid.empty()) continue;
    std::sort(valid.begin(), valid.end());
    const double q01 = quantile(valid, 0.01), q99 = quantile(valid, 0.99);
    const Raster<std::uint8_t> outlier =
        ((noisy < static_cast<float>(q01)) || (noisy > static_cast<float>(q99)))
            .cast<std::uint8_t>();
    const Components groups = label_components(outlier, Connectivity::four);
    Raster<float> calibration = noisy;
    for (Eigen::Index i = 0; i < calibration.size(); ++i) {
      const std::int32_t g = groups.labels.data()[i];
      if (g > 0 && groups.sizes[static_cast<std::size_t>(g)] < kMinOutlierCluster)
        calibration.data()[i] = kNaN;
    }
    const auto m = static_cast<float>(trimmed_stats(finite_values(calibration)).mean);
    const Raster<float> filled = calibration.isFinite().select(calibration, m);
    const double mean = filled.cast<double>().mean();
    const double sigma = std::sqrt((filled.cast<double>() - mean).square().mean());
    Raster<float> denoised;
    if (const auto fixed = o.fixed_weights.find(label); fixed != o.fixed_weights.end()) {
      out.weight = out.weights[label] = fixed->second;
      out.solves += 16;
      denoised = denoise_invariant<float>(noisy.isFinite().select(noisy, m), fixed->second, o.tv);
    } else if (sigma > 0) {
      WeightChoice choice;
      if (o.grid_search) {
        std::vector<double> grid;
        for (int i = 0; i < 50; ++i)
          grid.push_back(sigma / 10 + (3 * sigma - sigma / 10) * i / 49.0);
        choice = grid_search_weight(filled, grid, o.tv);
      } else {
        choice = golden_section_weight(filled, sigma / 10, 3 * sigma, o.search_solves, o.tv);
      }
      out.weight = out.weights[label] = choice.weight;
      out.solves += choice.solves + 16;
      denoised = denoise_invariant<float>(noisy.isFinite().select(noisy, m), choice.weight, o.tv);
    } else {
      denoised = Raster<float>::Constant(H, W, m);
    }
    out.field += (segmentation == label).select(denoised, 0.0f);
  }
  return out;
}

}  // namespace hyperplume::image
