#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/synth/swath.hpp>
#include <numbers>

namespace hyperplume::synth {
namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
}

SwathGeometry::SwathGeometry(const SwathParams& p) : p_(p) {
  if (p.rows <= 0 || p.cols <= 0) throw InputError("swath needs positive rows and cols");
  sin_h_ = std::sin(p.heading_deg * kDeg);
  cos_h_ = std::cos(p.heading_deg * kDeg);
  ifov_ = p.gsd / p.altitude;
  tan_roll_ = std::tan(p.roll_deg * kDeg);
}

double SwathGeometry::scan_angle(double col) const {
  return p_.roll_deg * kDeg + (col - 0.5 * (p_.cols - 1)) * ifov_;
}

geo::EastNorth SwathGeometry::parallax(double col, double height) const {
  const double a = scan_angle(col);
  const double d = height * std::tan(std::abs(a));
  const double az = view(col).azimuth * kDeg;  // towards the sensor
  return {-d * std::sin(az), -d * std::cos(az)};
}

geo::EastNorth SwathGeometry::pixel_en(double row, double col, double height) const {
  const geo::EastNorth f = flat_en(row, col), s = parallax(col, height);
  return {f.east - s.east, f.north - s.north};
}

geo::EastNorth SwathGeometry::pixel_en(double row, double col) const {
  if (!p_.terrain) return flat_en(row, col);
  // The line of sight meets the terrain: a fixed point, quick for slopes far below the view.
  geo::EastNorth p = flat_en(row, col);
  for (int k = 0; k < 8; ++k) p = pixel_en(row, col, p_.terrain(p.east, p.north));
  return p;
}

std::pair<double, double> SwathGeometry::pixel_of(double east, double north, double height) const {
  // The column decides the view, the view the shift: converged in a few steps.
  auto rc = flat_of(east, north);
  for (int k = 0; k < 4; ++k) {
    const geo::EastNorth s = parallax(rc.second, height);
    rc = flat_of(east + s.east, north + s.north);
  }
  return rc;
}

std::pair<double, double> SwathGeometry::pixel_of(double east, double north) const {
  if (!p_.terrain) return flat_of(east, north);
  return pixel_of(east, north, p_.terrain(east, north));
}

geo::EastNorth SwathGeometry::flat_en(double row, double col) const {
  const double along = (row - 0.5 * (p_.rows - 1)) * p_.gsd;
  const double cross = p_.altitude * (std::tan(scan_angle(col)) - tan_roll_);
  return {p_.centre_east + along * sin_h_ + cross * cos_h_,
          p_.centre_north + along * cos_h_ - cross * sin_h_};
}

std::pair<double, double> SwathGeometry::flat_of(double east, double north) const {
  const double de = east - p_.centre_east, dn = north - p_.centre_north;
  const double along = de * sin_h_ + dn * cos_h_;
  const double cross = de * cos_h_ - dn * sin_h_;
  const double row = along / p_.gsd + 0.5 * (p_.rows - 1);
  const double theta = std::atan(cross / p_.altitude + tan_roll_) - p_.roll_deg * kDeg;
  const double col = theta / ifov_ + 0.5 * (p_.cols - 1);
  return {row, col};
}

double SwathGeometry::cross_gsd(double col) const {
  const double c = std::cos(scan_angle(col));
  return p_.altitude * ifov_ / (c * c);
}

ViewGeometry SwathGeometry::view(double col) const {
  const double a = scan_angle(col);
  // The sensor is on the side of nadir opposite to the scan direction.
  double az = a >= 0 ? p_.heading_deg - 90.0 : p_.heading_deg + 90.0;
  az = std::fmod(az + 720.0, 360.0);
  return {std::abs(a) / kDeg, az, p_.altitude / std::cos(a)};
}

double orbit_heading(double lat, double incl, bool ascending) {
  const double s =
      std::clamp(std::cos(incl * kDeg) / std::max(1e-6, std::cos(lat * kDeg)), -1.0, 1.0);
  const double h = std::asin(s) / kDeg;  // 0..90, NE-bound when ascending
  return ascending ? h : 180.0 - h;
}

}  // namespace hyperplume::synth
