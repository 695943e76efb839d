#include <cmath>
#include <hyperplume/geo/transverse_mercator.hpp>
#include <numbers>

namespace hyperplume::geo {
namespace {
constexpr double kDeg = std::numbers::pi / 180;

// Σ_j c_j sin(2jξ) cosh(2jη) and Σ_j c_j cos(2jξ) sinh(2jη) for j = 1..6, by the
// complex Clenshaw recurrence on sin(2j ζ), ζ = ξ + iη (one sin/cos/sinh/cosh in all).
void krueger_sums(const double (&c)[6], double xi, double eta, double& s_xi, double& s_eta) {
  const double s = std::sin(2 * xi), co = std::cos(2 * xi);
  const double sh = std::sinh(2 * eta), ch = std::cosh(2 * eta);
  // a = 2 cos(2ζ) = 2(cos 2ξ cosh 2η − i sin 2ξ sinh 2η)
  const double ar = 2 * co * ch, ai = -2 * s * sh;
  double y0r = 0, y0i = 0, y1r = 0, y1i = 0;  // y_{k+1}, y_{k+2}
  for (int k = 5; k >= 0; --k) {
    const double yr = ar * y0r - ai * y0i - y1r + c[k];
    const double yi = ar * y0i + ai * y0r - y1i;
    y1r = y0r, y1i = y0i;
    y0r = yr, y0i = yi;
  }
  // Σ = sin(2ζ) · y_1, sin(2ζ) = sin 2ξ cosh 2η + i cos 2ξ sinh 2η
  const double sr = s * ch, si = co * sh;
  s_xi = sr * y0r - si * y0i;
  s_eta = sr * y0i + si * y0r;
}
}  // namespace

TransverseMercator::TransverseMercator(double central_meridian_deg, double scale,
                                       double false_easting, double false_northing)
    : lon0_(central_meridian_deg), k0_(scale), x0_(false_easting), y0_(false_northing) {
  const double f = 1 / Wgs84::inverse_flattening;
  e_ = std::sqrt(f * (2 - f));
  const double n = f / (2 - f), n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
  k0A_ = k0_ * Wgs84::a / (1 + n) * (1 + n2 / 4 + n4 / 64 + n6 / 256);
  alpha_[0] = n / 2 - 2 * n2 / 3 + 5 * n3 / 16 + 41 * n4 / 180 - 127 * n5 / 288 + 7891 * n6 / 37800;
  alpha_[1] = 13 * n2 / 48 - 3 * n3 / 5 + 557 * n4 / 1440 + 281 * n5 / 630 - 1983433 * n6 / 1935360;
  alpha_[2] = 61 * n3 / 240 - 103 * n4 / 140 + 15061 * n5 / 26880 + 167603 * n6 / 181440;
  alpha_[3] = 49561 * n4 / 161280 - 179 * n5 / 168 + 6601661 * n6 / 7257600;
  alpha_[4] = 34729 * n5 / 80640 - 3418889 * n6 / 1995840;
  alpha_[5] = 212378941 * n6 / 319334400;
  beta_[0] = n / 2 - 2 * n2 / 3 + 37 * n3 / 96 - n4 / 360 - 81 * n5 / 512 + 96199 * n6 / 604800;
  beta_[1] = n2 / 48 + n3 / 15 - 437 * n4 / 1440 + 46 * n5 / 105 - 1118711 * n6 / 3870720;
  beta_[2] = 17 * n3 / 480 - 37 * n4 / 840 - 209 * n5 / 4480 + 5569 * n6 / 90720;
  beta_[3] = 4397 * n4 / 161280 - 11 * n5 / 504 - 830251 * n6 / 7257600;
  beta_[4] = 4583 * n5 / 161280 - 108847 * n6 / 3991680;
  beta_[5] = 20648693 * n6 / 638668800;
}

TransverseMercator TransverseMercator::utm(int zone, bool north) {
  return TransverseMercator(-183.0 + 6.0 * zone, 0.9996, 500000.0, north ? 0.0 : 10000000.0);
}

void TransverseMercator::forward(double lon_deg, double lat_deg, double& x, double& y) const {
  double dl = std::remainder(lon_deg - lon0_, 360.0) * kDeg;
  const double phi = lat_deg * kDeg;
  const double sphi = std::sin(phi);
  // Conformal latitude as its tangent.
  const double t = std::sinh(std::atanh(sphi) - e_ * std::atanh(e_ * sphi));
  const double xi_p = std::atan2(t, std::cos(dl));
  const double eta_p = std::atanh(std::sin(dl) / std::sqrt(1 + t * t));
  double s_xi = 0, s_eta = 0;
  krueger_sums(alpha_, xi_p, eta_p, s_xi, s_eta);
  x = x0_ + k0A_ * (eta_p + s_eta);
  y = y0_ + k0A_ * (xi_p + s_xi);
}

void TransverseMercator::inverse(double x, double y, double& lon_deg, double& lat_deg) const {
  const double xi = (y - y0_) / k0A_, eta = (x - x0_) / k0A_;
  double s_xi = 0, s_eta = 0;
  krueger_sums(beta_, xi, eta, s_xi, s_eta);
  const double xi_p = xi - s_xi, eta_p = eta - s_eta;
  const double sh = std::sinh(eta_p), c = std::cos(xi_p);
  const double tau_p = std::sin(xi_p) / std::hypot(sh, c);
  // Geographic latitude from the conformal one (Newton on τ, Karney eqs. 19-21).
  const double e2m = 1 - e_ * e_;
  double tau = tau_p;
  for (int i = 0; i < 5; ++i) {
    const double s1 = std::sqrt(1 + tau * tau);
    const double sig = std::sinh(e_ * std::atanh(e_ * tau / s1));
    const double tp = tau * std::sqrt(1 + sig * sig) - sig * s1;
    const double dtau = (tau_p - tp) / std::sqrt(1 + tp * tp) * (1 + e2m * tau * tau) / (e2m * s1);
    tau += dtau;
    if (std::abs(dtau) < 1e-14 * std::max(1.0, std::abs(tau))) break;
  }
  lat_deg = std::atan(tau) / kDeg;
  lon_deg = lon0_ + std::atan2(sh, c) / kDeg;
}

}  // namespace hyperplume::geo
