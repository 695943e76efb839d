#include <gdal_priv.h>
#include <netcdf.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/io/reanalysis.hpp>
#include <limits>
#include <map>
#include <vector>

namespace hyperplume::io {
namespace fs = std::filesystem;

namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A regular lon/lat grid of values, north-up or south-up, sampled bilinearly.
struct Grid {
  double lon0 = 0, dlon = 1, lat0 = 0, dlat = 1;  // centre of cell (0, 0) and steps
  int nx = 0, ny = 0;
  std::vector<double> v;  // ny x nx
  double sample(double lon, double lat) const {
    const double x = (lon - lon0) / dlon, y = (lat - lat0) / dlat;
    const int i = static_cast<int>(std::floor(x)), j = static_cast<int>(std::floor(y));
    if (i < 0 || j < 0 || i + 1 >= nx || j + 1 >= ny)
      return std::numeric_limits<double>::quiet_NaN();
    const double fx = x - i, fy = y - j;
    auto at = [&](int a, int b) { return v[static_cast<std::size_t>(b) * nx + a]; };
    return (at(i, j) * (1 - fx) + at(i + 1, j) * fx) * (1 - fy) +
           (at(i, j + 1) * (1 - fx) + at(i + 1, j + 1) * fx) * fy;
  }
};

std::string two(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

void sample_into(const Grid& g0, const Grid* g1, double f, const Raster<double>& lat,
                 const Raster<double>& lon, Raster<float>& out) {
  out.resize(lat.rows(), lat.cols());
  for (Eigen::Index i = 0; i < lat.size(); ++i) {
    const double a = g0.sample(lon.data()[i], lat.data()[i]);
    const double b = g1 ? g1->sample(lon.data()[i], lat.data()[i]) : a;
    out.data()[i] = static_cast<float>((1 - f) * a + f * b);
  }
}

// ERA5: every (element, valid time) message of a day's GRIB file.
std::map<std::pair<std::string, long>, Grid> read_era5_day(const std::string& path) {
  gdal_register_once();
  if (!fs::exists(path)) throw InputError("ERA5 file is missing", ErrorContext{path, {}, {}});
  GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(path.c_str(), GA_ReadOnly));
  if (!ds)
    throw InputError(std::string("cannot open ERA5 GRIB: ") + CPLGetLastErrorMsg(),
                     ErrorContext{path, {}, {}});
  double gt[6];
  ds->GetGeoTransform(gt);
  std::map<std::pair<std::string, long>, Grid> out;
  for (int b = 1; b <= ds->GetRasterCount(); ++b) {
    GDALRasterBand* band = ds->GetRasterBand(b);
    const char* element = band->GetMetadataItem("GRIB_ELEMENT");
    const char* level = band->GetMetadataItem("GRIB_SHORT_NAME");
    const char* valid = band->GetMetadataItem("GRIB_VALID_TIME");
    if (!element || !level || !valid || std::string(level) != "10-HTGL") continue;
    const std::string e = element;
    if (e != "UGRD" && e != "VGRD" && e != "10U" && e != "10V") continue;
    Grid g;
    g.nx = ds->GetRasterXSize();
    g.ny = ds->GetRasterYSize();
    g.lon0 = gt[0] + 0.5 * gt[1];
    g.dlon = gt[1];
    g.lat0 = gt[3] + 0.5 * gt[5];
    g.dlat = gt[5];
    g.v.resize(static_cast<std::size_t>(g.nx) * g.ny);
    if (band->RasterIO(GF_Read, 0, 0, g.nx, g.ny, g.v.data(), g.nx, g.ny, GDT_Float64, 0, 0) !=
        CE_None) {
      GDALClose(ds);
      throw InputError("cannot read ERA5 message", ErrorContext{path, {}, {}});
    }
    out[{(e == "UGRD" || e == "10U") ? "u" : "v", std::atol(valid)}] = std::move(g);
  }
  GDALClose(ds);
  return out;
}

std::string era5_file(const std::string& dir, const UtcTime& day) {
  return (fs::path(dir) / std::to_string(day.civil().year) / ("sl_" + day.date_compact() + ".grib"))
      .string();
}
}  // namespace

std::vector<std::string> era5_files_for(const std::string& dir, const UtcTime& t) {
  if (dir.empty()) return {};
  const double h0 = std::floor(t.unix_seconds() / 3600.0) * 3600.0;
  std::vector<std::string> files{era5_file(dir, UtcTime::from_unix(h0))};
  const std::string next = era5_file(dir, UtcTime::from_unix(h0 + 3600));
  if (next != files.front()) files.push_back(next);
  return files;
}

SwathWeather era5_on_swath(const std::string& dir, const UtcTime& t, const Raster<double>& lat,
                           const Raster<double>& lon) {
  if (dir.empty()) throw InputError("ERA5: no directory configured (paths.era5_dir)");
  const double h0 = std::floor(t.unix_seconds() / 3600.0) * 3600.0;
  const double f = (t.unix_seconds() - h0) / 3600.0;
  std::map<std::pair<std::string, long>, Grid> fields =
      read_era5_day(era5_file(dir, UtcTime::from_unix(h0)));
  if (!fields.count(
          {"u", static_cast<long>(h0) + 3600})) {  // the next hour is in the next day's file
    const std::string next = era5_file(dir, UtcTime::from_unix(h0 + 3600));
    if (fs::exists(next)) fields.merge(read_era5_day(next));
  }
  auto get = [&](const char* c, double when) -> const Grid* {
    const auto it = fields.find({c, static_cast<long>(when)});
    return it == fields.end() ? nullptr : &it->second;
  };
  const Grid *u0 = get("u", h0), *v0 = get("v", h0), *u1 = get("u", h0 + 3600),
             *v1 = get("v", h0 + 3600);
  if (!u0 || !v0)
    throw InputError("ERA5: no 10 m wind at " + UtcTime::from_unix(h0).iso8601(),
                     ErrorContext{era5_file(dir, UtcTime::from_unix(h0)), {}, {}});
  SwathWeather w;
  sample_into(*u0, u1, u1 ? f : 0.0, lat, lon, w.u10);
  sample_into(*v0, v1, v1 ? f : 0.0, lat, lon, w.v10);
  w.sp = Raster<float>::Constant(lat.rows(), lat.cols(), kNaN);
  return w;
}

namespace {
std::string geosfp_file(const std::string& dir, const UtcTime& hour) {
  const CivilTime c = hour.civil();
  return (fs::path(dir) / std::to_string(c.year) / two(c.month) / two(c.day) /
          ("GEOS.fp.asm.tavg1_2d_slv_Nx." + hour.date_compact() + "_" + two(c.hour) + "30.V01.nc4"))
      .string();
}

std::map<std::string, Grid> read_geosfp(const std::string& path) {
  NcFile f(path, NcFile::Mode::read);
  const std::size_t nx = f.dim_length(f.id(), "lon"), ny = f.dim_length(f.id(), "lat");
  std::vector<double> lon(nx), lat(ny);
  nc_check(nc_get_var_double(f.id(), f.var(f.id(), "lon"), lon.data()), path, "lon");
  nc_check(nc_get_var_double(f.id(), f.var(f.id(), "lat"), lat.data()), path, "lat");
  if (nx < 2 || ny < 2) throw InputError("GEOS-FP grid is too small", ErrorContext{path, {}, {}});
  std::map<std::string, Grid> out;
  for (const char* name : {"U10M", "V10M", "PS"}) {
    Grid g;
    g.nx = static_cast<int>(nx);
    g.ny = static_cast<int>(ny);
    g.lon0 = lon[0];
    g.dlon = lon[1] - lon[0];
    g.lat0 = lat[0];
    g.dlat = lat[1] - lat[0];
    g.v.resize(nx * ny);
    const int v = f.var(f.id(), name);
    const std::size_t start[3] = {0, 0, 0}, count[3] = {1, ny, nx};
    nc_check(nc_get_vara_double(f.id(), v, start, count, g.v.data()), path,
             std::string("cannot read ") + name);
    for (double& x : g.v)
      if (std::abs(x) >= 1e14) x = std::numeric_limits<double>::quiet_NaN();
    out[name] = std::move(g);
  }
  return out;
}
}  // namespace

namespace {
// The hour whose mean is read and the neighbouring one it is interpolated towards.
std::pair<double, double> geosfp_hours(const UtcTime& t) {
  const double hour = std::floor(t.unix_seconds() / 3600.0) * 3600.0;
  return {hour, t.unix_seconds() >= hour + 1800.0 ? hour + 3600.0 : hour - 3600.0};
}
}  // namespace

std::vector<std::string> geosfp_files_for(const std::string& dir, const UtcTime& t) {
  if (dir.empty()) return {};
  const auto [hour, other] = geosfp_hours(t);
  return {geosfp_file(dir, UtcTime::from_unix(hour)), geosfp_file(dir, UtcTime::from_unix(other))};
}

SwathWeather geosfp_on_swath(const std::string& dir, const UtcTime& t, const Raster<double>& lat,
                             const Raster<double>& lon) {
  if (dir.empty()) throw InputError("GEOS-FP: no directory configured (paths.geosfp_dir)");
  const auto [hour, other_hour] = geosfp_hours(t);
  const std::string path = geosfp_file(dir, UtcTime::from_unix(hour));
  if (!fs::exists(path)) throw InputError("GEOS-FP file is missing", ErrorContext{path, {}, {}});
  const auto now = read_geosfp(path);
  // The hourly mean is centred on HH:30; interpolate towards the neighbouring hour's mean.
  const double mid = hour + 1800.0;
  const std::string other_path = geosfp_file(dir, UtcTime::from_unix(other_hour));
  std::map<std::string, Grid> other;
  if (fs::exists(other_path)) other = read_geosfp(other_path);
  const double f = other.empty() ? 0.0 : std::abs(t.unix_seconds() - mid) / 3600.0;
  SwathWeather w;
  sample_into(now.at("U10M"), other.empty() ? nullptr : &other.at("U10M"), f, lat, lon, w.u10);
  sample_into(now.at("V10M"), other.empty() ? nullptr : &other.at("V10M"), f, lat, lon, w.v10);
  sample_into(now.at("PS"), other.empty() ? nullptr : &other.at("PS"), f, lat, lon, w.sp);
  return w;
}

}  // namespace hyperplume::io
