#include <ogr_spatialref.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/geo/local_frame.hpp>
#include <hyperplume/geo/ortho_map.hpp>
#include <hyperplume/geo/transverse_mercator.hpp>
#include <hyperplume/geo/utm_grid.hpp>
#include <memory>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("UTM by Krueger's series agrees with PROJ to a millimetre", "[geo]") {
  const CounterRng rng(3, stream_id("utm-vs-proj"));
  OGRSpatialReference wgs84, utm;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  double worst_m = 0, worst_deg = 0;
  for (int k = 0; k < 60; ++k) {
    const bool north = k % 2 == 0;
    const int zone = 1 + (k * 7) % 60;
    utm.importFromEPSG((north ? 32600 : 32700) + zone);
    utm.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&wgs84, &utm));
    REQUIRE(ct);
    const auto tm = geo::TransverseMercator::utm(zone, north);
    for (int i = 0; i < 20; ++i) {
      const std::uint64_t c = static_cast<std::uint64_t>(k) * 100 + static_cast<std::uint64_t>(i);
      double lon = tm.central_meridian() + 3.5 * (2 * rng.uniform(2 * c) - 1);
      double lat = (north ? 1 : -1) * 80 * rng.uniform(2 * c + 1);
      double x = 0, y = 0, px = lon, py = lat;
      tm.forward(lon, lat, x, y);
      REQUIRE(ct->Transform(1, &px, &py));
      worst_m = std::max({worst_m, std::abs(x - px), std::abs(y - py)});
      double lon2 = 0, lat2 = 0;
      tm.inverse(x, y, lon2, lat2);
      worst_deg = std::max({worst_deg, std::abs(lon2 - lon), std::abs(lat2 - lat)});
    }
  }
  INFO("worst forward difference " << worst_m << " m, worst round trip " << worst_deg << " deg");
  CHECK(worst_m < 1e-3);
  CHECK(worst_deg < 1e-10);
}

TEST_CASE("UTM zone: the scene centre's, or HyperGas's first match", "[geo]") {
  CHECK(geo::utm_zone_of(6.1, 45).zone == 32);
  CHECK(geo::utm_zone_of(-0.1, -10).epsg() == 32730);
  CHECK(geo::utm_zone_of(179.9, 1).zone == 60);
  CHECK(geo::utm_zone_of(-180, 1).zone == 1);
  // A swath across the 6 E boundary: HyperGas takes the western zone.
  CHECK(geo::hypergas_zone(5.7, 44.8, 6.4, 45.4).epsg() == 32631);
  // Touching the equator from the south: the northern zone comes first in EPSG order.
  CHECK(geo::hypergas_zone(10.1, -0.4, 10.6, 0.2).epsg() == 32632);
  CHECK(geo::hypergas_zone(10.1, -0.6, 10.6, -0.2).epsg() == 32732);
}

namespace {
synth::SynthOptions ortho_options() {
  synth::SynthOptions o = test::single_scene_options(21, 48, 52);
  o.noise = false;
  o.place_lat = 31.8;
  o.place_lon = -102.4;
  return o;
}
}  // namespace

TEST_CASE("GLT orthorectification: nearest sensor pixels, plume source within one pixel", "[geo]") {
  const auto s = test::render_scene(ortho_options());
  const auto& g = s.scene->geometry();
  const int R = static_cast<int>(g.lat.rows()), C = static_cast<int>(g.lat.cols());
  const geo::UtmGrid grid = geo::utm_grid_for_swath(g.lon, g.lat);
  CHECK(grid.zone.epsg() == 32614);  // the scene centre is at 100.9 W
  // The zone of the swath centre by the 6-degree rule, worked out here, not by utm_zone_of.
  CHECK(grid.zone.zone == static_cast<int>(std::floor((g.lon(R / 2, C / 2) + 180) / 6)) + 1);
  CHECK(grid.resolution == Approx(60).epsilon(0.08));  // native sampling, ~60 m
  const geo::GltLocator glt(g.glt, R, C);
  const geo::OrthoMap map1(grid, glt, R, C, 1);
  const geo::OrthoMap map3(grid, glt, R, C, 3);
  CHECK(map1.source() == map3.source());
  CHECK(map1.method() == "glt");

  // Every mapped grid pixel sees the sensor pixel nearest to the centre of the GLT cell it
  // falls in (GDAL's nearest neighbour, then the GLT's), which is at most one GLT cell
  // diagonal farther than the sensor pixel nearest to the grid pixel itself.
  const geo::LocalFrame frame(g.lat(R / 2, C / 2), g.lon(R / 2, C / 2));
  std::vector<geo::EastNorth> pixel_en;
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) pixel_en.push_back(frame.to_east_north(g.lon(r, c), g.lat(r, c)));
  const auto& gt = g.glt.transform.gt;
  const double cell_diagonal =
      std::hypot(gt[1] * frame.metres_per_degree_lon(), gt[5] * frame.metres_per_degree_lat());
  auto nearest_pixel = [&](const geo::EastNorth& p) {
    std::pair<double, std::size_t> best{1e300, 0};
    for (std::size_t i = 0; i < pixel_en.size(); ++i)
      best =
          std::min(best, {std::hypot(pixel_en[i].east - p.east, pixel_en[i].north - p.north), i});
    return best;
  };
  std::size_t mapped = 0, nearest_to_cell = 0;
  double worst_excess = 0;
  for (int r = 0; r < grid.height; ++r)
    for (int c = 0; c < grid.width; ++c) {
      const std::int64_t src = map1.source()[static_cast<std::size_t>(r) * grid.width + c];
      if (src < 0) continue;
      ++mapped;
      const double lon = map1.longitude()(r, c), lat = map1.latitude()(r, c);
      const auto p = frame.to_east_north(lon, lat);
      const auto& m = pixel_en[static_cast<std::size_t>(src)];
      worst_excess = std::max(
          worst_excess, std::hypot(m.east - p.east, m.north - p.north) - nearest_pixel(p).first);
      const double cell_lon = gt[0] + (std::floor((lon - gt[0]) / gt[1]) + 0.5) * gt[1];
      const double cell_lat = gt[3] + (std::floor((lat - gt[3]) / gt[5]) + 0.5) * gt[5];
      const auto [d_cell, i_cell] = nearest_pixel(frame.to_east_north(cell_lon, cell_lat));
      const auto& mc = frame.to_east_north(cell_lon, cell_lat);
      nearest_to_cell += std::hypot(m.east - mc.east, m.north - mc.north) <= d_cell + 1e-6;
    }
  INFO("mapped " << mapped << ", worst excess over the nearest " << worst_excess
                 << " m (GLT cell diagonal " << cell_diagonal << " m)");
  CHECK(mapped > 0.9 * R * C);
  CHECK(nearest_to_cell == mapped);
  CHECK(worst_excess <= cell_diagonal);

  // The grid's own geolocation is the inverse projection of the pixel centres.
  const auto tm = grid.projection();
  double x = 0, y = 0;
  tm.forward(map1.longitude()(7, 9), map1.latitude()(7, 9), x, y);
  CHECK(x == Approx(grid.x(9)).margin(1e-6));
  CHECK(y == Approx(grid.y(7)).margin(1e-6));

  // Positions survive: where the product shows each source (the grid pixel whose sensor
  // pixel lies nearest the source) is within one grid pixel of the source's true UTM
  // position, and the injected plume's mass centre moves by less than a pixel.
  const auto& truth = s.scene->truth();
  REQUIRE(!truth.sources.empty());
  for (const auto& src : truth.sources) {
    double sx = 0, sy = 0;
    tm.forward(src.lon, src.lat, sx, sy);
    double best = 1e300, shown_x = 0, shown_y = 0;
    for (int r = 0; r < grid.height; ++r)
      for (int c = 0; c < grid.width; ++c) {
        const std::int64_t seen = map1.source()[static_cast<std::size_t>(r) * grid.width + c];
        if (seen < 0) continue;
        double px = 0, py = 0;
        tm.forward(g.lon.data()[seen], g.lat.data()[seen], px, py);
        const double d = std::hypot(px - sx, py - sy);
        if (d < best) best = d, shown_x = grid.x(c), shown_y = grid.y(r);
      }
    INFO("source at " << src.lat << ", " << src.lon << " shown " << shown_x - sx << ", "
                      << shown_y - sy << " m away");
    CHECK(std::max(std::abs(shown_x - sx), std::abs(shown_y - sy)) <= grid.resolution);
  }
  const Raster<double> ortho_mass = map1.apply(truth.column_mass);
  double m_s = 0, x_s = 0, y_s = 0, m_o = 0, x_o = 0, y_o = 0;
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      double px = 0, py = 0;
      tm.forward(g.lon(r, c), g.lat(r, c), px, py);
      m_s += truth.column_mass(r, c), x_s += truth.column_mass(r, c) * px;
      y_s += truth.column_mass(r, c) * py;
    }
  for (int r = 0; r < grid.height; ++r)
    for (int c = 0; c < grid.width; ++c)
      if (std::isfinite(ortho_mass(r, c))) {
        m_o += ortho_mass(r, c), x_o += ortho_mass(r, c) * grid.x(c);
        y_o += ortho_mass(r, c) * grid.y(r);
      }
  REQUIRE(m_s > 0);
  INFO("plume centre shift " << x_o / m_o - x_s / m_s << ", " << y_o / m_o - y_s / m_s << " m");
  CHECK(std::abs(x_o / m_o - x_s / m_s) < grid.resolution);
  CHECK(std::abs(y_o / m_o - y_s / m_s) < grid.resolution);
  // A field of the wrong shape is refused.
  CHECK_THROWS_AS(map1.apply(Raster<float>(Raster<float>::Zero(R + 1, C))), InputError);
}

namespace {
// A locator that fails on one row of the grid, as one reading a broken DEM would.
class FailingLocator : public geo::SourceLocator {
 public:
  explicit FailingLocator(double failing_y) : failing_y_(failing_y) {}
  std::string method() const override { return "none"; }
  void locate(const geo::TargetPoints& p, std::span<std::int64_t> source) const override {
    if (p.y[0] == failing_y_) throw InputError("no elevation under this row");
    for (auto& s : source) s = -1;
  }

 private:
  double failing_y_;
};
}  // namespace

TEST_CASE("a locator that throws on a worker thread fails the map in the caller", "[geo]") {
  geo::UtmGrid grid;
  grid.zone = {13, true};
  grid.x0 = 500000;
  grid.y0 = 3540000;
  grid.resolution = 60;
  grid.width = 8;
  grid.height = 16;
  const FailingLocator locator(grid.y(13));  // row 13: a worker's, not the caller's, for 2 and 4
  for (const int threads : {1, 2, 4}) {
    INFO(threads << " thread(s)");
    CHECK_THROWS_WITH(geo::OrthoMap(grid, locator, 4, 4, threads),
                      Catch::Matchers::Contains("no elevation"));
  }
}
