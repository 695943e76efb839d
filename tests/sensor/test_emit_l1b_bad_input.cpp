#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <hyperplume/core/error.hpp>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <limits>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
// A copy of the small campaign's first granule pair in its own directory.
struct GranuleCopy {
  test::TempDir dir{"bad-input"};
  std::string rad, obs;
  GranuleCopy() {
    const auto& sc = test::small_campaign().scenes[0];
    rad = dir.str(fs::path(sc.rad_path).filename().string());
    obs = dir.str(fs::path(sc.obs_path).filename().string());
    fs::copy_file(sc.rad_path, rad);
    fs::copy_file(sc.obs_path, obs);
  }
};

// Rewrites a granule from the fixture scene with modified band metadata or radiance.
void write_variant(const std::string& path, std::vector<double> wl,
                   float fill_value_everywhere = 0) {
  const auto mem = test::render_scene(test::small_campaign_options("unused"), 0);
  const auto& g = mem.scene->geometry();
  sensor::EmitGranuleInfo info;
  info.start = mem.scene->plan().start;
  info.end = g.swath.end_time();
  info.flight_line = "emit20230814t000000_o00000_s000";
  const sensor::EmitGeolocation geo{&g.lat, &g.lon, &g.elevation, &g.glt};
  sensor::write_emit_rad(path, info, wl, test::models().bands.fwhm, geo,
                     [&](int r0, int r1, float* out) {
                       const std::size_t n = static_cast<std::size_t>(r1 - r0) * 48 * 285;
                       for (std::size_t i = 0; i < n; ++i)
                         out[i] = fill_value_everywhere != 0
                                      ? fill_value_everywhere
                                      : mem.radiance[static_cast<std::size_t>(r0) * 48 * 285 + i];
                     });
}

// A RAD-like file with `bands` radiance bands and `n_wl` band-parameter entries.
void minimal_rad(const std::string& path, int bands, int n_wl, bool with_location) {
  io::NcFile f(path, io::NcFile::Mode::create_netcdf4);
  const int d = f.def_dim(f.id(), "downtrack", 4), c = f.def_dim(f.id(), "crosstrack", 4),
            b = f.def_dim(f.id(), "bands", static_cast<std::size_t>(bands));
  f.def_var(f.id(), "radiance", NC_FLOAT, {d, c, b});
  const int sbp = f.def_group(f.id(), "sensor_band_parameters");
  const int sb = f.def_dim(sbp, "wl", static_cast<std::size_t>(n_wl));
  const int w = f.def_var(sbp, "wavelengths", NC_DOUBLE, {sb}),
            fw = f.def_var(sbp, "fwhm", NC_DOUBLE, {sb});
  if (with_location) f.def_group(f.id(), "location");
  f.enddef();
  std::vector<double> wl(static_cast<std::size_t>(n_wl)), fwhm(static_cast<std::size_t>(n_wl), 8.0);
  for (int i = 0; i < n_wl; ++i) wl[static_cast<std::size_t>(i)] = 2100 + 10 * i;
  nc_put_var_double(sbp, w, wl.data());
  nc_put_var_double(sbp, fw, fwhm.data());
  f.close();
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("a missing OBS companion is named", "[sensor]") {
  GranuleCopy g;
  fs::remove(g.obs);
  const auto msg = error_of([&] { sensor::EmitL1bReader r(g.rad); });
  CHECK_THAT(msg, Catch::Contains(g.obs) && Catch::Contains("does not exist"));
}

TEST_CASE("a truncated granule gives one clear error naming the file", "[sensor]") {
  GranuleCopy g;
  fs::resize_file(g.rad, fs::file_size(g.rad) / 2);
  const auto msg = error_of([&] { sensor::EmitL1bReader(g.rad).read_all(); });
  CHECK_THAT(msg, Catch::Contains(g.rad) && Catch::Contains("truncated"));
}

TEST_CASE("garbage bytes are not a NetCDF file", "[sensor]") {
  GranuleCopy g;
  { std::ofstream(g.rad, std::ios::trunc) << "this is not HDF5"; }
  CHECK_THAT(error_of([&] { sensor::EmitL1bReader r(g.rad); }),
             Catch::Contains(g.rad) && Catch::Contains("cannot open"));
}

TEST_CASE("an all-fill radiance cube is rejected", "[sensor]") {
  GranuleCopy g;
  write_variant(g.rad, test::models().bands.centres, sensor::kEmitFill);
  CHECK_THAT(error_of([&] { sensor::EmitL1bReader(g.rad).read_all(); }),
             Catch::Contains("only fill values"));
}

TEST_CASE("NaN wavelengths are rejected with the band index", "[sensor]") {
  GranuleCopy g;
  auto wl = test::models().bands.centres;
  wl[100] = std::numeric_limits<double>::quiet_NaN();
  write_variant(g.rad, wl);
  CHECK_THAT(error_of([&] { sensor::EmitL1bReader r(g.rad); }),
             Catch::Contains("wavelengths[100]") && Catch::Contains(g.rad));
}

TEST_CASE("wrong dimensions, wrong band counts and missing groups are named", "[sensor]") {
  GranuleCopy g;
  SECTION("radiance with the band axis first") {
    io::NcFile f(g.rad, io::NcFile::Mode::create_netcdf4);
    const int b = f.def_dim(f.id(), "bands", 285), d = f.def_dim(f.id(), "downtrack", 4),
              c = f.def_dim(f.id(), "crosstrack", 4);
    f.def_var(f.id(), "radiance", NC_FLOAT, {b, d, c});
    f.close();
    CHECK_THAT(error_of([&] { sensor::EmitL1bReader r(g.rad); }),
               Catch::Contains("(bands, downtrack, crosstrack)"));
  }
  SECTION("fewer wavelengths than bands") {
    minimal_rad(g.rad, 4, 3, true);
    CHECK_THAT(error_of([&] { sensor::EmitL1bReader r(g.rad); }),
               Catch::Contains("3/3 entries") && Catch::Contains("4 bands"));
  }
  SECTION("no location group") {
    minimal_rad(g.rad, 2, 2, false);
    CHECK_THAT(error_of([&] { sensor::EmitL1bReader r(g.rad); }),
               Catch::Contains("missing group 'location'"));
  }
  SECTION("OBS with another scene's size") {
    const auto& other = test::small_campaign().scenes[1];
    (void)other;
    io::NcFile f(g.obs, io::NcFile::Mode::create_netcdf4);
    const int d = f.def_dim(f.id(), "downtrack", 10), c = f.def_dim(f.id(), "crosstrack", 48),
              b = f.def_dim(f.id(), "bands", 11);
    f.def_var(f.id(), "obs", NC_FLOAT, {d, c, b});
    f.close();
    CHECK_THAT(error_of([&] { sensor::EmitL1bReader r(g.rad); }),
               Catch::Contains(g.obs) && Catch::Contains("along 'downtrack'"));
  }
}

TEST_CASE("a band selection outside the cube is refused", "[sensor]") {
  const sensor::EmitL1bReader r(test::small_campaign().scenes[0].rad_path);
  CHECK_THROWS_AS(r.read({300}), InputError);
  CHECK_THROWS_AS(r.read({5, 3}), InputError);
  CHECK_THROWS_AS(r.read({}), InputError);
}
