#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/rpc.hpp>

namespace hyperplume::geo {
namespace {

double poly(const std::array<double, 20>& coef, const std::array<double, 20>& t) {
  double s = 0;
  for (std::size_t k = 0; k < 20; ++k) s += coef[k] * t[k];
  return s;
}

// Offset at the mean, scale at the largest deviation (1 if the values are all equal).
template <class Get>
std::pair<double, double> normalisation(std::span<const RpcSample> samples, Get get) {
  double mean = 0;
  for (const auto& s : samples) mean += get(s);
  mean /= static_cast<double>(samples.size());
  double scale = 0;
  for (const auto& s : samples) scale = std::max(scale, std::abs(get(s) - mean));
  return {mean, scale > 0 ? scale : 1.0};
}

}  // namespace

std::array<double, 20> rpc_terms(double lat, double lon, double h) {
  // P = lat, L = lon, H = height: 1 L P H LP LH PH L² P² H² PLH L³ LP² LH² L²P P³ PH² L²H P²H H³
  return {1.0,         lon,         lat,         h,           lon * lat,
          lon * h,     lat * h,     lon * lon,   lat * lat,   h * h,
          lat * lon * h, lon * lon * lon, lon * lat * lat, lon * h * h, lon * lon * lat,
          lat * lat * lat, lat * h * h, lon * lon * h, lat * lat * h, h * h * h};
}

std::pair<double, double> Rpc::image_of(double lat, double lon, double height) const {
  const auto t = rpc_terms((lat - lat_off) / lat_scale, (lon - lon_off) / lon_scale,
                           (height - height_off) / height_scale);
  return {poly(line_num, t) / poly(line_den, t) * line_scale + line_off,
          poly(samp_num, t) / poly(samp_den, t) * samp_scale + samp_off};
}

RpcFit fit_rpc(std::span<const RpcSample> samples) {
  if (samples.size() < 40) throw InternalError("an RPC fit needs at least 40 samples");
  RpcFit fit;
  Rpc& r = fit.rpc;
  std::tie(r.lat_off, r.lat_scale) = normalisation(samples, [](const RpcSample& s) { return s.lat; });
  std::tie(r.lon_off, r.lon_scale) = normalisation(samples, [](const RpcSample& s) { return s.lon; });
  std::tie(r.height_off, r.height_scale) =
      normalisation(samples, [](const RpcSample& s) { return s.height; });
  std::tie(r.line_off, r.line_scale) = normalisation(samples, [](const RpcSample& s) { return s.line; });
  std::tie(r.samp_off, r.samp_scale) = normalisation(samples, [](const RpcSample& s) { return s.samp; });
  const auto n = static_cast<Eigen::Index>(samples.size());
  Eigen::MatrixXd a(n, 20);
  Eigen::MatrixXd b(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) {
    const RpcSample& s = samples[static_cast<std::size_t>(i)];
    const auto t = rpc_terms((s.lat - r.lat_off) / r.lat_scale, (s.lon - r.lon_off) / r.lon_scale,
                             (s.height - r.height_off) / r.height_scale);
    for (Eigen::Index k = 0; k < 20; ++k) a(i, k) = t[static_cast<std::size_t>(k)];
    b(i, 0) = (s.line - r.line_off) / r.line_scale;
    b(i, 1) = (s.samp - r.samp_off) / r.samp_scale;
  }
  const Eigen::MatrixXd x = a.colPivHouseholderQr().solve(b);
  for (std::size_t k = 0; k < 20; ++k) {
    r.line_num[k] = x(static_cast<Eigen::Index>(k), 0);
    r.samp_num[k] = x(static_cast<Eigen::Index>(k), 1);
  }
  r.line_den[0] = r.samp_den[0] = 1.0;
  for (const auto& s : samples) {
    const auto [line, samp] = r.image_of(s.lat, s.lon, s.height);
    fit.max_residual = std::max({fit.max_residual, std::abs(line - s.line), std::abs(samp - s.samp)});
  }
  return fit;
}

}  // namespace hyperplume::geo
