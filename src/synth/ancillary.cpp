#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/synth/ancillary.hpp>
#include <set>

namespace hyperplume::synth {
namespace fs = std::filesystem;
using io::nc_check;

namespace {
std::string two(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

UtcTime midnight(const UtcTime& t) {
  return UtcTime::from_unix(std::floor(t.unix_seconds() / 86400.0) * 86400.0);
}
}  // namespace

std::string era5_path(const std::string& dir, const UtcTime& day) {
  return (fs::path(dir) / std::to_string(day.civil().year) / ("sl_" + day.date_compact() + ".grib"))
      .string();
}

void write_era5_day(const std::string& dir, const UtcTime& day, const LonLatBox& box,
                    const Weather& weather) {
  constexpr double d = 0.25;
  const double west = std::floor(box.west / d) * d, east = std::ceil(box.east / d) * d;
  const double south = std::floor(box.south / d) * d, north = std::ceil(box.north / d) * d;
  const int nx = static_cast<int>(std::lround((east - west) / d)) + 1,
            ny = static_cast<int>(std::lround((north - south) / d)) + 1;
  GeoTransform gt;
  gt.gt = {west - 0.5 * d, d, 0, north + 0.5 * d, 0, -d};  // grid points are cell centres
  std::vector<io::Grib2Field> fields;
  const UtcTime t0 = midnight(day);
  for (int h = 0; h < 24; ++h) {
    const UtcTime t = t0.plus_seconds(h * 3600.0);
    io::Grib2Field u, v;
    u.values.resize(ny, nx);
    v.values.resize(ny, nx);
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const WeatherSample w = weather.at(west + i * d, north - j * d, t.unix_seconds());
        u.values(j, i) = w.u10;
        v.values(j, i) = w.v10;
      }
    u.transform = v.transform = gt;
    u.reference_time = v.reference_time = t;
    u.number = 2;
    v.number = 3;
    fields.push_back(std::move(u));
    fields.push_back(std::move(v));
  }
  io::write_grib2(era5_path(dir, day), fields);
}

std::string geosfp_path(const std::string& dir, const UtcTime& hour) {
  const CivilTime c = hour.civil();
  return (fs::path(dir) / std::to_string(c.year) / two(c.month) / two(c.day) /
          ("GEOS.fp.asm.tavg1_2d_slv_Nx." + hour.date_compact() + "_" + two(c.hour) + "30.V01.nc4"))
      .string();
}

void write_geosfp_hour(const std::string& dir, const UtcTime& hour, const Weather& weather) {
  const CivilTime c = hour.civil();
  const UtcTime mid = UtcTime::from_civil({c.year, c.month, c.day, c.hour, 30, 0.0});
  const std::string path = geosfp_path(dir, hour);
  constexpr int nx = 1152, ny = 721;
  std::vector<double> lon(nx), lat(ny);
  for (int i = 0; i < nx; ++i) lon[static_cast<std::size_t>(i)] = -180.0 + 0.3125 * i;
  for (int j = 0; j < ny; ++j) lat[static_cast<std::size_t>(j)] = -90.0 + 0.25 * j;
  std::vector<float> u(static_cast<std::size_t>(nx) * ny), v(u.size()), ps(u.size());
  // The hourly mean of a field that varies slowly in time: average of 4 samples.
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      double su = 0, sv = 0, sp = 0;
      for (int k = 0; k < 4; ++k) {
        const WeatherSample w =
            weather.at(lon[static_cast<std::size_t>(i)], lat[static_cast<std::size_t>(j)],
                       mid.unix_seconds() + (k - 1.5) * 900.0);
        su += w.u10;
        sv += w.v10;
        sp += w.surface_pressure;
      }
      const std::size_t idx = static_cast<std::size_t>(j) * nx + i;
      u[idx] = static_cast<float>(su / 4);
      v[idx] = static_cast<float>(sv / 4);
      ps[idx] = static_cast<float>(sp / 4);
    }
  io::AtomicOutput out(path);
  {
    io::NcFile f(out.temp_path().string(), io::NcFile::Mode::create_netcdf4);
    const int g = f.id();
    f.put_att(g, NC_GLOBAL, "Title",
              "GEOS.fp.asm.tavg1_2d_slv_Nx: synthetic single-level diagnostics (HyperPlume synth)");
    f.put_att(g, NC_GLOBAL, "Conventions", "CF-1");
    f.put_att(g, NC_GLOBAL, "Source", "HyperPlume synthetic campaign generator");
    const int dt = f.def_dim(g, "time", 1), dlat = f.def_dim(g, "lat", ny),
              dlon = f.def_dim(g, "lon", nx);
    const int vlon = f.def_var(g, "lon", NC_DOUBLE, {dlon});
    f.put_att(g, vlon, "long_name", "longitude");
    f.put_att(g, vlon, "units", "degrees_east");
    const int vlat = f.def_var(g, "lat", NC_DOUBLE, {dlat});
    f.put_att(g, vlat, "long_name", "latitude");
    f.put_att(g, vlat, "units", "degrees_north");
    const int vt = f.def_var(g, "time", NC_INT, {dt});
    f.put_att(g, vt, "long_name", "time");
    const CivilTime m = mid.civil();
    char units[64];
    std::snprintf(units, sizeof units, "minutes since %04d-%02d-%02d %02d:30:00", m.year, m.month,
                  m.day, m.hour);
    f.put_att(g, vt, "units", std::string(units));
    auto field = [&](const char* name, const char* long_name, const char* unit) {
      const int var = f.def_var(g, name, NC_FLOAT, {dt, dlat, dlon});
      const float fill = 1e15f;
      nc_check(nc_def_var_fill(g, var, NC_FILL, &fill), path, "fill");
      nc_check(nc_def_var_deflate(g, var, 1, 1, 1), path, "deflate");
      f.put_att(g, var, "long_name", std::string(long_name));
      f.put_att(g, var, "units", std::string(unit));
      f.put_att_float(g, var, "fmissing_value", 1e15f);
      return var;
    };
    const int vu = field("U10M", "10-meter_eastward_wind", "m s-1");
    const int vv = field("V10M", "10-meter_northward_wind", "m s-1");
    const int vp = field("PS", "surface_pressure", "Pa");
    f.enddef();
    const int zero = 0;
    nc_check(nc_put_var_double(g, vlon, lon.data()), path, "lon");
    nc_check(nc_put_var_double(g, vlat, lat.data()), path, "lat");
    nc_check(nc_put_var_int(g, vt, &zero), path, "time");
    nc_check(nc_put_var_float(g, vu, u.data()), path, "U10M");
    nc_check(nc_put_var_float(g, vv, v.data()), path, "V10M");
    nc_check(nc_put_var_float(g, vp, ps.data()), path, "PS");
    f.close();
  }
  out.commit();
}

std::string water_tile_name(double lat, double lon) {
  const int la = static_cast<int>(std::floor(lat / 5.0)) * 5,
            lo = static_cast<int>(std::floor(lon / 5.0)) * 5;
  char b[32];
  std::snprintf(b, sizeof b, "%c%02d%c%03d.tif", la >= 0 ? 'n' : 's', std::abs(la),
                lo >= 0 ? 'e' : 'w', std::abs(lo));
  return b;
}

void write_water_tiles(const std::string& dir, const std::vector<LonLatBox>& boxes,
                       const std::vector<const Site*>& sites, double posting) {
  std::set<std::pair<int, int>> tiles;  // (lat0, lon0) of SW corners
  for (const auto& b : boxes)
    for (int la = static_cast<int>(std::floor(b.south / 5)) * 5;
         la <= static_cast<int>(std::floor(b.north / 5)) * 5; la += 5)
      for (int lo = static_cast<int>(std::floor(b.west / 5)) * 5;
           lo <= static_cast<int>(std::floor(b.east / 5)) * 5; lo += 5)
        tiles.insert({la, lo});
  const int n = static_cast<int>(std::lround(5.0 / posting));
  for (const auto& [la, lo] : tiles) {
    GeoTransform gt;
    gt.gt = {static_cast<double>(lo), posting, 0, la + 5.0, 0, -posting};
    // Only the blocks that can hold water of some site are computed.
    int bx0 = n, by0 = n, bx1 = 0, by1 = 0;
    std::vector<const Site*> here;
    for (const Site* s : sites) {
      double e0, n0, e1, n1;
      s->water_bounds(e0, n0, e1, n1);
      if (e0 > e1) continue;
      const geo::LonLat sw = s->frame().to_lonlat(e0, n0), ne = s->frame().to_lonlat(e1, n1);
      const int x0 = static_cast<int>(std::floor((sw.lon - lo) / posting)),
                x1 = static_cast<int>(std::ceil((ne.lon - lo) / posting));
      const int y0 = static_cast<int>(std::floor((la + 5.0 - ne.lat) / posting)),
                y1 = static_cast<int>(std::ceil((la + 5.0 - sw.lat) / posting));
      if (x1 < 0 || y1 < 0 || x0 >= n || y0 >= n) continue;
      here.push_back(s);
      bx0 = std::min(bx0, std::max(0, x0) / io::kGeoTiffBlock);
      by0 = std::min(by0, std::max(0, y0) / io::kGeoTiffBlock);
      bx1 = std::max(bx1, std::min(n - 1, x1) / io::kGeoTiffBlock + 1);
      by1 = std::max(by1, std::min(n - 1, y1) / io::kGeoTiffBlock + 1);
    }
    io::write_sparse_byte_geotiff(
        (fs::path(dir) / water_tile_name(la + 0.5, lo + 0.5)).string(), n, n, gt, bx0, by0, bx1,
        by1, [&](int x0, int y0, int w, int h, std::uint8_t* out) {
          bool any = false;
          for (const Site* s : here) {
            const geo::EastNorth a =
                s->frame().to_east_north(lo + x0 * posting, la + 5.0 - (y0 + h) * posting);
            const geo::EastNorth b =
                s->frame().to_east_north(lo + (x0 + w) * posting, la + 5.0 - y0 * posting);
            if (!s->may_have_water(a.east, a.north, b.east, b.north)) continue;
            for (int y = 0; y < h; ++y) {
              const double lat = la + 5.0 - (y0 + y + 0.5) * posting;
              for (int x = 0; x < w; ++x) {
                const double lon = lo + (x0 + x + 0.5) * posting;
                const geo::EastNorth en = s->frame().to_east_north(lon, lat);
                if (s->is_water(en.east, en.north)) {
                  out[static_cast<std::size_t>(y) * w + x] = 1;
                  any = true;
                }
              }
            }
          }
          return any;
        });
  }
}

void write_markers(const std::string& path, const std::vector<SourceTruth>& sources) {
  io::AtomicOutput out(path);
  {
    std::ofstream f(out.temp_path());
    f << "{\"type\": \"FeatureCollection\", \"features\": [";
    char buf[160];
    for (std::size_t i = 0; i < sources.size(); ++i) {
      std::snprintf(buf, sizeof buf,
                    "%s{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": "
                    "\"Point\", \"coordinates\": [%.7f, %.7f]}}",
                    i ? ", " : "", sources[i].lon, sources[i].lat);
      f << buf;
    }
    f << "]}\n";
    if (!f) throw InputError("cannot write markers", ErrorContext{path, {}, {}});
  }
  out.commit();
}

void write_truth(const std::string& path, const SceneSynthesizer& scene,
                 const std::string& rad_name) {
  const SyntheticTruth& t = scene.truth();
  io::AtomicOutput out(path);
  {
    io::NcFile f(out.temp_path().string(), io::NcFile::Mode::create_netcdf4);
    const int g = f.id();
    f.put_att(g, NC_GLOBAL, "title", "HyperPlume synthetic scene ground truth");
    f.put_att(g, NC_GLOBAL, "Conventions", "CF-1.8");
    f.put_att(g, NC_GLOBAL, "source_granule", rad_name);
    f.put_att(g, NC_GLOBAL, "atmosphere_aot550", scene.plan().atmosphere.aot550);
    f.put_att(g, NC_GLOBAL, "atmosphere_h2o_cm", scene.plan().atmosphere.h2o_cm);
    f.put_att(g, NC_GLOBAL, "lut_reference_airmass", 2.0);
    f.put_att(g, NC_GLOBAL, "description",
              "delta_xch4 is the column-mean dry-air CH4 enhancement over each pixel footprint, "
              "from the column "
              "mass of the dispersion model and the pixel's surface pressure (g = 9.8 m s-2).");
    const int dr = f.def_dim(g, "downtrack", static_cast<std::size_t>(t.delta_xch4.rows()));
    const int dc = f.def_dim(g, "crosstrack", static_cast<std::size_t>(t.delta_xch4.cols()));
    const int ds = f.def_dim(g, "source", t.sources.size());
    const int vx = f.def_var(g, "delta_xch4", NC_FLOAT, {dr, dc});
    f.put_att(g, vx, "long_name", "true column-mean CH4 enhancement");
    f.put_att(g, vx, "units", "ppb");
    const int vm = f.def_var(g, "column_mass", NC_DOUBLE, {dr, dc});
    f.put_att(g, vm, "long_name", "true CH4 column mass enhancement");
    f.put_att(g, vm, "units", "kg m-2");
    const int vc = f.def_var(g, "surface_class", NC_UBYTE, {dr, dc});
    f.put_att(g, vc, "long_name", "dominant surface class of the pixel");
    f.put_att(g, vc, "flag_values", "0 1 2 3");
    f.put_att(g, vc, "flag_meanings", "water soil vegetation urban");
    struct Col {
      const char* name;
      const char* units;
      const char* long_name;
      double SourceTruth::*member;
    };
    const Col cols[] = {
        {"source_latitude", "degrees_north", "source latitude", &SourceTruth::lat},
        {"source_longitude", "degrees_east", "source longitude", &SourceTruth::lon},
        {"emission_rate", "kg h-1", "true emission rate Q", &SourceTruth::emission_rate},
        {"wind_speed", "m s-1", "10 m wind speed at the source", &SourceTruth::wind_speed},
        {"wind_direction", "degree", "10 m wind direction (from, clockwise from north)",
         &SourceTruth::wind_direction},
        {"surface_pressure", "Pa", "surface pressure at the source",
         &SourceTruth::surface_pressure},
        {"mass_in_scene", "kg", "plume mass inside the scene", &SourceTruth::mass_in_scene},
    };
    std::vector<int> vids;
    for (const Col& c : cols) {
      const int v = f.def_var(g, c.name, NC_DOUBLE, {ds});
      f.put_att(g, v, "long_name", std::string(c.long_name));
      f.put_att(g, v, "units", std::string(c.units));
      vids.push_back(v);
    }
    f.enddef();
    nc_check(nc_put_var_float(g, vx, t.delta_xch4.data()), path, "delta_xch4");
    nc_check(nc_put_var_double(g, vm, t.column_mass.data()), path, "column_mass");
    nc_check(nc_put_var_uchar(g, vc, t.surface_class.data()), path, "surface_class");
    for (std::size_t k = 0; k < std::size(cols); ++k) {
      std::vector<double> v;
      for (const auto& s : t.sources) v.push_back(s.*(cols[k].member));
      if (!v.empty()) nc_check(nc_put_var_double(g, vids[k], v.data()), path, cols[k].name);
    }
    f.close();
  }
  out.commit();
}

}  // namespace hyperplume::synth
