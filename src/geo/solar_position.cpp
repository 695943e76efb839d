#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/solar_position.hpp>
#include <hyperplume/io/text_table.hpp>
#include <numbers>

namespace hyperplume::geo {
namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
}

SolarAngles solar_position(const UtcTime& t, double lat, double lon) {
  const double jd = t.unix_seconds() / 86400.0 + 2440587.5;
  const double jc = (jd - 2451545.0) / 36525.0;
  const double l0 = std::fmod(280.46646 + jc * (36000.76983 + jc * 0.0003032), 360.0);
  const double m = 357.52911 + jc * (35999.05029 - 0.0001537 * jc);
  const double e = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc);
  const double c = std::sin(m * kDeg) * (1.914602 - jc * (0.004817 + 0.000014 * jc)) +
                   std::sin(2 * m * kDeg) * (0.019993 - 0.000101 * jc) +
                   std::sin(3 * m * kDeg) * 0.000289;
  const double true_long = l0 + c;
  const double omega = 125.04 - 1934.136 * jc;
  const double app_long = true_long - 0.00569 - 0.00478 * std::sin(omega * kDeg);
  const double eps0 =
      23.0 + (26.0 + (21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))) / 60.0) / 60.0;
  const double eps = eps0 + 0.00256 * std::cos(omega * kDeg);
  const double decl = std::asin(std::sin(eps * kDeg) * std::sin(app_long * kDeg)) / kDeg;
  const double y = std::tan(eps / 2 * kDeg) * std::tan(eps / 2 * kDeg);
  const double eqtime =
      4.0 / kDeg *
      (y * std::sin(2 * l0 * kDeg) - 2 * e * std::sin(m * kDeg) +
       4 * e * y * std::sin(m * kDeg) * std::cos(2 * l0 * kDeg) -
       0.5 * y * y * std::sin(4 * l0 * kDeg) - 1.25 * e * e * std::sin(2 * m * kDeg));
  const double minutes = t.utc_hours() * 60.0;
  double tst = std::fmod(minutes + eqtime + 4.0 * lon, 1440.0);
  if (tst < 0) tst += 1440.0;
  double ha = tst / 4.0 - 180.0;
  const double cosz =
      std::clamp(std::sin(lat * kDeg) * std::sin(decl * kDeg) +
                     std::cos(lat * kDeg) * std::cos(decl * kDeg) * std::cos(ha * kDeg),
                 -1.0, 1.0);
  const double zen = std::acos(cosz) / kDeg;
  // Azimuth from the spherical triangle, clockwise from north.
  const double az =
      std::atan2(std::sin(ha * kDeg), std::cos(ha * kDeg) * std::sin(lat * kDeg) -
                                          std::tan(decl * kDeg) * std::cos(lat * kDeg)) /
          kDeg +
      180.0;
  return {zen, std::fmod(az + 360.0, 360.0)};
}

EarthSunDistance EarthSunDistance::load(const std::string& path) {
  const io::TextTable t = io::read_text_table(path, 2);
  EarthSunDistance d;
  d.au_ = t.columns[1];
  if (d.au_.size() < 365)
    throw InputError("Earth-Sun distance table has fewer than 365 days",
                     ErrorContext{path, {}, {}});
  return d;
}

double EarthSunDistance::au(int doy) const {
  const int i = std::clamp(doy, 1, static_cast<int>(au_.size())) - 1;
  return au_[static_cast<std::size_t>(i)];
}

}  // namespace hyperplume::geo
