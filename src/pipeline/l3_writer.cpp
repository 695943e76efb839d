#include <cmath>
#include <hyperplume/core/version.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/dataset_writer.hpp>
#include <hyperplume/io/stored_chunks.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <hyperplume/pipeline/l3_writer.hpp>
#include <limits>

namespace hyperplume::pipeline {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kGlobal = io::DatasetWriter::kGlobal;

void put_attributes(io::DatasetWriter& f, int var, const AttributeList& attributes) {
  for (const auto& [k, v] : attributes)
    std::visit([&, &k = k](const auto& x) { f.put_att(var, k, x); }, v);
}

// The L2's grid mapping, copied, so the L3 is on exactly the same grid and CRS.
int define_grid_mapping(io::DatasetWriter& f, const L2Scene& s) {
  const int v = f.def_var({s.grid_mapping, io::ElementType::i32, {}, {}, false, {}});
  put_attributes(f, v, s.grid_mapping_attributes);
  return v;
}

Raster<float> masked(const Raster<float>& field, const Raster<std::uint8_t>& mask) {
  Raster<float> out = field;
  for (Eigen::Index i = 0; i < out.size(); ++i)
    if (!mask.data()[i]) out.data()[i] = std::numeric_limits<float>::quiet_NaN();
  return out;
}
}  // namespace

std::vector<io::VarSpec> l3_coordinate_specs(int dy, int dx, std::size_t rows, std::size_t cols) {
  const auto chunks = grid_chunks(rows, cols);
  return {{"latitude", io::ElementType::f64, {dy, dx}, chunks, true, kNaN},
          {"longitude", io::ElementType::f64, {dy, dx}, chunks, true, kNaN}};
}

void write_l3_plume(const std::string& path, const L3Plume& p) {
  const L2Scene& s = *p.scene;
  // At most (uncompressed): a few float fields, the mask and the double coordinates.
  io::AtomicOutput out(path, static_cast<std::uintmax_t>(s.rows()) *
                                 static_cast<std::uintmax_t>(s.cols()) * 48);
  auto f = io::create_dataset(out.temp_path().string(), io::FileFormat::netcdf4, nullptr);
  const auto rows = static_cast<std::size_t>(s.rows()), cols = static_cast<std::size_t>(s.cols());
  f->put_att(kGlobal, "Conventions", "CF-1.8");
  f->put_att(kGlobal, "title", "Trace-gas plume (L3)");
  f->put_att(kGlobal, "product", "HyperPlume L3");
  f->put_att(kGlobal, "version", std::string("hyperplume_") + version());
  f->put_att(kGlobal, "filename", s.l1_path);
  f->put_att(kGlobal, "l2_filename", io::canonical_path(s.path));
  f->put_att(kGlobal, "plume_id", p.plume_id);
  f->put_att(kGlobal, "start_time", text_attribute(s.field_attributes, "start_time"));
  for (const auto& [k, v] : s.field_attributes)
    if ((k == "sza" || k == "vza") && std::holds_alternative<double>(v))
      f->put_att(kGlobal, k, std::get<double>(v));
  f->put_att(kGlobal, "plume_longitude", p.plume_longitude);
  f->put_att(kGlobal, "plume_latitude", p.plume_latitude);
  put_attributes(*f, kGlobal, p.provenance);

  const int dy = f->def_dim("y", rows), dx = f->def_dim("x", cols);
  const int vx = f->def_var({"x", io::ElementType::f64, {dx}, {}, false, {}});
  const int vy = f->def_var({"y", io::ElementType::f64, {dy}, {}, false, {}});
  for (auto [v, axis] : {std::pair{vx, "x"}, std::pair{vy, "y"}}) {
    f->put_att(v, "standard_name", std::string("projection_") + axis + "_coordinate");
    f->put_att(v, "units", "m");
  }
  const int vcrs = define_grid_mapping(*f, s);
  auto def2d = [&](const std::string& name, io::ElementType type) {
    return f->def_var({name, type, {dy, dx}, grid_chunks(rows, cols), true, kNaN});
  };
  // The coordinates are the L2's: when the L2 stores them as this file would, its
  // compressed chunks are copied after closing (deflating them again is most of the cost).
  const std::vector<io::VarSpec> coordinates = l3_coordinate_specs(dy, dx, rows, cols);
  const bool copy_coordinates = io::stored_like(s.path, coordinates, {rows, cols});
  const int vlat = f->def_var(coordinates[0]), vlon = f->def_var(coordinates[1]);
  f->put_att(vlat, "standard_name", "latitude");
  f->put_att(vlat, "units", "degrees_north");
  f->put_att(vlon, "standard_name", "longitude");
  f->put_att(vlon, "units", "degrees_east");
  auto def_field = [&](const std::string& name, const std::string& description_suffix) {
    const int v = def2d(name, io::ElementType::f32);
    for (const auto& [k, val] : s.field_attributes) {
      if (k == "description" && std::holds_alternative<std::string>(val))
        f->put_att(v, k, std::get<std::string>(val) + description_suffix);
      else if (k != "coordinates" && k != "grid_mapping")
        std::visit([&, &k = k](const auto& x) { f->put_att(v, k, x); }, val);
    }
    f->put_att(v, "coordinates", "latitude longitude");
    f->put_att(v, "grid_mapping", s.grid_mapping);
    return v;
  };
  const int vgas = def_field(s.gas, "");
  const int vcm = def_field(s.gas + "_cm", " masked by the Carbon Mapper v2 method");

  // Plume-mean wind and pressure per source (HyperGas writes them only when all exist).
  int vsrc = -1, vu = -1, vv = -1, vsp = -1;
  std::size_t width = 1;
  for (const auto& w : p.winds) width = std::max(width, w.source.size());
  if (!p.winds.empty()) {
    const int ds = f->def_dim("source", p.winds.size());
    const int dss = f->def_dim("source_strlen", width);
    vsrc = f->def_var({"source", io::ElementType::text, {ds, dss}, {}, false, {}});
    f->put_att(vsrc, "_Encoding", "utf-8");
    auto def1d = [&](const char* name, const char* long_name, const char* units) {
      const int v = f->def_var({name, io::ElementType::f64, {ds}, {}, false, kNaN});
      f->put_att(v, "long_name", std::string(long_name));
      f->put_att(v, "units", std::string(units));
      return v;
    };
    vu = def1d("u10", "plume-mean 10 m eastward wind", "m s-1");
    vv = def1d("v10", "plume-mean 10 m northward wind", "m s-1");
    vsp = def1d("sp", "plume-mean surface pressure", "Pa");
  }
  f->enddef();

  f->write(vx, {0}, {cols}, s.x.data());
  f->write(vy, {0}, {rows}, s.y.data());
  const std::int32_t zero = 0;
  f->write(vcrs, {}, {}, &zero);
  if (!copy_coordinates) {
    f->write(vlat, {0, 0}, {rows, cols}, s.latitude.data());
    f->write(vlon, {0, 0}, {rows, cols}, s.longitude.data());
  }
  f->write(vgas, {0, 0}, {rows, cols}, masked(s.field, *p.mask).data());
  f->write(vcm, {0, 0}, {rows, cols}, masked(s.field, *p.cm_mask).data());
  if (!p.winds.empty()) {
    const std::size_t n = p.winds.size();
    std::vector<char> names(n * width, '\0');
    std::vector<double> u, v, sp;
    for (std::size_t k = 0; k < n; ++k) {
      std::copy(p.winds[k].source.begin(), p.winds[k].source.end(),
                names.begin() + static_cast<long>(k * width));
      u.push_back(p.winds[k].u10);
      v.push_back(p.winds[k].v10);
      sp.push_back(p.winds[k].surface_pressure);
    }
    f->write(vsrc, {0, 0}, {n, width}, names.data());
    f->write(vu, {0}, {n}, u.data());
    f->write(vv, {0}, {n}, v.data());
    f->write(vsp, {0}, {n}, sp.data());
  }
  f->close();
  if (copy_coordinates)
    io::copy_stored_chunks(s.path, out.temp_path().string(), {"latitude", "longitude"});
  out.commit();
}

void write_csf_lines(const std::string& path, const emission::EmissionEstimate& e, const L2Scene& s,
                     const std::string& center_dim) {
  io::AtomicOutput out(path);
  auto f = io::create_dataset(out.temp_path().string(), io::FileFormat::netcdf4, nullptr);
  f->put_att(kGlobal, "Conventions", "CF-1.8");
  f->put_att(kGlobal, "title", "Cross-sectional flux transects of a plume (L3)");
  f->put_att(kGlobal, "version", std::string("hyperplume_") + version());
  const std::size_t n = e.csf.lines.size(), m = e.csf.centre_x.size();
  const int dl = f->def_dim("csf_line", n);
  const int dc = f->def_dim(center_dim, m);
  const int vcrs = define_grid_mapping(*f, s);
  auto def = [&](const char* name, int dim, const char* units, const char* long_name) {
    const int v = f->def_var({name, io::ElementType::f64, {dim}, {}, false, kNaN});
    f->put_att(v, "units", std::string(units));
    f->put_att(v, "long_name", std::string(long_name));
    f->put_att(v, "grid_mapping", s.grid_mapping);
    return v;
  };
  const int vq = def("emission_rate", dl, "kg h-1", "emission rate through the transect");
  const int vxs = def("x_start", dl, "m", "transect start, x");
  const int vxe = def("x_end", dl, "m", "transect end, x");
  const int vys = def("y_start", dl, "m", "transect start, y");
  const int vye = def("y_end", dl, "m", "transect end, y");
  const int vxc = def("x_center", dc, "m", "plume centre line, x");
  const int vyc = def("y_center", dc, "m", "plume centre line, y");
  f->enddef();
  std::vector<double> xs, xe, ys, ye;
  for (const auto& l : e.csf.lines) {
    xs.push_back(l.x_start);
    xe.push_back(l.x_end);
    ys.push_back(l.y_start);
    ye.push_back(l.y_end);
  }
  const std::int32_t zero = 0;
  f->write(vcrs, {}, {}, &zero);
  f->write(vq, {0}, {n}, e.csf_line_emission.data());
  f->write(vxs, {0}, {n}, xs.data());
  f->write(vxe, {0}, {n}, xe.data());
  f->write(vys, {0}, {n}, ys.data());
  f->write(vye, {0}, {n}, ye.data());
  f->write(vxc, {0}, {m}, e.csf.centre_x.data());
  f->write(vyc, {0}, {m}, e.csf.centre_y.data());
  f->close();
  out.commit();
}

}  // namespace hyperplume::pipeline
