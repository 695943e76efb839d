#include <netcdf.h>

#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/l2_reader.hpp>

namespace hyperplume::pipeline {
using io::nc_check;
using io::NcFile;

namespace {
[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw InputError(what, ErrorContext{path, {}, {}});
}

AttributeList attributes_of(const NcFile& f, int var) {
  int natts = 0;
  nc_check(nc_inq_varnatts(f.id(), var, &natts), f.path(), "cannot list attributes");
  AttributeList out;
  for (int i = 0; i < natts; ++i) {
    char name[NC_MAX_NAME + 1];
    nc_check(nc_inq_attname(f.id(), var, i, name), f.path(), "cannot read an attribute name");
    nc_type t = NC_NAT;
    nc_check(nc_inq_atttype(f.id(), var, name, &t), f.path(), "cannot read an attribute type");
    if (std::string(name) == "_FillValue") continue;  // the writer sets its own
    if (t == NC_CHAR || t == NC_STRING)
      out.emplace_back(name, f.att_text(f.id(), var, name));
    else {
      const auto values = f.att_doubles(f.id(), var, name);
      if (values.size() == 1) out.emplace_back(name, values[0]);
    }
  }
  return out;
}

}  // namespace

std::string text_attribute(const AttributeList& attributes, const std::string& key) {
  for (const auto& [k, v] : attributes)
    if (k == key && std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "";
}

std::string sensor_key_of(const std::string& l2_path) {
  const std::string base = std::filesystem::path(l2_path).filename().string();
  if (base.rfind("EMIT", 0) == 0) return "emit";
  if (base.rfind("ENMAP", 0) == 0) return "enmap";
  if (base.rfind("PRS", 0) == 0) return "prisma";
  throw InputError("cannot tell the sensor from the file name (EMIT_*, ENMAP*, PRS_*)",
                   ErrorContext{l2_path, {}, {}});
}

double L2Scene::resolution() const {
  if (y.size() < 2) return std::nan("");
  return std::abs((y.back() - y.front()) / static_cast<double>(y.size() - 1));
}

L2Scene read_l2_for_plumes(const std::string& path, const std::string& gas) {
  if (!std::filesystem::exists(path)) fail(path, "no such L2 file");
  NcFile f(path, NcFile::Mode::read);
  const int g = NC_GLOBAL;
  if (!f.has_att(f.id(), g, "geometry") || f.att_text(f.id(), g, "geometry") != "utm")
    fail(path, "the L2 product is not orthorectified (plumes are picked on the UTM grid)");
  L2Scene s;
  s.path = path;
  s.gas = gas;
  s.l1_path = f.has_att(f.id(), g, "filename") ? f.att_text(f.id(), g, "filename") : "";
  if (!f.has_att(f.id(), g, "time_coverage_start")) fail(path, "no time_coverage_start");
  s.start = UtcTime::parse_iso8601(f.att_text(f.id(), g, "time_coverage_start"));
  s.x = io::read_vector(f, f.id(), "x");
  s.y = io::read_vector(f, f.id(), "y");
  const int rows = static_cast<int>(s.y.size()), cols = static_cast<int>(s.x.size());
  s.latitude = io::read_raster<double>(f, f.id(), "latitude", rows, cols);
  s.longitude = io::read_raster<double>(f, f.id(), "longitude", rows, cols);
  if (!f.has_var(f.id(), gas)) fail(path, "no '" + gas + "' field (retrieved species?)");
  if (!f.has_var(f.id(), gas + "_mask"))
    fail(path, "no '" + gas + "_mask' a-priori plume mask (an L2 from an older version?)");
  const int vg = f.var(f.id(), gas);
  s.field = io::read_raster<float>(f, f.id(), gas, rows, cols);
  s.field_attributes = attributes_of(f, vg);
  s.mask = io::read_raster<float>(f, f.id(), gas + "_mask", rows, cols);
  s.grid_mapping = text_attribute(s.field_attributes, "grid_mapping");
  if (s.grid_mapping.empty() || !f.has_var(f.id(), s.grid_mapping))
    fail(path, "'" + gas + "' has no grid mapping");
  s.grid_mapping_attributes = attributes_of(f, f.var(f.id(), s.grid_mapping));
  if (f.has_var(f.id(), "source")) {
    s.sources = io::read_text_rows(f, f.id(), "source");
    for (std::size_t k = 0; k < s.sources.size(); ++k)
      s.weather.push_back({io::read_raster<float>(f, f.id(), "u10", rows, cols, k),
                           io::read_raster<float>(f, f.id(), "v10", rows, cols, k),
                           io::read_raster<float>(f, f.id(), "sp", rows, cols, k)});
  }
  return s;
}

}  // namespace hyperplume::pipeline
