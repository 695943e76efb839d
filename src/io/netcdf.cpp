#include <netcdf.h>

#include <hyperplume/core/error.hpp>
#include <hyperplume/io/netcdf.hpp>

namespace hyperplume::io {

void nc_check(int status, const std::string& file, const std::string& what) {
  if (status != NC_NOERR)
    throw InputError(what + ": " + nc_strerror(status), ErrorContext{file, {}, {}});
}

NcFile::NcFile(const std::string& path, Mode mode) : path_(path) {
  if (mode == Mode::read)
    nc_check(nc_open(path.c_str(), NC_NOWRITE, &ncid_), path, "cannot open NetCDF file");
  else
    nc_check(nc_create(path.c_str(), NC_CLOBBER | NC_NETCDF4, &ncid_), path,
             "cannot create NetCDF file");
}

NcFile::NcFile(NcFile&& other) noexcept : path_(std::move(other.path_)), ncid_(other.ncid_) {
  other.ncid_ = -1;
}

NcFile::~NcFile() {
  if (ncid_ >= 0) nc_close(ncid_);
}

void NcFile::close() {
  if (ncid_ < 0) return;
  const int id = ncid_;
  ncid_ = -1;
  nc_check(nc_close(id), path_, "cannot close NetCDF file");
}

int NcFile::group(int parent, const std::string& name) const {
  int g = -1;
  nc_check(nc_inq_ncid(parent, name.c_str(), &g), path_, "cannot open group '" + name + "'");
  return g;
}

bool NcFile::has_group(int parent, const std::string& name) const {
  int g = -1;
  return nc_inq_ncid(parent, name.c_str(), &g) == NC_NOERR;
}

std::size_t NcFile::dim_length(int grp, const std::string& name) const {
  int d = -1;
  nc_check(nc_inq_dimid(grp, name.c_str(), &d), path_, "missing dimension '" + name + "'");
  std::size_t len = 0;
  nc_check(nc_inq_dimlen(grp, d, &len), path_, "cannot read dimension '" + name + "'");
  return len;
}

bool NcFile::has_var(int grp, const std::string& name) const {
  int v = -1;
  return nc_inq_varid(grp, name.c_str(), &v) == NC_NOERR;
}

int NcFile::var(int grp, const std::string& name) const {
  int v = -1;
  nc_check(nc_inq_varid(grp, name.c_str(), &v), path_, "missing variable '" + name + "'");
  return v;
}

std::vector<std::size_t> NcFile::var_shape(int grp, int varid) const {
  int ndims = 0;
  nc_check(nc_inq_varndims(grp, varid, &ndims), path_, "cannot inquire variable");
  std::vector<int> dims(static_cast<std::size_t>(ndims));
  nc_check(nc_inq_vardimid(grp, varid, dims.data()), path_, "cannot inquire variable dimensions");
  std::vector<std::size_t> shape;
  for (int d : dims) {
    std::size_t len = 0;
    nc_check(nc_inq_dimlen(grp, d, &len), path_, "cannot inquire dimension");
    shape.push_back(len);
  }
  return shape;
}

std::vector<std::string> NcFile::var_dim_names(int grp, int varid) const {
  int ndims = 0;
  nc_check(nc_inq_varndims(grp, varid, &ndims), path_, "cannot inquire variable");
  std::vector<int> dims(static_cast<std::size_t>(ndims));
  nc_check(nc_inq_vardimid(grp, varid, dims.data()), path_, "cannot inquire variable dimensions");
  std::vector<std::string> names;
  for (int d : dims) {
    char buf[NC_MAX_NAME + 1] = {};
    nc_check(nc_inq_dimname(grp, d, buf), path_, "cannot inquire dimension name");
    names.emplace_back(buf);
  }
  return names;
}

int NcFile::var_type(int grp, int varid) const {
  nc_type t = NC_NAT;
  nc_check(nc_inq_vartype(grp, varid, &t), path_, "cannot inquire variable type");
  return t;
}

bool NcFile::has_att(int grp, int varid, const std::string& name) const {
  std::size_t len = 0;
  return nc_inq_attlen(grp, varid, name.c_str(), &len) == NC_NOERR;
}

std::string NcFile::att_text(int grp, int varid, const std::string& name) const {
  nc_type t = NC_NAT;
  std::size_t len = 0;
  nc_check(nc_inq_att(grp, varid, name.c_str(), &t, &len), path_,
           "missing attribute '" + name + "'");
  if (t == NC_CHAR) {
    std::string s(len, '\0');
    nc_check(nc_get_att_text(grp, varid, name.c_str(), s.data()), path_,
             "cannot read attribute '" + name + "'");
    while (!s.empty() && s.back() == '\0') s.pop_back();
    return s;
  }
  if (t == NC_STRING && len == 1) {
    char* p = nullptr;
    nc_check(nc_get_att_string(grp, varid, name.c_str(), &p), path_,
             "cannot read attribute '" + name + "'");
    std::string s = p ? p : "";
    nc_free_string(1, &p);
    return s;
  }
  throw InputError("attribute '" + name + "' is not text", ErrorContext{path_, {}, {}});
}

std::vector<double> NcFile::att_doubles(int grp, int varid, const std::string& name) const {
  std::size_t len = 0;
  nc_check(nc_inq_attlen(grp, varid, name.c_str(), &len), path_,
           "missing attribute '" + name + "'");
  std::vector<double> v(len);
  nc_check(nc_get_att_double(grp, varid, name.c_str(), v.data()), path_,
           "attribute '" + name + "' is not numeric");
  return v;
}

int NcFile::def_group(int parent, const std::string& name) {
  int g = -1;
  nc_check(nc_def_grp(parent, name.c_str(), &g), path_, "cannot define group '" + name + "'");
  return g;
}

int NcFile::def_dim(int grp, const std::string& name, std::size_t len) {
  int d = -1;
  nc_check(nc_def_dim(grp, name.c_str(), len, &d), path_, "cannot define dimension '" + name + "'");
  return d;
}

int NcFile::def_var(int grp, const std::string& name, int type, const std::vector<int>& dims) {
  int v = -1;
  nc_check(nc_def_var(grp, name.c_str(), type, static_cast<int>(dims.size()), dims.data(), &v),
           path_, "cannot define variable '" + name + "'");
  return v;
}

void NcFile::put_att(int grp, int varid, const std::string& name, const std::string& text) {
  nc_check(nc_put_att_text(grp, varid, name.c_str(), text.size(), text.c_str()), path_,
           "cannot write attribute '" + name + "'");
}

void NcFile::put_att(int grp, int varid, const std::string& name,
                     const std::vector<double>& values) {
  nc_check(nc_put_att_double(grp, varid, name.c_str(), NC_DOUBLE, values.size(), values.data()),
           path_, "cannot write attribute '" + name + "'");
}

void NcFile::put_att(int grp, int varid, const std::string& name, double value) {
  put_att(grp, varid, name, std::vector<double>{value});
}

void NcFile::put_att_float(int grp, int varid, const std::string& name, float value) {
  nc_check(nc_put_att_float(grp, varid, name.c_str(), NC_FLOAT, 1, &value), path_,
           "cannot write attribute '" + name + "'");
}

void NcFile::put_att_int(int grp, int varid, const std::string& name, int value) {
  nc_check(nc_put_att_int(grp, varid, name.c_str(), NC_INT, 1, &value), path_,
           "cannot write attribute '" + name + "'");
}

void NcFile::enddef() { nc_check(nc_enddef(ncid_), path_, "cannot leave define mode"); }

std::vector<std::string> read_text_rows(const NcFile& f, int grp, const std::string& name) {
  const int v = f.var(grp, name);
  const auto shape = f.var_shape(grp, v);
  if (shape.size() != 2)
    throw InputError("variable '" + name + "' is not a list of names", ErrorContext{f.path(), {}, {}});
  std::vector<char> buf(shape[0] * shape[1]);
  if (!buf.empty()) nc_check(nc_get_var_text(grp, v, buf.data()), f.path(), "cannot read '" + name + "'");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < shape[0]; ++i) {
    std::string s(buf.data() + i * shape[1], shape[1]);
    s.erase(s.find_last_not_of('\0') + 1);
    out.push_back(s);
  }
  return out;
}

std::vector<double> read_vector(const NcFile& f, int grp, const std::string& name) {
  if (!f.has_var(grp, name))
    throw InputError("no variable '" + name + "'", ErrorContext{f.path(), {}, {}});
  const int v = f.var(grp, name);
  const auto shape = f.var_shape(grp, v);
  if (shape.size() != 1)
    throw InputError("variable '" + name + "' is not 1-D", ErrorContext{f.path(), {}, {}});
  std::vector<double> out(shape[0]);
  nc_check(nc_get_var_double(grp, v, out.data()), f.path(), "cannot read '" + name + "'");
  return out;
}

template <class T>
Raster<T> read_raster(const NcFile& f, int grp, const std::string& name, int rows, int cols,
                      std::size_t plane) {
  if (!f.has_var(grp, name))
    throw InputError("no variable '" + name + "'", ErrorContext{f.path(), {}, {}});
  const int v = f.var(grp, name);
  const auto shape = f.var_shape(grp, v);
  const std::size_t n = shape.size();
  if ((n != 2 && n != 3) || shape[n - 2] != static_cast<std::size_t>(rows) ||
      shape[n - 1] != static_cast<std::size_t>(cols) || (n == 2 && plane > 0) ||
      (n == 3 && plane >= shape[0]))
    throw InputError("variable '" + name + "' does not have the shape (" + std::to_string(rows) +
                         ", " + std::to_string(cols) + ")",
                     ErrorContext{f.path(), {}, {}});
  std::vector<std::size_t> start(n, 0), count(shape);
  if (n == 3) {
    start[0] = plane;
    count[0] = 1;
  }
  Raster<T> r(rows, cols);
  int status;
  if constexpr (std::is_same_v<T, double>)
    status = nc_get_vara_double(grp, v, start.data(), count.data(), r.data());
  else if constexpr (std::is_same_v<T, float>)
    status = nc_get_vara_float(grp, v, start.data(), count.data(), r.data());
  else
    status = nc_get_vara_int(grp, v, start.data(), count.data(), r.data());
  nc_check(status, f.path(), "cannot read '" + name + "'");
  return r;
}

template Raster<double> read_raster(const NcFile&, int, const std::string&, int, int, std::size_t);
template Raster<float> read_raster(const NcFile&, int, const std::string&, int, int, std::size_t);
template Raster<std::int32_t> read_raster(const NcFile&, int, const std::string&, int, int,
                                          std::size_t);

}  // namespace hyperplume::io
