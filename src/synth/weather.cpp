#include <cmath>
#include <hyperplume/synth/weather.hpp>
#include <numbers>

namespace hyperplume::synth {
namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
constexpr double kSpaceScale = 1.0;      // degrees
constexpr double kTimeScale = 4 * 3600;  // s
constexpr double kBackgroundWeight = 0.02;
}  // namespace

WeatherSample Weather::at(double lon, double lat, double t) const {
  // Background: a gentle large-scale pattern, so the field is defined everywhere.
  const double bu =
      3.0 * std::sin(lat * kDeg * 3.0) + 1.5 * std::cos(lon * kDeg * 2.0 + t / 86400.0);
  const double bv = 2.0 * std::cos(lat * kDeg * 2.0 + lon * kDeg) - 1.0 * std::sin(t / 43200.0);
  const double bp =
      101325.0 - 400.0 * std::cos(lat * kDeg * 4.0) + 150.0 * std::sin(lon * kDeg * 3.0);
  double wu = kBackgroundWeight * bu, wv = kBackgroundWeight * bv, wp = kBackgroundWeight * bp;
  double wsum = kBackgroundWeight;
  for (const WeatherAnchor& a : anchors_) {
    const double dx = (lon - a.lon) * std::cos(lat * kDeg) / kSpaceScale,
                 dy = (lat - a.lat) / kSpaceScale;
    const double dt = (t - a.unix_time) / kTimeScale;
    const double w = std::exp(-0.5 * (dx * dx + dy * dy + dt * dt));
    wu += w * a.u10;
    wv += w * a.v10;
    wp += w * a.surface_pressure;
    wsum += w;
  }
  return {wu / wsum, wv / wsum, wp / wsum};
}

double wind_direction_from(double u, double v) {
  double d = std::fmod(270.0 - std::atan2(v, u) / kDeg, 360.0);
  if (d < 0) d += 360.0;
  return d;
}

void wind_components(double speed, double dir, double& u, double& v) {
  u = -speed * std::sin(dir * kDeg);
  v = -speed * std::cos(dir * kDeg);
}

}  // namespace hyperplume::synth
