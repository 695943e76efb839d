// CDF-5 products through PnetCDF: classic-model files with 64-bit sizes, written
// collectively. The classic model has no compression, chunking or strings; char arrays
// carry the text variables and _FillValue is an attribute (PnetCDF's fill mode would
// write every variable twice).
#include <pnetcdf.h>

#include "dataset_writer_base.hpp"

namespace hyperplume::io::detail {
namespace {

HYPERPLUME_CHECK_EXTERNAL_TYPES();

class Cdf5Writer final : public DatasetWriterBase {
 public:
  Cdf5Writer(const std::string& path, const par::Comm* comm)
      : DatasetWriterBase(path, comm),
        mpi_comm_(comm ? MPI_Comm_f2c(comm->fortran_handle()) : MPI_COMM_SELF) {
    const int st =
        ncmpi_create(mpi_comm_, path.c_str(), NC_CLOBBER | NC_64BIT_DATA, MPI_INFO_NULL, &ncid_);
    check(st, "cannot create CDF-5 file", ncmpi_strerror(st));
  }
  ~Cdf5Writer() override {
    if (ncid_ >= 0) ncmpi_close(ncid_);
  }

  int def_dim(const std::string& name, std::size_t length) override {
    int id = -1;
    const int st = ncmpi_def_dim(ncid_, name.c_str(), static_cast<MPI_Offset>(length), &id);
    check(st, "define dimension " + name, ncmpi_strerror(st));
    return id;
  }
  int def_var(const VarSpec& v) override {
    int id = -1;
    const int st = ncmpi_def_var(ncid_, v.name.c_str(), external_type(v.type),
                                 static_cast<int>(v.dims.size()), v.dims.data(), &id);
    check(st, "define variable " + v.name, ncmpi_strerror(st));
    if (v.fill) {
      const TypedFill fill(v.type, *v.fill);
      const int fs = ncmpi_put_att(ncid_, id, "_FillValue", external_type(v.type), 1, &fill);
      check(fs, "fill value " + v.name, ncmpi_strerror(fs));
    }
    return id;
  }
  void put_att(int var, const std::string& name, const std::string& text) override {
    const int st = ncmpi_put_att_text(ncid_, var, name.c_str(),
                                      static_cast<MPI_Offset>(text.size()), text.data());
    check(st, "attribute " + name, ncmpi_strerror(st));
  }
  void put_att(int var, const std::string& name, const std::vector<double>& values) override {
    const int st = ncmpi_put_att_double(ncid_, var, name.c_str(), NC_DOUBLE,
                                        static_cast<MPI_Offset>(values.size()), values.data());
    check(st, "attribute " + name, ncmpi_strerror(st));
  }
  void enddef() override {
    const int st = ncmpi_enddef(ncid_);
    check(st, "end of definitions", ncmpi_strerror(st));
  }
  void close() override {
    const int st = ncmpi_close(ncid_);
    ncid_ = -1;
    check(st, "close", ncmpi_strerror(st));
    agree_on_errors();
  }

 protected:
  void write_raw(int var, const std::vector<std::size_t>& start,
                 const std::vector<std::size_t>& count, ElementType type,
                 const void* data) override {
    const std::vector<MPI_Offset> s(start.begin(), start.end()), c(count.begin(), count.end());
    int st = NC_NOERR;
    switch (type) {
      case ElementType::u8:
        st = ncmpi_put_vara_uchar_all(ncid_, var, s.data(), c.data(),
                                      static_cast<const unsigned char*>(data));
        break;
      case ElementType::i32:
        st = ncmpi_put_vara_int_all(ncid_, var, s.data(), c.data(), static_cast<const int*>(data));
        break;
      case ElementType::f32:
        st = ncmpi_put_vara_float_all(ncid_, var, s.data(), c.data(),
                                      static_cast<const float*>(data));
        break;
      case ElementType::f64:
        st = ncmpi_put_vara_double_all(ncid_, var, s.data(), c.data(),
                                       static_cast<const double*>(data));
        break;
      case ElementType::text:
        st =
            ncmpi_put_vara_text_all(ncid_, var, s.data(), c.data(), static_cast<const char*>(data));
        break;
    }
    check(st, "write variable " + std::to_string(var), ncmpi_strerror(st));
  }

 private:
  MPI_Comm mpi_comm_;
  int ncid_ = -1;
};

}  // namespace

std::unique_ptr<DatasetWriter> create_cdf5(const std::string& path, const par::Comm* comm) {
  return std::make_unique<Cdf5Writer>(path, comm);
}

}  // namespace hyperplume::io::detail
