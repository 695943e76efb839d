#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/geo/solar_position.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

namespace {
synth::SynthOptions geometry_options() {
  synth::SynthOptions o = test::single_scene_options(5, 40, 56);
  o.noise = false;
  o.place_lat = 40.0;
  o.place_lon = 45.5;
  return o;
}
}  // namespace

TEST_CASE("the GLT maps every covered cell to its nearest pixel and references nearly every pixel",
          "[synth]") {
  const auto s = test::render_scene(geometry_options());
  const auto& g = s.scene->geometry();
  const auto& glt = g.glt;
  REQUIRE(glt.x.size() > 0);
  const geo::LocalFrame frame(g.lat(0, 0), g.lon(0, 0));
  Raster<int> hits = Raster<int>::Zero(g.lat.rows(), g.lat.cols());
  const auto& gt = glt.transform.gt;
  CHECK(gt[1] == Approx(0.000542232520256367));
  for (Eigen::Index j = 0; j < glt.x.rows(); ++j)
    for (Eigen::Index i = 0; i < glt.x.cols(); ++i) {
      const int x = glt.x(j, i), y = glt.y(j, i);
      CHECK((x == 0) == (y == 0));
      if (x == 0) continue;
      REQUIRE(x >= 1);
      REQUIRE(x <= g.lat.cols());
      REQUIRE(y >= 1);
      REQUIRE(y <= g.lat.rows());
      ++hits(y - 1, x - 1);
      const auto cell = frame.to_east_north(gt[0] + (i + 0.5) * gt[1], gt[3] + (j + 0.5) * gt[5]);
      const auto pix = frame.to_east_north(g.lon(y - 1, x - 1), g.lat(y - 1, x - 1));
      const double d = std::hypot(cell.east - pix.east, cell.north - pix.north);
      CHECK(d < 0.75 * 60 * std::sqrt(2.0));
      // Nearest: no neighbour of the chosen pixel is closer.
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int yy = y - 1 + dy, xx = x - 1 + dx;
          if (yy < 0 || xx < 0 || yy >= g.lat.rows() || xx >= g.lat.cols()) continue;
          const auto n = frame.to_east_north(g.lon(yy, xx), g.lat(yy, xx));
          CHECK(std::hypot(cell.east - n.east, cell.north - n.north) >= d - 1e-6);
        }
    }
  // A nearest-pixel lookup on EMIT's 0.000542 degree grid (46 x 60 m at 40 N) leaves some
  // pixels out of the orthorectified image, as in EMIT's own GLTs; most are in.
  CHECK((hits > 0).count() >= 0.85 * hits.size());
}

TEST_CASE("pixels are ~60 m apart and the angles are consistent with time and place", "[synth]") {
  const auto s = test::render_scene(geometry_options());
  const auto& g = s.scene->geometry();
  const geo::LocalFrame frame(g.lat(20, 28), g.lon(20, 28));
  auto en = [&](int r, int c) { return frame.to_east_north(g.lon(r, c), g.lat(r, c)); };
  const auto a = en(20, 28), down = en(21, 28), across = en(20, 29);
  CHECK(std::hypot(down.east - a.east, down.north - a.north) == Approx(60.0).epsilon(0.01));
  CHECK(std::hypot(across.east - a.east, across.north - a.north) == Approx(60.0).epsilon(0.05));
  // Rows run along the ISS ground track (inclination 51.6 deg): heading within 40 deg of NE/SE/...
  const double heading = std::atan2(down.east - a.east, down.north - a.north) * 180 / M_PI;
  CHECK(std::abs(std::abs(heading) - 90.0) < 50.0);
  const auto& sp = s.scene->plan();
  for (int r : {0, 39})
    for (int c : {0, 55}) {
      const auto sun = geo::solar_position(g.swath.row_time(r + 0.5), g.lat(r, c), g.lon(r, c));
      CHECK(g.obs[synth::kToSunZenith](r, c) == Approx(sun.zenith).margin(1e-3));
      CHECK(g.obs[synth::kToSunAzimuth](r, c) == Approx(sun.azimuth).margin(1e-3));
      CHECK(g.obs[synth::kToSensorZenith](r, c) < 12.0f);
      CHECK(g.obs[synth::kUtcTime](r, c) == Approx(sp.start.utc_hours()).margin(0.01));
      CHECK(g.obs[synth::kEarthSunDistance](r, c) == Approx(1.013).margin(0.01));  // mid-August
      CHECK(g.obs[synth::kPathLength](r, c) > 410e3f);
    }
  // Overpass between 10 and 14 local solar time.
  const double lst = sp.start.utc_hours() + g.lon(20, 28) / 15.0;
  CHECK(std::fmod(lst + 24.0, 24.0) > 9.9);
  CHECK(std::fmod(lst + 24.0, 24.0) < 14.1);
}
