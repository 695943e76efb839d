#include <gdal_priv.h>
#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/synth/ancillary.hpp>
#include <sstream>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
struct TruthSource {
  double lat, lon, q, speed, dir, sp;
};

std::vector<TruthSource> read_truth(const std::string& path, Raster<float>* dx = nullptr,
                                    Raster<unsigned char>* cls = nullptr) {
  io::NcFile f(path, io::NcFile::Mode::read);
  const std::size_t n = f.dim_length(f.id(), "source");
  auto get = [&](const char* name) {
    std::vector<double> v(n);
    if (n) nc_get_var_double(f.id(), f.var(f.id(), name), v.data());
    return v;
  };
  const auto lat = get("source_latitude"), lon = get("source_longitude"), q = get("emission_rate"),
             ws = get("wind_speed"), wd = get("wind_direction"), sp = get("surface_pressure");
  std::vector<TruthSource> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back({lat[i], lon[i], q[i], ws[i], wd[i], sp[i]});
  const std::size_t rows = f.dim_length(f.id(), "downtrack"),
                    cols = f.dim_length(f.id(), "crosstrack");
  if (dx) {
    dx->resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    nc_get_var_float(f.id(), f.var(f.id(), "delta_xch4"), dx->data());
  }
  if (cls) {
    cls->resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
    nc_get_var_uchar(f.id(), f.var(f.id(), "surface_class"), cls->data());
  }
  return out;
}

// Bilinear sample of a GDAL band at a lon/lat (grid points at cell centres).
double bilinear(GDALRasterBand* band, const double* gt, double lon, double lat) {
  const double x = (lon - gt[0]) / gt[1] - 0.5, y = (lat - gt[3]) / gt[5] - 0.5;
  const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
  double v[4];
  REQUIRE(band->RasterIO(GF_Read, x0, y0, 2, 2, v, 2, 2, GDT_Float64, 0, 0) == CE_None);
  const double fx = x - x0, fy = y - y0;
  return (v[0] * (1 - fx) + v[1] * fx) * (1 - fy) + (v[2] * (1 - fx) + v[3] * fx) * fy;
}
}  // namespace

TEST_CASE("ERA5 GRIB winds and GEOS-FP surface pressure agree with the truth at the sources",
          "[synth]") {
  const auto& camp = test::small_campaign();
  io::gdal_register_once();
  int checked = 0;
  for (const auto& sc : camp.scenes) {
    const auto truth = read_truth(sc.truth_path);
    const auto scene = sensor::EmitL1bReader(sc.rad_path).read({0});
    const UtcTime t = scene.start_time;
    const std::string grib = synth::era5_path((fs::path(camp.ancillary_dir) / "era5").string(), t);
    REQUIRE(fs::exists(grib));
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(grib.c_str(), GA_ReadOnly));
    REQUIRE(ds != nullptr);
    REQUIRE(ds->GetRasterCount() == 48);
    double gt[6];
    ds->GetGeoTransform(gt);
    const double hours = t.utc_hours();
    const int h0 = static_cast<int>(std::floor(hours));
    const double f = hours - h0;
    for (const auto& s : truth) {
      auto field = [&](int hour, int comp) {
        GDALRasterBand* b = ds->GetRasterBand(2 * hour + comp + 1);
        CHECK(std::string(b->GetMetadataItem("GRIB_ELEMENT")) == (comp == 0 ? "UGRD" : "VGRD"));
        return bilinear(b, gt, s.lon, s.lat);
      };
      const double u = (1 - f) * field(h0, 0) + f * field(h0 + 1, 0),
                   v = (1 - f) * field(h0, 1) + f * field(h0 + 1, 1);
      CHECK(std::hypot(u, v) == Approx(s.speed).margin(0.25));
      const double dir = std::fmod(270.0 - std::atan2(v, u) * 180 / M_PI + 720.0, 360.0);
      CHECK(std::abs(std::remainder(dir - s.dir, 360.0)) < 5.0);
      ++checked;
    }
    GDALClose(ds);

    const CivilTime c = t.civil();
    const std::string geos =
        synth::geosfp_path((fs::path(camp.ancillary_dir) / "geosfp").string(),
                           UtcTime::from_civil({c.year, c.month, c.day, c.hour, 0, 0.0}));
    REQUIRE(fs::exists(geos));
    GDALDataset* g =
        static_cast<GDALDataset*>(GDALOpen(("NETCDF:\"" + geos + "\":PS").c_str(), GA_ReadOnly));
    REQUIRE(g != nullptr);
    double ggt[6];
    g->GetGeoTransform(ggt);
    for (const auto& s : truth)
      CHECK(bilinear(g->GetRasterBand(1), ggt, s.lon, s.lat) == Approx(s.sp).margin(300.0));
    GDALClose(g);
  }
  CHECK(checked == 3);
}

TEST_CASE("water-mask tiles match the scenes' water bodies", "[synth]") {
  const auto& camp = test::small_campaign();
  io::gdal_register_once();
  int water = 0, water_hit = 0, land = 0, land_hit = 0;
  for (const auto& sc : camp.scenes) {
    Raster<unsigned char> cls;
    read_truth(sc.truth_path, nullptr, &cls);
    const auto scene = sensor::EmitL1bReader(sc.rad_path).read({0});
    for (int r = 0; r < scene.rows(); ++r)
      for (int c = 0; c < scene.cols(); ++c) {
        // A scene may straddle tiles: each pixel looks in its own tile.
        const std::string tile =
            (fs::path(camp.ancillary_dir) / "osm_worldcover" /
             synth::water_tile_name(scene.latitude(r, c), scene.longitude(r, c)))
                .string();
        REQUIRE(fs::exists(tile));
        GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(tile.c_str(), GA_ReadOnly));
        REQUIRE(ds != nullptr);
        double gt[6];
        ds->GetGeoTransform(gt);
        const int x = static_cast<int>((scene.longitude(r, c) - gt[0]) / gt[1]),
                  y = static_cast<int>((scene.latitude(r, c) - gt[3]) / gt[5]);
        unsigned char v = 0;
        REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Read, x, y, 1, 1, &v, 1, 1, GDT_Byte, 0, 0) ==
                CE_None);
        GDALClose(ds);
        if (cls(r, c) == 0) {
          ++water;
          water_hit += v == 1;
        } else {
          ++land;
          land_hit += v == 0;
        }
      }
  }
  CHECK(land > 0);
  CHECK(land_hit >= 0.98 * land);
  if (water > 0) CHECK(water_hit >= 0.8 * water);  // pixel majority vs. point sample at edges
}

TEST_CASE("markers and the truth table name the sources of emitting scenes only", "[synth]") {
  const auto& camp = test::small_campaign();
  int with_markers = 0;
  for (const auto& sc : camp.scenes) {
    const auto truth = read_truth(sc.truth_path);
    REQUIRE(truth.size() == 1);
    if (truth[0].q == 0) {
      CHECK(sc.markers_path.empty());
      continue;
    }
    ++with_markers;
    CHECK(fs::path(sc.markers_path).filename().string().rfind("EMIT_L2B_001_", 0) == 0);
    std::ifstream in(sc.markers_path);
    std::stringstream text;
    text << in.rdbuf();
    char lonlat[64];
    std::snprintf(lonlat, sizeof lonlat, "[%.7f, %.7f]", truth[0].lon, truth[0].lat);
    CHECK(text.str().find("\"FeatureCollection\"") != std::string::npos);
    CHECK(text.str().find(lonlat) != std::string::npos);
  }
  CHECK(with_markers == 2);
  std::ifstream csv(camp.truth_csv);
  std::string line;
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  CHECK(rows == 4);  // header + 3 scenes x 1 source
}
