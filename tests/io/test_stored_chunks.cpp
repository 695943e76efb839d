#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/dataset_writer.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/io/stored_chunks.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

namespace {
constexpr int kRows = 9, kCols = 11;

// A file with one 2-D double variable "lat", written (values) or only defined (empty).
void write_lat(const std::string& path, io::FileFormat format, const std::vector<std::size_t>& chunks,
               bool deflate, const std::vector<double>* values) {
  auto f = io::create_dataset(path, format, nullptr);
  const int dy = f->def_dim("y", kRows), dx = f->def_dim("x", kCols);
  const int v = f->def_var({"lat", io::ElementType::f64, {dy, dx}, chunks, deflate, {}});
  f->enddef();
  if (values) f->write(v, {0, 0}, {kRows, kCols}, values->data());
  f->close();
}

std::vector<io::VarSpec> lat_spec(const std::vector<std::size_t>& chunks, bool deflate) {
  return {{"lat", io::ElementType::f64, {0, 1}, chunks, deflate, {}}};
}
}  // namespace

TEST_CASE("stored chunks are copied without recompression and read back unchanged", "[io]") {
  test::TempDir dir("stored-chunks");
  std::vector<double> lat(kRows * kCols);
  for (std::size_t i = 0; i < lat.size(); ++i) lat[i] = 30.0 + 1e-4 * static_cast<double>(i * i % 97);
  const std::vector<std::size_t> shape{kRows, kCols}, chunks{4, 5};

  for (const bool deflate : {true, false}) {
    CAPTURE(deflate);
    const std::string src = dir.str(deflate ? "src_deflate.nc" : "src_plain.nc");
    const std::string dst = dir.str(deflate ? "dst_deflate.nc" : "dst_plain.nc");
    write_lat(src, io::FileFormat::netcdf4, chunks, deflate, &lat);
    write_lat(dst, io::FileFormat::netcdf4, chunks, deflate, nullptr);
    REQUIRE(io::stored_like(src, lat_spec(chunks, deflate), shape));
    io::copy_stored_chunks(src, dst, {"lat"});
    const io::NcFile f(dst, io::NcFile::Mode::read);
    const auto back = io::read_raster<double>(f, f.id(), "lat", kRows, kCols);
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kCols; ++c) REQUIRE(back(r, c) == lat[static_cast<std::size_t>(r * kCols + c)]);
  }
}

TEST_CASE("stored chunks: any other layout is refused", "[io]") {
  test::TempDir dir("stored-chunks-other");
  const std::vector<double> lat(kRows * kCols, 45.0);
  const std::vector<std::size_t> shape{kRows, kCols};
  const std::string src = dir.str("src.nc");
  write_lat(src, io::FileFormat::netcdf4, {4, 5}, true, &lat);

  // Checked before writing: other chunks, filters, shape, type, variable, or not netCDF-4.
  CHECK_FALSE(io::stored_like(src, lat_spec({3, 5}, true), shape));
  CHECK_FALSE(io::stored_like(src, lat_spec({4, 5}, false), shape));
  CHECK_FALSE(io::stored_like(src, lat_spec({4, 5}, true), {kRows, kCols + 1}));
  auto as_float = lat_spec({4, 5}, true);
  as_float[0].type = io::ElementType::f32;
  CHECK_FALSE(io::stored_like(src, as_float, shape));
  auto with_lon = lat_spec({4, 5}, true);  // every variable named must be alike
  with_lon.push_back(with_lon[0]);
  with_lon[1].name = "lon";
  CHECK_FALSE(io::stored_like(src, with_lon, shape));
  const std::string cdf5 = dir.str("src_cdf5.nc");
  int nc = -1, dims[2], v = -1;
  REQUIRE(nc_create(cdf5.c_str(), NC_CLOBBER | NC_64BIT_DATA, &nc) == NC_NOERR);
  nc_def_dim(nc, "y", kRows, &dims[0]);
  nc_def_dim(nc, "x", kCols, &dims[1]);
  nc_def_var(nc, "lat", NC_DOUBLE, 2, dims, &v);
  nc_enddef(nc);
  nc_put_var_double(nc, v, lat.data());
  REQUIRE(nc_close(nc) == NC_NOERR);
  CHECK_FALSE(io::stored_like(cdf5, lat_spec({4, 5}, false), shape));

  // Checked again by HDF5 when copying: a different target is refused, naming it.
  const std::string dst = dir.str("dst_other_chunks.nc");
  write_lat(dst, io::FileFormat::netcdf4, {3, 5}, true, nullptr);
  try {
    io::copy_stored_chunks(src, dst, {"lat"});
    FAIL("copied into a variable with other chunks");
  } catch (const InputError& e) {
    CHECK(e.context().file == dst);
    CHECK(std::string(e.what()).find("chunks or filters differ") != std::string::npos);
  }
}
