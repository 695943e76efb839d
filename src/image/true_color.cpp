#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/image/true_color.hpp>
#include <limits>

namespace hyperplume::image {

std::vector<double> pchip(const std::vector<double>& x, const std::vector<double>& y,
                          const std::vector<double>& at) {
  const std::size_t n = x.size();
  std::vector<double> h(n - 1), delta(n - 1), d(n);
  for (std::size_t i = 0; i + 1 < n; ++i) {
    h[i] = x[i + 1] - x[i];
    delta[i] = (y[i + 1] - y[i]) / h[i];
  }
  for (std::size_t i = 1; i + 1 < n; ++i) {
    if (delta[i - 1] * delta[i] <= 0) {
      d[i] = 0;
    } else {  // weighted harmonic mean
      const double w1 = 2 * h[i] + h[i - 1], w2 = h[i] + 2 * h[i - 1];
      d[i] = (w1 + w2) / (w1 / delta[i - 1] + w2 / delta[i]);
    }
  }
  auto end_slope = [](double h0, double h1, double m0, double m1) {
    double s = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
    if (s * m0 <= 0)
      s = 0;
    else if (m0 * m1 <= 0 && std::abs(s) > std::abs(3 * m0))
      s = 3 * m0;
    return s;
  };
  d[0] = end_slope(h[0], h[1], delta[0], delta[1]);
  d[n - 1] = end_slope(h[n - 2], h[n - 3], delta[n - 2], delta[n - 3]);
  std::vector<double> out;
  for (double v : at) {
    std::size_t i = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), v) - x.begin());
    i = std::clamp<std::size_t>(i, 1, n - 1) - 1;
    const double t = (v - x[i]) / h[i];
    const double h00 = (1 + 2 * t) * (1 - t) * (1 - t), h10 = t * (1 - t) * (1 - t),
                 h01 = t * t * (3 - 2 * t), h11 = t * t * (t - 1);
    out.push_back(h00 * y[i] + h10 * h[i] * d[i] + h01 * y[i + 1] + h11 * h[i] * d[i + 1]);
  }
  return out;
}

TrueColor::TrueColor(std::vector<double> c) {
  std::vector<double> centres;
  for (double w : c)
    if (w <= 780.0) centres.push_back(w);
  if (centres.size() < 3) throw InputError("true colour: fewer than 3 visible bands");
  std::vector<double> nm, xb, yb, zb, ill;
  for (const auto& r : cie_1931_d65()) {
    nm.push_back(r.nm);
    xb.push_back(r.xbar);
    yb.push_back(r.ybar);
    zb.push_back(r.zbar);
    ill.push_back(r.d65);
  }
  const auto X = pchip(nm, xb, centres), Y = pchip(nm, yb, centres), Z = pchip(nm, zb, centres),
             I = pchip(nm, ill, centres);
  const std::size_t n = centres.size();
  std::vector<double> trap(n);
  for (std::size_t i = 0; i < n; ++i)
    trap[i] =
        0.5 * ((i + 1 < n ? centres[i + 1] : centres[i]) - (i > 0 ? centres[i - 1] : centres[i]));
  double norm = 0;
  for (std::size_t i = 0; i < n; ++i) norm += trap[i] * Y[i] * I[i];
  for (std::size_t i = 0; i < n; ++i) {
    weight_x_.push_back(trap[i] * I[i] * X[i] / norm);
    weight_y_.push_back(trap[i] * I[i] * Y[i] / norm);
    weight_z_.push_back(trap[i] * I[i] * Z[i] / norm);
  }
}

std::array<double, 3> TrueColor::xyz(const float* s) const {
  std::array<double, 3> out{0, 0, 0};
  for (std::size_t i = 0; i < weight_x_.size(); ++i) {
    const double v = s[i];
    out[0] += weight_x_[i] * v;
    out[1] += weight_y_[i] * v;
    out[2] += weight_z_[i] * v;
  }
  return out;
}

namespace {
// HSI2RGB's stretch: lower cut = centre of the last bin with CDF < thr (else the first
// bin centre), subtract and clip at 0; then upper cut = centre of the first bin with
// CDF > 1 - thr, clip above and divide by it.
void stretch(Raster<float>& ch, double thr) {
  auto cut = [&](bool lower) {
    double lo = std::numeric_limits<double>::max(), hi = std::numeric_limits<double>::lowest();
    std::size_t n = 0;
    for (Eigen::Index i = 0; i < ch.size(); ++i)
      if (std::isfinite(ch.data()[i])) {
        lo = std::min(lo, static_cast<double>(ch.data()[i]));
        hi = std::max(hi, static_cast<double>(ch.data()[i]));
        ++n;
      }
    if (n == 0 || hi <= lo) return lower ? 0.0 : std::max(hi, 1e-12);
    std::array<std::size_t, 100> hist{};
    const double w = (hi - lo) / 100.0;
    for (Eigen::Index i = 0; i < ch.size(); ++i)
      if (std::isfinite(ch.data()[i]))
        ++hist[std::min<std::size_t>(
            99, static_cast<std::size_t>((static_cast<double>(ch.data()[i]) - lo) / w))];
    double cdf = 0;
    double result = lower ? lo + 0.5 * w : hi - 0.5 * w;
    for (std::size_t b = 0; b < 100; ++b) {
      cdf += static_cast<double>(hist[b]) / static_cast<double>(n);
      const double centre = lo + (static_cast<double>(b) + 0.5) * w;
      if (lower && cdf < thr) result = centre;
      if (!lower && cdf > 1.0 - thr) {
        result = centre;
        break;
      }
    }
    return result;
  };
  const double low = cut(true);
  for (Eigen::Index i = 0; i < ch.size(); ++i)
    if (std::isfinite(ch.data()[i]))
      ch.data()[i] = std::max(0.0f, static_cast<float>(static_cast<double>(ch.data()[i]) - low));
  const double high = cut(false);
  for (Eigen::Index i = 0; i < ch.size(); ++i)
    if (std::isfinite(ch.data()[i]))
      ch.data()[i] = static_cast<float>(std::min(static_cast<double>(ch.data()[i]), high) / high);
}
}  // namespace

std::array<Raster<float>, 3> TrueColor::finish(const std::array<Raster<float>, 3>& xyz,
                                               double scene_max) {
  static const double m[3][3] = {{3.2404542, -1.5371385, -0.4985314},
                                 {-0.9692660, 1.8760108, 0.0415560},
                                 {0.0556434, -0.2040259, 1.0572252}};
  std::array<Raster<float>, 3> rgb;
  for (auto& c : rgb) c.resize(xyz[0].rows(), xyz[0].cols());
  for (Eigen::Index i = 0; i < xyz[0].size(); ++i) {
    const double X = static_cast<double>(xyz[0].data()[i]) / scene_max;
    const double Y = static_cast<double>(xyz[1].data()[i]) / scene_max;
    const double Z = static_cast<double>(xyz[2].data()[i]) / scene_max;
    for (int k = 0; k < 3; ++k) {
      double v = m[k][0] * X + m[k][1] * Y + m[k][2] * Z;
      v = v > 0.0031308 ? 1.055 * std::pow(v, 1 / 2.4) - 0.055 : 12.92 * v;
      rgb[static_cast<std::size_t>(k)].data()[i] = std::isfinite(v)
                                                       ? static_cast<float>(std::clamp(v, 0.0, 1.0))
                                                       : std::numeric_limits<float>::quiet_NaN();
    }
  }
  for (auto& c : rgb) stretch(c, 1e-3);
  return rgb;
}

std::array<Raster<float>, 3> fallback_rgb(const std::array<Raster<float>, 3>& bands) {
  std::array<Raster<float>, 3> out;
  for (std::size_t k = 0; k < 3; ++k) {
    out[k] = bands[k].unaryExpr([](float v) { return std::pow(v, 1.0f / 50.0f); });
    float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
    for (Eigen::Index i = 0; i < out[k].size(); ++i)
      if (std::isfinite(out[k].data()[i])) {
        lo = std::min(lo, out[k].data()[i]);
        hi = std::max(hi, out[k].data()[i]);
      }
    out[k] = (out[k] - lo) / std::max(hi - lo, 1e-12f);
  }
  return out;
}

}  // namespace hyperplume::image
