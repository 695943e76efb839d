#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/image/j_invariance.hpp>
#include <limits>

namespace hyperplume::image {
namespace {
constexpr int kStride = 4;
constexpr int kLossMask = kStride * kStride / 2;  // scikit-image's approximate loss

int mirror(int i, int n) {  // scipy.ndimage 'mirror'
  if (n == 1) return 0;
  if (i < 0) return -i;
  if (i >= n) return 2 * n - 2 - i;
  return i;
}

// The image with mask `k`'s pixels replaced by their interpolation.
template <class T>
Raster<T> masked(const Raster<T>& image, const Raster<T>& interp, int k) {
  Raster<T> in = image;
  for (Eigen::Index r = k / kStride; r < image.rows(); r += kStride)
    for (Eigen::Index c = k % kStride; c < image.cols(); c += kStride) in(r, c) = interp(r, c);
  return in;
}
}  // namespace

template <class T>
Raster<T> neighbour_mean(const Raster<T>& image) {
  const int H = static_cast<int>(image.rows()), W = static_cast<int>(image.cols());
  Raster<T> out(H, W);
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c) {
      const double s = static_cast<double>(image(mirror(r - 1, H), c)) +
                       static_cast<double>(image(mirror(r + 1, H), c)) +
                       static_cast<double>(image(r, mirror(c - 1, W))) +
                       static_cast<double>(image(r, mirror(c + 1, W)));
      out(r, c) = static_cast<T>(0.25 * s);
    }
  return out;
}

namespace {
// `loss_input` = masked(image, interp, kLossMask), the same for every weight of a search.
template <class T>
double loss_with(const Raster<T>& image, const Raster<T>& loss_input, double weight,
                 const TvOptions& options, TvDual<T>* warm) {
  const Raster<T> denoised = tv_chambolle(loss_input, weight, options, nullptr, warm);
  double sum = 0;
  std::size_t n = 0;
  for (Eigen::Index r = kLossMask / kStride; r < image.rows(); r += kStride)
    for (Eigen::Index c = kLossMask % kStride; c < image.cols(); c += kStride) {
      const double d = static_cast<double>(image(r, c)) - static_cast<double>(denoised(r, c));
      sum += d * d;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace

template <class T>
double j_invariant_loss(const Raster<T>& image, const Raster<T>& interp, double weight,
                        const TvOptions& options) {
  return loss_with<T>(image, masked(image, interp, kLossMask), weight, options, nullptr);
}

template <class T>
Raster<T> denoise_invariant(const Raster<T>& image, double weight, const TvOptions& options) {
  const Raster<T> interp = neighbour_mean(image);
  Raster<T> out(image.rows(), image.cols());
  TvDual<T> dual;  // the masked images differ in 2/16 of their pixels: a good start
  for (int k = 0; k < kStride * kStride; ++k) {
    const Raster<T> d = tv_chambolle(masked(image, interp, k), weight, options, nullptr,
                                     options.warm_start ? &dual : nullptr);
    for (Eigen::Index r = k / kStride; r < image.rows(); r += kStride)
      for (Eigen::Index c = k % kStride; c < image.cols(); c += kStride) out(r, c) = d(r, c);
  }
  return out;
}

template <class T>
WeightChoice grid_search_weight(const Raster<T>& image, const std::vector<double>& weights,
                                const TvOptions& options) {
  if (weights.empty()) throw InputError("no candidate weights for TV calibration");
  const Raster<T> loss_input = masked(image, neighbour_mean(image), kLossMask);
  WeightChoice best{weights.front(), std::numeric_limits<double>::infinity(), 0};
  for (double w : weights) {
    const double loss = loss_with<T>(image, loss_input, w, options, nullptr);
    ++best.solves;
    if (loss < best.loss) best.weight = w, best.loss = loss;  // first minimum on ties
  }
  return best;
}

template <class T>
WeightChoice golden_section_weight(const Raster<T>& image, double lo, double hi, int max_solves,
                                   const TvOptions& options) {
  if (!(lo > 0 && hi > lo) || max_solves < 2)
    throw InputError("TV calibration: needs 0 < lo < hi and at least 2 solves");
  const Raster<T> loss_input = masked(image, neighbour_mean(image), kLossMask);
  const double invphi = (std::sqrt(5.0) - 1) / 2;
  WeightChoice best{lo, std::numeric_limits<double>::infinity(), 0};
  TvDual<T> dual;  // successive weights of the search are close
  auto loss = [&](double w) {
    const double l =
        loss_with<T>(image, loss_input, w, options, options.warm_start ? &dual : nullptr);
    ++best.solves;
    if (l < best.loss) best.weight = w, best.loss = l;
    return l;
  };
  double a = lo, b = hi;
  double c = b - invphi * (b - a), d = a + invphi * (b - a);
  double fc = loss(c), fd = loss(d);
  while (best.solves < max_solves) {
    if (fc <= fd) {  // the minimum lies in [a, d]
      b = d, d = c, fd = fc;
      c = b - invphi * (b - a);
      fc = loss(c);
    } else {  // in [c, b]
      a = c, c = d, fc = fd;
      d = a + invphi * (b - a);
      fd = loss(d);
    }
  }
  return best;
}

#define HYPERPLUME_J_INVARIANCE(T)                                                                \
  template Raster<T> neighbour_mean(const Raster<T>&);                                            \
  template double j_invariant_loss(const Raster<T>&, const Raster<T>&, double, const TvOptions&); \
  template Raster<T> denoise_invariant(const Raster<T>&, double, const TvOptions&);               \
  template WeightChoice grid_search_weight(const Raster<T>&, const std::vector<double>&,          \
                                           const TvOptions&);                                     \
  template WeightChoice golden_section_weight(const Raster<T>&, double, double, int,              \
                                              const TvOptions&);
HYPERPLUME_J_INVARIANCE(float)
HYPERPLUME_J_INVARIANCE(double)

}  // namespace hyperplume::image
