#include <hdf5.h>
#include <netcdf.h>

#include <algorithm>

#include <hyperplume/core/error.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/io/stored_chunks.hpp>

#include "dataset_writer_base.hpp"

namespace hyperplume::io {

bool stored_like(const std::string& path, const std::vector<VarSpec>& specs,
                 const std::vector<std::size_t>& shape) {
  const NcFile f(path, NcFile::Mode::read);
  int format = 0;
  if (nc_inq_format(f.id(), &format) != NC_NOERR || format != NC_FORMAT_NETCDF4) return false;
  auto alike = [&](const VarSpec& spec) {
    int id = -1;
    if (nc_inq_varid(f.id(), spec.name.c_str(), &id) != NC_NOERR) return false;
    if (f.var_type(f.id(), id) != detail::external_type(spec.type) || f.var_shape(f.id(), id) != shape)
      return false;
    int storage = 0;
    std::vector<std::size_t> chunks(shape.size());
    if (nc_inq_var_chunking(f.id(), id, &storage, chunks.data()) != NC_NOERR ||
        storage != NC_CHUNKED || chunks != spec.chunks)
      return false;
    int shuffle = 0, deflate = 0, level = 0, fletcher = 0;
    if (nc_inq_var_deflate(f.id(), id, &shuffle, &deflate, &level) != NC_NOERR ||
        nc_inq_var_fletcher32(f.id(), id, &fletcher) != NC_NOERR || fletcher)
      return false;
    return spec.deflate ? (shuffle && deflate && level == 1) : (!shuffle && !deflate);
  };
  return std::all_of(specs.begin(), specs.end(), alike);
}

namespace {
// An HDF5 identifier closed with the function that fits it.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// What decides the bytes of a stored chunk: type, shape, chunk shape, filters with their
// parameters. Everything else (fill value, attributes) may differ between the two files.
struct Storage {
  std::vector<hsize_t> shape, chunk;
  std::vector<std::vector<unsigned>> filters;  // id, flags, parameters
};

Storage storage_of(hid_t dataset) {
  Storage s;
  Handle space(H5Dget_space(dataset), H5Sclose);
  s.shape.resize(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space)));
  H5Sget_simple_extent_dims(space, s.shape.data(), nullptr);
  Handle plist(H5Dget_create_plist(dataset), H5Pclose);
  if (H5Pget_layout(plist) != H5D_CHUNKED) return s;
  s.chunk.resize(s.shape.size());
  H5Pget_chunk(plist, static_cast<int>(s.chunk.size()), s.chunk.data());
  for (int i = 0; i < H5Pget_nfilters(plist); ++i) {
    unsigned flags = 0, config = 0;
    std::size_t n = 16;
    std::vector<unsigned> values(n);
    const H5Z_filter_t id =
        H5Pget_filter2(plist, static_cast<unsigned>(i), &flags, &n, values.data(), 0, nullptr, &config);
    values.resize(std::min<std::size_t>(n, 16));
    values.insert(values.begin(), {static_cast<unsigned>(id), flags});
    s.filters.push_back(values);
  }
  return s;
}
}  // namespace

void copy_stored_chunks(const std::string& src, const std::string& dst,
                        const std::vector<std::string>& vars) {
  auto fail = [](const std::string& var, const std::string& file, const std::string& what) {
    return InputError("cannot copy the stored chunks of '" + var + "': " + what, ErrorContext{file, {}, {}});
  };
  Handle fs(H5Fopen(src.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!fs.valid()) throw fail(vars.front(), src, "not an HDF5 file");
  Handle fd(H5Fopen(dst.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
  if (!fd.valid()) throw fail(vars.front(), dst, "cannot open for writing");
  std::vector<unsigned char> bytes;
  for (const std::string& var : vars) {
    Handle ds(H5Dopen2(fs, var.c_str(), H5P_DEFAULT), H5Dclose);
    if (!ds.valid()) throw fail(var, src, "no such variable");
    Handle dd(H5Dopen2(fd, var.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dd.valid()) throw fail(var, dst, "no such variable");
    Handle ts(H5Dget_type(ds), H5Tclose), td(H5Dget_type(dd), H5Tclose);
    const Storage a = storage_of(ds), b = storage_of(dd);
    if (H5Tequal(ts, td) <= 0 || a.shape != b.shape || a.chunk.empty() || a.chunk != b.chunk ||
        a.filters != b.filters)
      throw fail(var, dst, "type, shape, chunks or filters differ from " + src);

    Handle space(H5Dget_space(ds), H5Sclose);
    hsize_t count = 0;
    if (H5Dget_num_chunks(ds, space, &count) < 0) throw fail(var, src, "cannot list its chunks");
    std::vector<hsize_t> offset(a.shape.size());
    for (hsize_t i = 0; i < count; ++i) {
      unsigned mask = 0;
      haddr_t address = 0;
      hsize_t size = 0;
      if (H5Dget_chunk_info(ds, space, i, offset.data(), &mask, &address, &size) < 0)
        throw fail(var, src, "cannot locate chunk " + std::to_string(i));
      bytes.resize(size);
      if (H5Dread_chunk(ds, H5P_DEFAULT, offset.data(), &mask, bytes.data()) < 0)
        throw fail(var, src, "cannot read chunk " + std::to_string(i));
      if (H5Dwrite_chunk(dd, H5P_DEFAULT, mask, offset.data(), size, bytes.data()) < 0)
        throw fail(var, dst, "cannot write chunk " + std::to_string(i));
    }
  }
}

}  // namespace hyperplume::io
