#pragma once
// Thin RAII layer over the netCDF-C API. Every failure becomes an InputError naming the
// file and what was being done; nothing here knows about products.
#include <cstddef>
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <string>
#include <vector>

namespace hyperplume::io {

// Throws InputError("<what>: <nc_strerror>", file) when status != NC_NOERR.
void nc_check(int status, const std::string& file, const std::string& what);

class NcFile {
 public:
  enum class Mode { read, create_netcdf4 };
  NcFile(const std::string& path, Mode mode);
  ~NcFile();
  NcFile(NcFile&& other) noexcept;
  NcFile& operator=(NcFile&&) = delete;
  NcFile(const NcFile&) = delete;

  int id() const { return ncid_; }
  const std::string& path() const { return path_; }
  void close();  // explicit close reports errors; the destructor swallows them

  // --- groups, dimensions, variables (read side) ---
  int group(int parent, const std::string& name) const;  // throws if absent
  bool has_group(int parent, const std::string& name) const;
  std::size_t dim_length(int grp, const std::string& name) const;
  bool has_var(int grp, const std::string& name) const;
  int var(int grp, const std::string& name) const;
  std::vector<std::size_t> var_shape(int grp, int varid) const;
  std::vector<std::string> var_dim_names(int grp, int varid) const;
  int var_type(int grp, int varid) const;

  bool has_att(int grp, int varid, const std::string& name) const;
  std::string att_text(int grp, int varid, const std::string& name) const;
  std::vector<double> att_doubles(int grp, int varid, const std::string& name) const;

  // --- write side ---
  int def_group(int parent, const std::string& name);
  int def_dim(int grp, const std::string& name, std::size_t len);
  int def_var(int grp, const std::string& name, int nc_type, const std::vector<int>& dims);
  void put_att(int grp, int varid, const std::string& name, const std::string& text);
  void put_att(int grp, int varid, const std::string& name, const std::vector<double>& values);
  void put_att(int grp, int varid, const std::string& name, double value);
  void put_att_float(int grp, int varid, const std::string& name, float value);
  void put_att_int(int grp, int varid, const std::string& name, int value);
  void enddef();

 private:
  std::string path_;
  int ncid_ = -1;
};

// A 1-D variable as doubles. InputError naming the file if it is missing or not 1-D.
std::vector<double> read_vector(const NcFile& f, int grp, const std::string& name);
// A 2-D char variable (rows x string length) as its rows, trailing NULs cut.
std::vector<std::string> read_text_rows(const NcFile& f, int grp, const std::string& name);

// A rows x cols field: a 2-D variable, or plane `plane` of a 3-D one whose last two
// dimensions are (rows, cols). InputError naming the file for a missing variable or another
// shape. T = double, float or std::int32_t.
template <class T>
Raster<T> read_raster(const NcFile& f, int grp, const std::string& name, int rows, int cols,
                      std::size_t plane = 0);

}  // namespace hyperplume::io
