#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/rpc.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/rpc_geolocation.hpp>
#include <vector>

#include "support/fixtures.hpp"
#include "support/pushbroom.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
constexpr int kRows = 120, kCols = 90;

// A hill of 600 m on a 400 m plain, centred in the scene.
double terrain(double lon, double lat) {
  const double dx = (lon - 7.425) * 76900.0, dy = (lat - 46.318) * 111319.0;
  return 400.0 + 600.0 * std::exp(-(dx * dx + dy * dy) / (2 * 900.0 * 900.0));
}

geo::Rpc scene_rpc(const test::Pushbroom& pb) {
  return geo::fit_rpc(pb.rpc_samples(-10, kRows + 10, 10, -10, kCols + 10, 10, {0.0, 400.0, 800.0, 1200.0})).rpc;
}

// The Copernicus tile 46N 7E at 1/3600 degree, sampled only around the scene (the rest 0).
void write_dem_tile(const fs::path& dir) {
  const int n = 3600;
  Raster<float> z = Raster<float>::Zero(n, n);
  for (int r = 2000; r < 3000; ++r)
    for (int c = 1200; c < 1800; ++c)
      z(r, c) = static_cast<float>(terrain(7.0 + (c + 0.5) / n, 47.0 - (r + 0.5) / n));
  GeoTransform gt;
  gt.gt = {7.0, 1.0 / n, 0, 47.0, 0, -1.0 / n};
  io::write_float_geotiff((dir / io::copernicus_tile_name(46, 7)).string(), z, gt, NAN);
}
}  // namespace

TEST_CASE("GDAL's RPC transformer over a DEM puts each pixel where the sensor saw it",
          "[io]") {
  const test::Pushbroom pb;
  const geo::Rpc rpc = scene_rpc(pb);
  test::TempDir dir("rpc_dem");
  write_dem_tile(dir.path());
  const auto files = io::dem_files_for(dir.path().string(), 7.38, 46.28, 7.47, 46.36);
  REQUIRE(files.size() == 1);
  const io::PixelGround g = io::locate_rpc_pixels(rpc, kRows, kCols, files, "scene");
  double worst = 0, worst_flat = 0;
  for (int r = 0; r < kRows; r += 7)
    for (int c = 0; c < kCols; c += 5) {
      const auto [lon, lat] = pb.lonlat_seen(r, c, terrain);
      const auto [e, n] = pb.east_north(lon, lat);
      const auto [ge, gn] = pb.east_north(g.lon(r, c), g.lat(r, c));
      worst = std::max(worst, std::hypot(ge - e, gn - n) / pb.gsd);
      CHECK(g.height(r, c) == Approx(terrain(lon, lat)).margin(5.0));
      const auto [fe, fn] = pb.ground0(r, c);
      worst_flat = std::max(worst_flat, std::hypot(fe - e, fn - n) / pb.gsd);
    }
  INFO("largest error " << worst << " pixels; ignoring the terrain would give " << worst_flat);
  CHECK(worst < 0.1);
  CHECK(worst_flat > 5);  // the test has parallax worth correcting

  // Without a DEM the pixels sit at the RPC's height offset.
  const io::PixelGround flat = io::locate_rpc_pixels(rpc, kRows, kCols, {}, "scene");
  const auto [lon, lat] = pb.lonlat(pb.ground0(60, 45).first - pb.parallax(rpc.height_off).first,
                                    pb.ground0(60, 45).second - pb.parallax(rpc.height_off).second);
  CHECK(flat.lon(60, 45) == Approx(lon).margin(1e-6));
  CHECK(flat.lat(60, 45) == Approx(lat).margin(1e-6));
  CHECK_THAT(flat.dem, Catch::Matchers::StartsWith("none"));
}

TEST_CASE("a missing DEM tile is named", "[io]") {
  test::TempDir dir("rpc_dem_missing");
  write_dem_tile(dir.path());
  CHECK_THROWS_WITH(io::dem_files_for(dir.path().string(), 7.9, 46.5, 8.1, 46.6),
                    Catch::Matchers::Contains("Copernicus_DSM_COG_10_N46_00_E008_00_DEM.tif") &&
                        Catch::Matchers::Contains("paths.dem_dir = none"));
  CHECK_THROWS_AS(io::dem_files_for((dir.path() / "nowhere").string(), 7.9, 46.5, 8.1, 46.6),
                  InputError);
  CHECK(io::copernicus_tile_name(-3, -71) == "Copernicus_DSM_COG_10_S03_00_W071_00_DEM.tif");
}
