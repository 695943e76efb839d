#pragma once
// One interface for writing a product's NetCDF file in any of the formats HyperPlume
// offers, so a product's layout is described once:
//  - netCDF-4 (HDF5), serially or collectively by a scene group (nc_create_par, MPI-IO);
//  - CDF-5 through PnetCDF (ncmpi_create), collectively on any communicator.
// Parallel writers are collective: every rank of the communicator makes every call, in the
// same order, with identical definitions; a rank with nothing to write passes a zero count.
// They keep the first failure instead of throwing mid-collective (a throwing rank would
// leave the others waiting), and close() makes every rank agree and throw the same error.
#include <cstddef>
#include <cstdint>
#include <hyperplume/par/comm.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hyperplume::io {

enum class FileFormat { netcdf4, cdf5 };
FileFormat parse_file_format(const std::string& text);  // "netcdf4" | "cdf5"

enum class ElementType { u8, i32, f32, f64, text };

struct VarSpec {
  std::string name;
  ElementType type = ElementType::f32;
  std::vector<int> dims;
  std::vector<std::size_t> chunks;  // netCDF-4 only; empty = library default
  bool deflate = false;             // netCDF-4 only (level 1 with shuffle)
  std::optional<double> fill;       // _FillValue, converted to the variable's type
};

class DatasetWriter {
 public:
  static constexpr int kGlobal = -1;  // NC_GLOBAL in netCDF-C and PnetCDF alike

  virtual ~DatasetWriter() = default;
  virtual int def_dim(const std::string& name, std::size_t length) = 0;
  virtual int def_var(const VarSpec& spec) = 0;
  virtual void put_att(int var, const std::string& name, const std::string& text) = 0;
  virtual void put_att(int var, const std::string& name, const std::vector<double>& values) = 0;
  void put_att(int var, const std::string& name, double value) {
    put_att(var, name, std::vector<double>{value});
  }
  virtual void enddef() = 0;

  // Writes the hyperslab start/count of `var` from `data` (C order, the variable's type).
  void write(int var, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count,
             const float* data) {
    write_raw(var, start, count, ElementType::f32, data);
  }
  void write(int var, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count,
             const double* data) {
    write_raw(var, start, count, ElementType::f64, data);
  }
  void write(int var, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count,
             const std::int32_t* data) {
    write_raw(var, start, count, ElementType::i32, data);
  }
  void write(int var, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count,
             const std::uint8_t* data) {
    write_raw(var, start, count, ElementType::u8, data);
  }
  void write(int var, const std::vector<std::size_t>& start, const std::vector<std::size_t>& count,
             const char* data) {
    write_raw(var, start, count, ElementType::text, data);
  }

  // Closes the file; throws InputError naming the file if any call failed (on any rank).
  virtual void close() = 0;

 protected:
  virtual void write_raw(int var, const std::vector<std::size_t>& start,
                         const std::vector<std::size_t>& count, ElementType type,
                         const void* data) = 0;
};

// Creates (clobbers) `path`. `comm` = nullptr: a serial netCDF-4 file; otherwise the file
// is created collectively over *comm (CDF-5 always goes through PnetCDF, on MPI_COMM_SELF
// when comm is nullptr).
std::unique_ptr<DatasetWriter> create_dataset(const std::string& path, FileFormat format,
                                              const par::Comm* comm);

}  // namespace hyperplume::io
