#include <netcdf.h>

#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/version.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <limits>

namespace hyperplume::pipeline {
using io::nc_check;

namespace {
constexpr const char* kProductTag = "HyperPlume L2B sensor geometry";

std::string attr_name(std::string s) {
  for (char& c : s)
    if (c == '.') c = '_';
  return s;
}
}  // namespace

bool is_complete_l2(const std::string& path) {
  if (!std::filesystem::exists(path)) return false;
  int id = -1;
  if (nc_open(path.c_str(), NC_NOWRITE, &id) != NC_NOERR) return false;
  std::size_t len = 0;
  bool ok = nc_inq_attlen(id, NC_GLOBAL, "product", &len) == NC_NOERR;
  if (ok) {
    std::string v(len, '\0');
    ok = nc_get_att_text(id, NC_GLOBAL, "product", v.data()) == NC_NOERR && v == kProductTag;
  }
  nc_close(id);
  return ok;
}

void write_l2(const std::string& path, const L2Product& p, const Config& config,
              const L2WriteInfo& info) {
  const Scene& s = p.scene;
  io::AtomicOutput out(path);
  {
    io::NcFile f(out.temp_path().string(), io::NcFile::Mode::create_netcdf4);
    const int g = f.id();
    f.put_att(g, NC_GLOBAL, "Conventions", "CF-1.8");
    f.put_att(g, NC_GLOBAL, "title", "Trace-gas enhancement (L2, sensor geometry)");
    f.put_att(g, NC_GLOBAL, "product", kProductTag);
    f.put_att(g, NC_GLOBAL, "version", std::string("hyperplume_") + version());
    f.put_att(g, NC_GLOBAL, "software",
              std::string("hyperplume ") + version() + " (git " + git_commit() + ")");
    f.put_att(g, NC_GLOBAL, "filename", s.radiance_file);
    f.put_att(g, NC_GLOBAL, "input_files", s.radiance_file + ", " + s.observation_file);
    f.put_att(g, NC_GLOBAL, "platform", s.sensor.platform);
    f.put_att(g, NC_GLOBAL, "sensor", s.sensor.instrument);
    f.put_att(g, NC_GLOBAL, "time_coverage_start", s.start_time.iso8601());
    f.put_att(g, NC_GLOBAL, "time_coverage_end", s.end_time.iso8601());
    f.put_att(g, NC_GLOBAL, "profile", info.profile);
    f.put_att(g, NC_GLOBAL, "l2_options", info.options_text);
    f.put_att(g, NC_GLOBAL, "configuration", config_to_ini(config));
    f.put_att(g, NC_GLOBAL, "configuration_hash", config_hash(config));
    f.put_att(g, NC_GLOBAL, "stage_times", p.times.to_text());
    for (const auto& [stage, seconds] : p.times.entries())
      f.put_att(g, NC_GLOBAL, "stage_seconds_" + attr_name(stage), seconds);

    const int dy = f.def_dim(g, "y", static_cast<std::size_t>(s.rows()));
    const int dx = f.def_dim(g, "x", static_cast<std::size_t>(s.cols()));
    const int dq = f.def_dim(g, "quality_flag", 4);
    // Noisy float fields hardly compress (measured: deflate cost 1 s per EMIT scene for
    // ~10 %); integer masks and coordinates compress well.
    auto def2d = [&](const std::string& name, nc_type type, bool deflate = true) {
      const int v = f.def_var(g, name, type, {dy, dx});
      const std::size_t chunks[2] = {
          std::min<std::size_t>(256, static_cast<std::size_t>(s.rows())),
          std::min<std::size_t>(256, static_cast<std::size_t>(s.cols()))};
      nc_check(nc_def_var_chunking(g, v, NC_CHUNKED, chunks), path, "chunking " + name);
      if (deflate) nc_check(nc_def_var_deflate(g, v, 1, 1, 1), path, "deflate " + name);
      return v;
    };
    const int vlat = def2d("latitude", NC_DOUBLE), vlon = def2d("longitude", NC_DOUBLE);
    f.put_att(g, vlat, "standard_name", "latitude");
    f.put_att(g, vlat, "units", "degrees_north");
    f.put_att(g, vlon, "standard_name", "longitude");
    f.put_att(g, vlon, "units", "degrees_east");
    std::vector<int> vfields;
    for (const auto& fld : p.fields) {
      const int v = def2d(fld.name, NC_FLOAT, /*deflate=*/false);
      const float nan = std::numeric_limits<float>::quiet_NaN();
      nc_check(nc_def_var_fill(g, v, NC_FILL, &nan), path, "fill " + fld.name);
      for (const auto& [k, val] : fld.attributes)
        std::visit([&](const auto& x) { f.put_att(g, v, k, x); }, val);
      f.put_att(g, v, "coordinates", "latitude longitude");
      vfields.push_back(v);
    }
    const int vseg = def2d("segmentation", NC_INT);
    f.put_att(g, vseg, "units", "1");
    f.put_att(g, vseg, "description", p.segmentation_description);
    f.put_att(g, vseg, "coordinates", "latitude longitude");
    const int vflag = f.def_var(g, "quality_flag", NC_STRING, {dq});
    const int vq = f.def_var(g, "quality_mask", NC_UBYTE, {dq, dy, dx});
    nc_check(nc_def_var_deflate(g, vq, 1, 1, 1), path, "deflate quality_mask");
    f.put_att(g, vq, "long_name", "pixel quality flags (1 = set)");
    f.put_att(g, vq, "description",
              "water: rho(1000) < 0.05; cloud: rho(450) > 0.28 and rho(1250) > 0.46 and rho(1650) "
              "> 0.22; cirrus: rho(1380) > 0.1; invalid: any");
    f.put_att(g, vq, "coordinates", "quality_flag latitude longitude");

    // True colour on a `bands` axis (nm), as HyperGas writes it.
    const int drgb = f.def_dim(g, "bands", 3);
    const int vbands = f.def_var(g, "bands", NC_DOUBLE, {drgb});
    f.put_att(g, vbands, "units", "nm");
    const int vrgb = f.def_var(g, "rgb", NC_FLOAT, {drgb, dy, dx});
    f.put_att(g, vrgb, "standard_name", "true_color");
    f.put_att(g, vrgb, "long_name", "true color (RGB)");
    f.put_att(g, vrgb, "units", "1");
    f.put_att(g, vrgb, "description", p.rgb_method);
    f.put_att(g, vrgb, "coordinates", "bands latitude longitude");

    // Wind and surface pressure on a `source` axis.
    const int ds = f.def_dim(g, "source", p.weather_sources.size());
    const int vsrc = f.def_var(g, "source", NC_STRING, {ds});
    f.put_att(g, vsrc, "long_name", "wind and pressure source");
    if (!p.weather_problems.empty()) {
      std::string problems;
      for (const auto& w : p.weather_problems) problems += (problems.empty() ? "" : "; ") + w;
      f.put_att(g, NC_GLOBAL, "wind_sources_unavailable", problems);
    }
    struct WeatherVar {
      const char* name;
      const char* long_name;
      const char* units;
      Raster<float> io::SwathWeather::*member;
    };
    const WeatherVar weather_vars[] = {
        {"u10", "10 m eastward wind", "m s-1", &io::SwathWeather::u10},
        {"v10", "10 m northward wind", "m s-1", &io::SwathWeather::v10},
        {"sp", "surface pressure", "Pa", &io::SwathWeather::sp}};
    std::vector<int> vweather;
    for (const auto& wv : weather_vars) {
      const int v = f.def_var(g, wv.name, NC_FLOAT, {ds, dy, dx});
      const float nan = std::numeric_limits<float>::quiet_NaN();
      nc_check(nc_def_var_fill(g, v, NC_FILL, &nan), path, "fill");
      nc_check(nc_def_var_deflate(g, v, 1, 1, 1), path, "deflate");
      f.put_att(g, v, "long_name", std::string(wv.long_name));
      f.put_att(g, v, "units", std::string(wv.units));
      f.put_att(g, v, "coordinates", "source latitude longitude");
      vweather.push_back(v);
    }
    f.put_att(g, NC_GLOBAL, "surface_pressure_for_ppb", p.surface_pressure);

    // Per-column QA of every window.
    struct QaVars {
      int column, label, valid, background, rcond, loading, status;
    };
    std::vector<QaVars> qavars;
    for (const auto& w : p.qa) {
      const int d = f.def_dim(g, w.name + "_qa", w.columns.size());
      QaVars q{};
      q.column = f.def_var(g, w.name + "_qa_column", NC_INT, {d});
      q.label = f.def_var(g, w.name + "_qa_label", NC_INT, {d});
      q.valid = f.def_var(g, w.name + "_qa_valid_pixels", NC_INT, {d});
      q.background = f.def_var(g, w.name + "_qa_background_pixels", NC_INT, {d});
      q.rcond = f.def_var(g, w.name + "_qa_rcond", NC_DOUBLE, {d});
      q.loading = f.def_var(g, w.name + "_qa_loading", NC_DOUBLE, {d});
      q.status = f.def_var(g, w.name + "_qa_status", NC_UBYTE, {d});
      f.put_att(g, q.status, "flag_values", std::vector<double>{0, 1, 2, 3, 4, 5});
      f.put_att(g, q.status, "flag_meanings",
                "ok loaded pseudo_inverse too_few_pixels degenerate no_pixels");
      f.put_att(g, q.rcond, "long_name",
                "reciprocal condition estimate of the background covariance");
      f.put_att(g, q.loading, "long_name", "diagonal loading added, relative to trace/bands");
      qavars.push_back(q);
    }
    f.enddef();

    nc_check(nc_put_var_double(g, vlat, s.latitude.data()), path, "latitude");
    nc_check(nc_put_var_double(g, vlon, s.longitude.data()), path, "longitude");
    for (std::size_t i = 0; i < p.fields.size(); ++i)
      nc_check(nc_put_var_float(g, vfields[i], p.fields[i].values.data()), path, p.fields[i].name);
    nc_check(nc_put_var_int(g, vseg, p.segmentation.data()), path, "segmentation");
    const double rgb_nm[3] = {650, 560, 470};
    nc_check(nc_put_var_double(g, vbands, rgb_nm), path, "bands");
    for (std::size_t k = 0; k < 3; ++k) {
      const std::size_t start[3] = {k, 0, 0}, count[3] = {1, static_cast<std::size_t>(s.rows()),
                                                          static_cast<std::size_t>(s.cols())};
      if (p.rgb[k].size())
        nc_check(nc_put_vara_float(g, vrgb, start, count, p.rgb[k].data()), path, "rgb");
    }
    std::vector<const char*> src_names;
    for (const auto& n : p.weather_sources) src_names.push_back(n.c_str());
    if (!src_names.empty()) nc_check(nc_put_var_string(g, vsrc, src_names.data()), path, "source");
    for (std::size_t k = 0; k < p.weather.size(); ++k)
      for (std::size_t v = 0; v < 3; ++v) {
        const std::size_t start[3] = {k, 0, 0}, count[3] = {1, static_cast<std::size_t>(s.rows()),
                                                            static_cast<std::size_t>(s.cols())};
        nc_check(nc_put_vara_float(g, vweather[v], start, count,
                                   (p.weather[k].*(weather_vars[v].member)).data()),
                 path, weather_vars[v].name);
      }
    const char* flags[] = {"water", "cloud", "cirrus", "invalid"};
    nc_check(nc_put_var_string(g, vflag, flags), path, "quality_flag");
    for (std::size_t k = 0; k < 4; ++k) {
      const std::size_t start[3] = {k, 0, 0}, count[3] = {1, static_cast<std::size_t>(s.rows()),
                                                          static_cast<std::size_t>(s.cols())};
      nc_check(nc_put_vara_uchar(g, vq, start, count, p.quality[k].data()), path, "quality_mask");
    }
    for (std::size_t i = 0; i < p.qa.size(); ++i) {
      const auto& cols = p.qa[i].columns;
      if (cols.empty()) continue;
      std::vector<int> c, l, v, b;
      std::vector<double> rc, ld;
      std::vector<unsigned char> st;
      for (const auto& q : cols) {
        c.push_back(q.column);
        l.push_back(q.label);
        v.push_back(q.valid_pixels);
        b.push_back(q.background_pixels);
        rc.push_back(q.rcond);
        ld.push_back(q.loading);
        st.push_back(static_cast<unsigned char>(q.status));
      }
      const QaVars& q = qavars[i];
      nc_check(nc_put_var_int(g, q.column, c.data()), path, "qa");
      nc_check(nc_put_var_int(g, q.label, l.data()), path, "qa");
      nc_check(nc_put_var_int(g, q.valid, v.data()), path, "qa");
      nc_check(nc_put_var_int(g, q.background, b.data()), path, "qa");
      nc_check(nc_put_var_double(g, q.rcond, rc.data()), path, "qa");
      nc_check(nc_put_var_double(g, q.loading, ld.data()), path, "qa");
      nc_check(nc_put_var_uchar(g, q.status, st.data()), path, "qa");
    }
    f.close();
  }
  out.commit();
}

}  // namespace hyperplume::pipeline
