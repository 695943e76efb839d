#include <catch2/catch.hpp>
#include <hyperplume/geo/local_frame.hpp>
#include <hyperplume/geo/solar_position.hpp>

using namespace hyperplume;

TEST_CASE("the sun is overhead where and when it should be", "[geo]") {
  // June solstice 2023: subsolar latitude +23.44; solar noon on the Greenwich meridian
  // falls at about 12:02 UTC (equation of time -1.8 min).
  const auto s = geo::solar_position(UtcTime::parse_iso8601("2023-06-21T12:02:00Z"), 23.44, 0.0);
  CHECK(s.zenith < 0.3);
  // March equinox 2023 (20 March): zenith at solar noon on the equator ~ |declination| < 0.3.
  const auto e = geo::solar_position(UtcTime::parse_iso8601("2023-03-20T12:07:30Z"), 0.0, 0.0);
  CHECK(e.zenith < 0.4);
  // Morning sun is in the east, afternoon sun in the west (northern mid-latitudes).
  // Local solar noon at 103.5 W in mid-August: 12:00 + 6.9 h - equation of time (-4.6 min) =
  // 18:58:30 UTC.
  const auto am = geo::solar_position(UtcTime::parse_iso8601("2023-08-14T15:58:30Z"), 32.0, -103.5);
  const auto pm = geo::solar_position(UtcTime::parse_iso8601("2023-08-14T21:58:30Z"), 32.0, -103.5);
  CHECK(am.azimuth > 60);
  CHECK(am.azimuth < 120);
  CHECK(pm.azimuth > 240);
  CHECK(pm.azimuth < 300);
  CHECK(am.zenith == Approx(pm.zenith).margin(0.5));  // symmetric about local noon
  CHECK(am.azimuth + pm.azimuth == Approx(360.0).margin(1.0));
}

TEST_CASE("local frame forward and inverse agree, and metres per degree are right", "[geo]") {
  const geo::LocalFrame f(32.0, -103.5);
  const auto ll = f.to_lonlat(12345.0, -6789.0);
  const auto en = f.to_east_north(ll.lon, ll.lat);
  CHECK(en.east == Approx(12345.0).margin(1e-6));
  CHECK(en.north == Approx(-6789.0).margin(1e-6));
  CHECK(f.metres_per_degree_lat() == Approx(110888).epsilon(1e-3));  // WGS84 at 32 deg
  CHECK(f.metres_per_degree_lon() == Approx(94495).epsilon(1e-3));
}
