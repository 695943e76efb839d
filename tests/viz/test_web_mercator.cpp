// The overlay grid: a pixel lands where Leaflet's linear stretch between the overlay bounds
// puts it, within one pixel of its true position; PNG round trips.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/viz/image.hpp>
#include <hyperplume/viz/web_mercator.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;
using namespace hyperplume::viz;

namespace {
struct UtmScene {
  UtmPixelGrid grid;
  geo::TransverseMercator tm = geo::TransverseMercator::utm(13, true);
  Raster<double> lat, lon;
};

// 60 m pixels around (-103.5, 32.2), a little north-east of the zone's central meridian.
UtmScene utm_scene(int rows, int cols) {
  UtmScene s;
  double x = 0, y = 0;
  s.tm.forward(-103.5, 32.2, x, y);
  s.grid = {rows, cols, x - 60.0 * cols / 2, y + 60.0 * rows / 2, 60.0, -60.0};
  s.lat.resize(rows, cols);
  s.lon.resize(rows, cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) s.tm.inverse(s.grid.x0 + c * 60.0, s.grid.y0 - r * 60.0, s.lon(r, c), s.lat(r, c));
  return s;
}

double metres(double lat1, double lon1, double lat2, double lon2) {
  const double k = 6371008.8 * M_PI / 180;
  return std::hypot((lat1 - lat2) * k, (lon1 - lon2) * k * std::cos(lat1 * M_PI / 180));
}
}  // namespace

TEST_CASE("a UTM pixel lands within one pixel of its lat/lon on the Web Mercator overlay", "[viz]") {
  const UtmScene s = utm_scene(300, 250);
  const MercatorGrid g = mercator_grid_for(s.lat, s.lon, 60.0);
  // Ground pixel 60 m at the centre latitude; the overlay just covers the scene.
  CHECK(g.pixel * std::cos(32.2 * M_PI / 180) == Approx(60.0).epsilon(0.01));
  CHECK(g.bounds.south < s.lat.minCoeff());
  CHECK(g.bounds.north > s.lat.maxCoeff());
  const std::vector<std::int64_t> index = mercator_resampling(g, s.grid, s.tm);
  for (const auto& [r0, c0] : {std::pair{150, 125}, std::pair{10, 240}, std::pair{290, 3}}) {
    // Where Leaflet draws output pixel (row, col): linear in Mercator between the bounds.
    double best = INFINITY;
    for (int row = 0; row < g.rows; ++row)
      for (int col = 0; col < g.cols; ++col)
        if (index[static_cast<std::size_t>(row * g.cols + col)] == r0 * s.grid.cols + c0) {
          const double x = mercator_x(g.bounds.west) + (col + 0.5) / g.cols * (mercator_x(g.bounds.east) - mercator_x(g.bounds.west));
          const double y = mercator_y(g.bounds.north) - (row + 0.5) / g.rows * (mercator_y(g.bounds.north) - mercator_y(g.bounds.south));
          best = std::min(best, metres(mercator_lat(y), mercator_lon(x), s.lat(r0, c0), s.lon(r0, c0)));
        }
    INFO("pixel " << r0 << ", " << c0);
    CHECK(best < 60.0);
  }
  // Every output pixel samples its nearest UTM pixel: the interpolated projection agrees
  // with the exact one.
  for (int row = 0; row < g.rows; row += 37)
    for (int col = 0; col < g.cols; col += 29) {
      double lon = 0, lat = 0, x = 0, y = 0;
      g.lonlat(row, col, lon, lat);
      s.tm.forward(lon, lat, x, y);
      const long c = std::lround((x - s.grid.x0) / 60.0), r = std::lround((s.grid.y0 - y) / 60.0);
      const bool inside = c >= 0 && r >= 0 && c < s.grid.cols && r < s.grid.rows;
      CHECK(index[static_cast<std::size_t>(row * g.cols + col)] == (inside ? r * s.grid.cols + c : -1));
    }
}

TEST_CASE("resampling keeps transparency outside the source", "[viz]") {
  const UtmScene s = utm_scene(40, 30);
  RgbaImage src(40, 30);
  for (auto& p : src.pixels) p = {200, 10, 10, 255};
  const MercatorGrid g = mercator_grid_for(s.lat, s.lon, 60.0);
  const RgbaImage out = resample(src, mercator_resampling(g, s.grid, s.tm), g);
  std::size_t opaque = 0, clear = 0;
  for (const auto& p : out.pixels) (p.a ? opaque : clear)++;
  CHECK(opaque == Approx(40 * 30).epsilon(0.05));
  CHECK(clear > 0);  // the rotated UTM grid leaves the corners of the overlay empty
}

TEST_CASE("PNG round trip: palette and full colour, lossless", "[viz]") {
  const test::TempDir dir("png");
  RgbaImage few(3, 4), many(20, 20);
  few.at(0, 0) = {1, 2, 3, 255};
  few.at(2, 3) = {250, 100, 0, 128};
  for (int r = 0; r < 20; ++r)
    for (int c = 0; c < 20; ++c)
      many.at(r, c) = {static_cast<std::uint8_t>(r * 12), static_cast<std::uint8_t>(c * 12), 7, 255};
  for (const RgbaImage* img : {&few, &many}) {
    const std::string bytes = encode_png(*img);
    CHECK(bytes.substr(1, 3) == "PNG");
    std::ofstream(dir.str("x.png"), std::ios::binary) << bytes;
    const RgbaImage back = read_png(dir.str("x.png"));
    REQUIRE(back.rows == img->rows);
    REQUIRE(back.cols == img->cols);
    CHECK(back.pixels == img->pixels);
  }
  CHECK(base64("Man") == "TWFu");
  CHECK(base64("Ma") == "TWE=");
  CHECK(base64("M") == "TQ==");
}
