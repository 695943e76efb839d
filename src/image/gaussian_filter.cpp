#include <cmath>
#include <hyperplume/image/gaussian_filter.hpp>

namespace hyperplume::image {
namespace {

// Index of the pixel that mode 'reflect' puts at position i of a line of n pixels; the
// mirrored line is periodic with period 2n, which also covers windows wider than the line.
Eigen::Index reflect(Eigen::Index i, Eigen::Index n) {
  const Eigen::Index period = 2 * n;
  Eigen::Index m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

// Axis 0: each output row is a weighted sum of whole input rows, so the inner loop runs
// along contiguous memory and vectorises. Symmetric weights pair the rows r−j and r+j.
void filter_columns(const Raster<float>& in, const std::vector<double>& w, Raster<float>& out) {
  const Eigen::Index H = in.rows(), W = in.cols();
  const auto radius = static_cast<Eigen::Index>(w.size() / 2);
  const double* half = w.data() + radius;  // half[j] = w(±j)
  std::vector<double> acc(static_cast<std::size_t>(W));
  for (Eigen::Index r = 0; r < H; ++r) {
    const float* centre = in.data() + r * W;
    for (Eigen::Index c = 0; c < W; ++c)
      acc[static_cast<std::size_t>(c)] = half[0] * static_cast<double>(centre[c]);
    for (Eigen::Index j = 1; j <= radius; ++j) {
      const float* up = in.data() + reflect(r - j, H) * W;
      const float* down = in.data() + reflect(r + j, H) * W;
      const double wj = half[j];
      for (Eigen::Index c = 0; c < W; ++c)
        acc[static_cast<std::size_t>(c)] +=
            wj * (static_cast<double>(up[c]) + static_cast<double>(down[c]));
    }
    float* dst = out.data() + r * W;
    for (Eigen::Index c = 0; c < W; ++c)
      dst[c] = static_cast<float>(acc[static_cast<std::size_t>(c)]);
  }
}

// Axis 1: each row is copied once into a line padded by reflection, then filtered.
void filter_rows(const Raster<float>& in, const std::vector<double>& w, Raster<float>& out) {
  const Eigen::Index H = in.rows(), W = in.cols();
  const auto radius = static_cast<Eigen::Index>(w.size() / 2);
  const double* half = w.data() + radius;
  std::vector<double> line(static_cast<std::size_t>(W + 2 * radius));
  for (Eigen::Index r = 0; r < H; ++r) {
    const float* src = in.data() + r * W;
    for (Eigen::Index i = 0; i < W + 2 * radius; ++i)
      line[static_cast<std::size_t>(i)] = src[reflect(i - radius, W)];
    const double* mid = line.data() + radius;  // mid[c] = pixel c
    float* dst = out.data() + r * W;
    for (Eigen::Index c = 0; c < W; ++c) {
      double sum = half[0] * mid[c];
      for (Eigen::Index j = 1; j <= radius; ++j) sum += half[j] * (mid[c - j] + mid[c + j]);
      dst[c] = static_cast<float>(sum);
    }
  }
}

}  // namespace

std::vector<double> gaussian_kernel(double sigma, double truncate) {
  const auto radius = static_cast<int>(truncate * sigma + 0.5);
  std::vector<double> w(static_cast<std::size_t>(2 * radius + 1));
  double total = 0;
  for (int x = -radius; x <= radius; ++x) {
    const double value = std::exp(-0.5 / (sigma * sigma) * x * x);
    w[static_cast<std::size_t>(x + radius)] = value;
    total += value;
  }
  for (double& value : w) value /= total;
  return w;
}

Raster<float> gaussian_filter(const Raster<float>& image, double sigma, double truncate) {
  if (!(sigma > 1e-15) || image.size() == 0) return image;
  const std::vector<double> w = gaussian_kernel(sigma, truncate);
  Raster<float> along_columns(image.rows(), image.cols()), out(image.rows(), image.cols());
  filter_columns(image, w, along_columns);
  filter_rows(along_columns, w, out);
  return out;
}

}  // namespace hyperplume::image
