// netCDF-4 (HDF5) products, serial or written collectively through parallel HDF5 (MPI-IO).
#include <mpi.h>
#include <netcdf.h>
#include <netcdf_par.h>

#include "dataset_writer_base.hpp"

namespace hyperplume::io::detail {
namespace {

HYPERPLUME_CHECK_EXTERNAL_TYPES();

class Netcdf4Writer final : public DatasetWriterBase {
 public:
  Netcdf4Writer(const std::string& path, const par::Comm* comm) : DatasetWriterBase(path, comm) {
    const int status =
        comm ? nc_create_par(path.c_str(), NC_CLOBBER | NC_NETCDF4,
                             MPI_Comm_f2c(comm->fortran_handle()), MPI_INFO_NULL, &ncid_)
             : nc_create(path.c_str(), NC_CLOBBER | NC_NETCDF4, &ncid_);
    check(status, "cannot create NetCDF file", nc_strerror(status));
  }
  ~Netcdf4Writer() override {
    // Only after an exception (close() is the normal path): abandon without flushing, so
    // HDF5 keeps no half-written file open to trip over at MPI_Finalize.
    if (ncid_ >= 0) nc_abort(ncid_);
  }

  int def_dim(const std::string& name, std::size_t length) override {
    int id = -1;
    const int st = nc_def_dim(ncid_, name.c_str(), length, &id);
    check(st, "define dimension " + name, nc_strerror(st));
    return id;
  }

  int def_var(const VarSpec& v) override {
    int id = -1;
    int st = nc_def_var(ncid_, v.name.c_str(), external_type(v.type),
                        static_cast<int>(v.dims.size()), v.dims.data(), &id);
    check(st, "define variable " + v.name, nc_strerror(st));
    if (!v.chunks.empty()) {
      st = nc_def_var_chunking(ncid_, id, NC_CHUNKED, v.chunks.data());
      check(st, "chunking " + v.name, nc_strerror(st));
    }
    if (v.deflate) {
      st = nc_def_var_deflate(ncid_, id, 1, 1, 1);
      check(st, "deflate " + v.name, nc_strerror(st));
    }
    if (v.fill) {
      const TypedFill fill(v.type, *v.fill);
      st = nc_def_var_fill(ncid_, id, NC_FILL, &fill);
      check(st, "fill value " + v.name, nc_strerror(st));
    }
    // Compressed variables can only be written collectively; the rest follow suit so
    // every rank's block of a field goes out in one MPI-IO operation.
    if (comm_) {
      st = nc_var_par_access(ncid_, id, NC_COLLECTIVE);
      check(st, "collective access " + v.name, nc_strerror(st));
    }
    return id;
  }

  void put_att(int var, const std::string& name, const std::string& text) override {
    const int st = nc_put_att_text(ncid_, var, name.c_str(), text.size(), text.data());
    check(st, "attribute " + name, nc_strerror(st));
  }
  void put_att(int var, const std::string& name, const std::vector<double>& values) override {
    const int st =
        nc_put_att_double(ncid_, var, name.c_str(), NC_DOUBLE, values.size(), values.data());
    check(st, "attribute " + name, nc_strerror(st));
  }
  void enddef() override {
    const int st = nc_enddef(ncid_);
    check(st, "end of definitions", nc_strerror(st));
  }
  void close() override {
    // A close that fails while flushing (a full disk) leaves HDF5 in a state that neither
    // nc_abort nor its shutdown survives; AtomicOutput's space check keeps that from
    // happening, short of another program filling the disk during the write.
    const int st = nc_close(ncid_);
    ncid_ = -1;
    check(st, "close", nc_strerror(st));
    agree_on_errors();
  }

 protected:
  void write_raw(int var, const std::vector<std::size_t>& start,
                 const std::vector<std::size_t>& count, ElementType, const void* data) override {
    const int st = nc_put_vara(ncid_, var, start.data(), count.data(), data);
    check(st, "write variable " + std::to_string(var), nc_strerror(st));
  }

 private:
  int ncid_ = -1;
};

}  // namespace

std::unique_ptr<DatasetWriter> create_netcdf4(const std::string& path, const par::Comm* comm) {
  return std::make_unique<Netcdf4Writer>(path, comm);
}

}  // namespace hyperplume::io::detail
