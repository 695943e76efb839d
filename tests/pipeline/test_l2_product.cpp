#include <gdal_priv.h>
#include <netcdf.h>
#include <ogr_spatialref.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/app/app.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/io/stored_chunks.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <hyperplume/pipeline/l3_writer.hpp>
#include <set>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
std::vector<double> truth_vector(const std::string& rad, const char* name) {
  io::NcFile f(fs::path(rad).replace_extension().string() + "_truth.nc", io::NcFile::Mode::read);
  std::vector<double> v(f.dim_length(f.id(), "source"));
  nc_get_var_double(f.id(), f.var(f.id(), name), v.data());
  return v;
}
}  // namespace

TEST_CASE(
    "hyperplume l2 writes a complete CF product next to each L1 scene, and skips it when asked",
    "[pipeline]") {
  test::TempDir dir("l2-product");
  const auto& camp = test::small_campaign();
  // A private copy of the campaign so the L2 files land in this test's directory.
  const fs::path l1 = fs::path(camp.scenes[0].rad_path).parent_path().parent_path();
  fs::copy(l1, dir.path() / "l1", fs::copy_options::recursive);
  const std::string root = dir.str("l1"), overlay = dir.str("l1/hyperplume_campaign.ini");
  {
    std::ofstream ini(overlay);
    ini << "[paths]\nera5_dir = " << dir.str("l1/ancillary/era5")
        << "\ngeosfp_dir = " << dir.str("l1/ancillary/geosfp")
        << "\nosm_dir = " << dir.str("l1/ancillary/osm_worldcover") << "\n";
  }
  REQUIRE(app::run_command({"l2", "--root", root, "--config-overlay", overlay, "--unortho-export",
                            "--log-level", "warn"}) == app::kExitOk);

  for (const auto& sc : camp.scenes) {
    const std::string rad = (dir.path() / "l1" / fs::relative(sc.rad_path, l1)).string();
    const std::string l2 = pipeline::l2_path_for(rad);
    INFO(l2);
    REQUIRE(fs::path(l2).filename().string().rfind("EMIT_L2B_001_", 0) == 0);
    REQUIRE(pipeline::is_complete_l2(l2));
    io::NcFile f(l2, io::NcFile::Mode::read);
    const int g = f.id();
    // Stored as the L3 plume files define their coordinates, which then copy its chunks.
    const std::size_t ny = f.dim_length(g, "y"), nx = f.dim_length(g, "x");
    CHECK(io::stored_like(l2, pipeline::l3_coordinate_specs(0, 1, ny, nx), {ny, nx}));
    for (const char* v : {"ch4",
                          "ch4_comb",
                          "ch4_uncertainty",
                          "ch4_full",
                          "ch4_denoise",
                          "ch4_comb_denoise",
                          "ch4_mask",
                          "x",
                          "y",
                          "EMIT_utm",
                          "segmentation",
                          "quality_mask",
                          "radiance_2100",
                          "sza",
                          "saa",
                          "vza",
                          "vaa",
                          "raa",
                          "sga",
                          "u10",
                          "v10",
                          "sp",
                          "latitude",
                          "longitude",
                          "ch4_qa_status",
                          "ch4_full_qa_status"})
      CHECK(f.has_var(g, v));
    CHECK(f.att_text(g, NC_GLOBAL, "Conventions") == "CF-1.8");
    CHECK(f.att_text(g, NC_GLOBAL, "filename") == rad);
    CHECK(f.att_text(g, NC_GLOBAL, "configuration_hash").size() == 16);
    CHECK(f.att_text(g, NC_GLOBAL, "configuration").find("[species.ch4]") != std::string::npos);
    CHECK(f.att_doubles(g, NC_GLOBAL, "stage_seconds_mf_ch4")[0] > 0);
    const int ch4 = f.var(g, "ch4");
    CHECK(f.att_text(g, ch4, "units") == "ppb");
    CHECK(f.att_text(g, ch4, "matched_filter") == "normal matched filter");
    CHECK(f.att_doubles(g, ch4, "sza")[0] > 0);
    CHECK(f.att_text(g, ch4, "grid_mapping") == "EMIT_utm");
    CHECK_THAT(f.att_text(g, ch4, "description"),
               Catch::EndsWith("(orthorectified by the glt method)"));
    CHECK_THAT(f.att_text(g, f.var(g, "ch4_comb_denoise"), "description"),
               Catch::Contains("(denoised by the calibrated_tv_filter method with weight=") &&
                   Catch::EndsWith("(orthorectified by the glt method)"));
    CHECK(f.att_text(g, f.var(g, "ch4_mask"), "description") ==
          "A priori plume mask (0: background, >0: plumes)");
    CHECK(f.att_text(g, f.var(g, "EMIT_utm"), "grid_mapping_name") == "transverse_mercator");
    CHECK(f.att_text(g, NC_GLOBAL, "geometry") == "utm");
    // UTM grid: larger than the 48 x 48 swath (it is rotated), ~60 m pixels, y decreasing.
    CHECK(ny > 48);
    CHECK(nx > 48);
    std::vector<double> xs(nx), ys(ny);
    nc_get_var_double(g, f.var(g, "x"), xs.data());
    nc_get_var_double(g, f.var(g, "y"), ys.data());
    CHECK(xs[1] - xs[0] == Approx(60).epsilon(0.1));
    CHECK(ys[1] - ys[0] == Approx(-(xs[1] - xs[0])));
    // The sensor-geometry product of --unortho-export, beside it.
    {
      io::NcFile u(pipeline::unortho_path_for(l2), io::NcFile::Mode::read);
      CHECK(u.att_text(u.id(), NC_GLOBAL, "geometry") == "sensor");
      CHECK(u.dim_length(u.id(), "y") == 48);
      CHECK(u.has_var(u.id(), "ch4_comb"));
      CHECK(!u.has_var(u.id(), "ch4_denoise"));
    }
    // One QA record per column at least; each status is a known flag.
    std::vector<int> cols(f.var_shape(g, f.var(g, "ch4_qa_column"))[0]);
    nc_get_var_int(g, f.var(g, "ch4_qa_column"), cols.data());
    std::set<int> seen(cols.begin(), cols.end());
    CHECK(seen.size() == 48);
    // Wind of both sources at the source pixel region agrees with the truth.
    const auto speed = truth_vector(rad, "wind_speed");
    const std::size_t plane = ny * nx;
    std::vector<float> u(2 * plane), v(u.size());
    nc_get_var_float(g, f.var(g, "u10"), u.data());
    nc_get_var_float(g, f.var(g, "v10"), v.data());
    for (std::size_t k = 0; k < 2; ++k) {
      double su = 0, sv = 0;
      int n = 0;
      for (std::size_t i = 0; i < plane; ++i)
        if (std::isfinite(u[k * plane + i])) {
          su += u[k * plane + i];
          sv += v[k * plane + i];
          ++n;
        }
      REQUIRE(n > 48 * 40);
      CHECK(std::hypot(su, sv) / n == Approx(speed[0]).margin(0.3));
    }
  }

  // GDAL reads the product's fields.
  io::gdal_register_once();
  const std::string first = pipeline::l2_path_for(
      (dir.path() / "l1" / fs::relative(camp.scenes[0].rad_path, l1)).string());
  GDALDataset* ds =
      static_cast<GDALDataset*>(GDALOpen(("NETCDF:\"" + first + "\":ch4").c_str(), GA_ReadOnly));
  REQUIRE(ds != nullptr);
  {
    // gdalinfo's view: the UTM CRS and a north-up geotransform matching x/y.
    io::NcFile f(first, io::NcFile::Mode::read);
    std::vector<double> xs(f.dim_length(f.id(), "x")), ys(f.dim_length(f.id(), "y"));
    nc_get_var_double(f.id(), f.var(f.id(), "x"), xs.data());
    nc_get_var_double(f.id(), f.var(f.id(), "y"), ys.data());
    CHECK(ds->GetRasterXSize() == static_cast<int>(xs.size()));
    CHECK(ds->GetRasterYSize() == static_cast<int>(ys.size()));
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);
    const double res = xs[1] - xs[0];
    CHECK(gt[0] == Approx(xs[0] - res / 2).margin(1e-6));
    CHECK(gt[1] == Approx(res));
    CHECK(gt[3] == Approx(ys[0] + res / 2).margin(1e-6));
    CHECK(gt[5] == Approx(-res));
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    REQUIRE(srs != nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    REQUIRE(code != nullptr);
    CHECK(std::string(code).rfind("326", 0) == 0);
  }
  GDALClose(ds);

  // --skip-exist leaves complete files alone; without it they are rewritten.
  const auto before = fs::last_write_time(first);
  REQUIRE(app::run_command({"l2", "--root", root, "--config-overlay", overlay, "--skip-exist",
                            "--log-level", "warn"}) == app::kExitOk);
  CHECK(fs::last_write_time(first) == before);
  // No temporaries are left behind.
  for (const auto& e : fs::recursive_directory_iterator(root))
    CHECK(e.path().filename().string().find(".partial-") == std::string::npos);
}

TEST_CASE("a missing wind source is reported and the other still used", "[pipeline]") {
  const auto& camp = test::small_campaign();
  Config c = default_config();
  c.paths.osm_dir = (fs::path(camp.ancillary_dir) / "osm_worldcover").string();
  c.paths.geosfp_dir = (fs::path(camp.ancillary_dir) / "geosfp").string();
  c.paths.era5_dir = "/nonexistent/era5";
  const auto p = pipeline::retrieve_l2(camp.scenes[0].rad_path, c, test::resources(), {});
  REQUIRE(p.weather_sources.size() == 2);
  REQUIRE(p.weather_problems.size() == 1);
  CHECK_THAT(p.weather_problems[0],
             Catch::Contains("ERA5") && Catch::Contains("/nonexistent/era5"));
  CHECK(std::isnan(p.weather[0].u10(0, 0)));
  CHECK(std::isfinite(p.weather[1].u10(0, 0)));
}

TEST_CASE("a scene without its water-mask tile fails with the tile named; the campaign goes on",
          "[pipeline]") {
  const auto& camp = test::small_campaign();
  Config c = default_config();
  c.paths.osm_dir = "/nonexistent/osm";
  CHECK_THROWS_WITH(pipeline::retrieve_l2(camp.scenes[0].rad_path, c, test::resources(), {}),
                    Catch::Contains("/nonexistent/osm/") && Catch::Contains("tile") &&
                        Catch::Contains("[masks]"));
}
