#include <algorithm>
#include <cmath>
#include <hyperplume/geo/local_frame.hpp>
#include <numbers>

namespace hyperplume::geo {
namespace {
constexpr double kA = 6378137.0;          // WGS84 semi-major axis
constexpr double kE2 = 6.69437999014e-3;  // first eccentricity squared
constexpr double kDeg = std::numbers::pi / 180.0;
}  // namespace

LocalFrame::LocalFrame(double lat0, double lon0) : lat0_(lat0), lon0_(lon0) {
  const double s = std::sin(lat0 * kDeg);
  const double w = std::sqrt(1.0 - kE2 * s * s);
  const double meridional = kA * (1.0 - kE2) / (w * w * w);
  const double prime_vertical = kA / w;
  m_per_deg_lat_ = meridional * kDeg;
  m_per_deg_lon_ = prime_vertical * std::cos(lat0 * kDeg) * kDeg;
}

LonLat LocalFrame::to_lonlat(double east, double north) const {
  return {lon0_ + east / m_per_deg_lon_, lat0_ + north / m_per_deg_lat_};
}

EastNorth LocalFrame::to_east_north(double lon, double lat) const {
  return {(lon - lon0_) * m_per_deg_lon_, (lat - lat0_) * m_per_deg_lat_};
}

double central_angle(double lat1, double lon1, double lat2, double lon2) {
  const double s_lat = std::sin((lat2 - lat1) * kDeg / 2);
  const double s_lon = std::sin((lon2 - lon1) * kDeg / 2);
  const double h = s_lat * s_lat + std::cos(lat1 * kDeg) * std::cos(lat2 * kDeg) * s_lon * s_lon;
  return 2 * std::asin(std::min(1.0, std::sqrt(h)));
}

double bearing_deg(double lat1, double lon1, double lat2, double lon2) {
  const double p1 = lat1 * kDeg, p2 = lat2 * kDeg, dl = (lon2 - lon1) * kDeg;
  const double y = std::sin(dl) * std::cos(p2);
  const double x = std::cos(p1) * std::sin(p2) - std::sin(p1) * std::cos(p2) * std::cos(dl);
  double b = std::atan2(y, x) / kDeg;
  if (b < 0) b += 360.0;
  return b;
}

}  // namespace hyperplume::geo
