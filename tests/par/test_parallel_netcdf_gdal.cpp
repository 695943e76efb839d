// Both netCDF flavours in one process: a collective parallel netCDF-4 write (HDF5
// MPI-IO, libnetcdf_mpi) followed, in the same process, by GDAL (linked to the serial
// netCDF/HDF5) reading that file through its netCDF and HDF5 drivers and writing and
// reading a GeoTIFF and a netCDF file. Debian 12 supports this today; this test keeps it so.
#define CATCH_CONFIG_RUNNER
#include <gdal_priv.h>
#include <mpi.h>
#include <netcdf.h>
#include <netcdf_par.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/par/comm.hpp>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {
int g_rank = 0, g_size = 1;
std::string g_dir;

void ok(int status) { REQUIRE(status == NC_NOERR); }
float expected(std::size_t r, std::size_t c) { return static_cast<float>(1000 * r + c); }
}  // namespace

TEST_CASE("parallel netCDF-4 write, then GDAL reads and writes in the same process", "[mpi]") {
  const std::size_t rows = 6 * static_cast<std::size_t>(g_size), cols = 17;
  const std::string path = g_dir + "/parallel.nc";
  int ncid = -1, dr, dc, var;
  ok(nc_create_par(path.c_str(), NC_NETCDF4 | NC_CLOBBER, MPI_COMM_WORLD, MPI_INFO_NULL, &ncid));
  ok(nc_def_dim(ncid, "y", rows, &dr));
  ok(nc_def_dim(ncid, "x", cols, &dc));
  const int dims[2] = {dr, dc};
  ok(nc_def_var(ncid, "field", NC_FLOAT, 2, dims, &var));
  ok(nc_enddef(ncid));
  ok(nc_var_par_access(ncid, var, NC_COLLECTIVE));
  // Each rank writes its slab of rows (the decomposition).
  const std::size_t r0 = 6 * static_cast<std::size_t>(g_rank);
  std::vector<float> slab(6 * cols);
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t c = 0; c < cols; ++c) slab[r * cols + c] = expected(r0 + r, c);
  const std::size_t start[2] = {r0, 0}, count[2] = {6, cols};
  ok(nc_put_vara_float(ncid, var, start, count, slab.data()));
  ok(nc_close(ncid));
  MPI_Barrier(MPI_COMM_WORLD);

  hyperplume::io::gdal_register_once();
  for (const std::string& name :
       {"NETCDF:\"" + path + "\":field", "HDF5:\"" + path + "\"://field"}) {
    INFO(name);
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(name.c_str(), GA_ReadOnly));
    REQUIRE(ds != nullptr);
    REQUIRE(ds->GetRasterXSize() == static_cast<int>(cols));
    REQUIRE(ds->GetRasterYSize() == static_cast<int>(rows));
    std::vector<float> all(rows * cols);
    REQUIRE(ds->GetRasterBand(1)->RasterIO(
                GF_Read, 0, 0, static_cast<int>(cols), static_cast<int>(rows), all.data(),
                static_cast<int>(cols), static_cast<int>(rows), GDT_Float32, 0, 0) == CE_None);
    GDALClose(ds);
    // GDAL's netCDF driver may present the rows bottom-up (no georeferencing): accept
    // either orientation, but every value must be there.
    bool same = true, flipped = true;
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t c = 0; c < cols; ++c) {
        same = same && all[r * cols + c] == expected(r, c);
        flipped = flipped && all[r * cols + c] == expected(rows - 1 - r, c);
      }
    CHECK((same || flipped));
  }

  // GDAL creating files of its own (GeoTIFF, netCDF) in the same process.
  const std::string per_rank = g_dir + "/rank" + std::to_string(g_rank);
  for (const char* driver : {"GTiff", "netCDF"}) {
    INFO(driver);
    GDALDriver* d = GetGDALDriverManager()->GetDriverByName(driver);
    REQUIRE(d != nullptr);
    const std::string out = per_rank + (std::string(driver) == "GTiff" ? ".tif" : ".nc");
    GDALDataset* w = d->Create(out.c_str(), 8, 4, 1, GDT_Float32, nullptr);
    REQUIRE(w != nullptr);
    std::vector<float> v(32);
    for (int i = 0; i < 32; ++i)
      v[static_cast<std::size_t>(i)] = static_cast<float>(g_rank * 100 + i);
    REQUIRE(w->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 8, 4, v.data(), 8, 4, GDT_Float32, 0,
                                          0) == CE_None);
    GDALClose(w);
    GDALDataset* r = static_cast<GDALDataset*>(GDALOpen(out.c_str(), GA_ReadOnly));
    REQUIRE(r != nullptr);
    std::vector<float> back(32);
    REQUIRE(r->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, 8, 4, back.data(), 8, 4, GDT_Float32, 0,
                                          0) == CE_None);
    GDALClose(r);
    std::sort(back.begin(), back.end());
    CHECK(back == v);
  }
}

int main(int argc, char** argv) {
  hyperplume::par::MpiSession mpi(argc, argv);
  const auto world = hyperplume::par::Comm::world();
  g_rank = world.rank();
  g_size = world.size();
  g_dir = (fs::temp_directory_path() / ("hyperplume-mpi-" + std::to_string(g_size))).string();
  if (g_rank == 0) {
    fs::remove_all(g_dir);
    fs::create_directories(g_dir);
  }
  world.barrier();
  const int failed = Catch::Session().run(argc, argv);
  int any = 0;
  MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  world.barrier();
  if (g_rank == 0) fs::remove_all(g_dir);
  return any ? 1 : 0;
}
