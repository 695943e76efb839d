#include <netcdf.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/version.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/crs.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <limits>
#include <memory>
#include <sstream>

namespace hyperplume::pipeline {
using io::nc_check;

namespace {
constexpr const char* kProductTag = "HyperPlume L2B";

std::string attr_name(std::string s) {
  for (char& c : s)
    if (c == '.') c = '_';
  return s;
}
}  // namespace

std::vector<std::size_t> grid_chunks(std::size_t rows, std::size_t cols) {
  return {std::min<std::size_t>(256, rows), std::min<std::size_t>(256, cols)};
}

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

namespace {
// The leader's stage timers, exactly, on every rank of a group (hex floats round-trip).
StageTimes leader_times(const StageTimes& mine, const par::Comm* group) {
  if (!group || group->size() == 1) return mine;
  std::string text;
  for (const auto& [stage, seconds] : mine.entries()) {
    char b[40];
    std::snprintf(b, sizeof b, "%a", seconds);
    text += stage + "\t" + b + "\n";
  }
  group->broadcast(text, 0);
  StageTimes out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    out.add(line.substr(0, tab), std::strtod(line.c_str() + tab + 1, nullptr));
  }
  return out;
}

// Fixed-width, NUL-padded text rows for a char-array variable.
std::vector<char> char_rows(const std::vector<std::string>& names, std::size_t width) {
  std::vector<char> out(names.size() * width, '\0');
  for (std::size_t i = 0; i < names.size(); ++i)
    std::copy(names[i].begin(), names[i].end(), out.begin() + static_cast<long>(i * width));
  return out;
}

std::size_t max_length(const std::vector<std::string>& names) {
  std::size_t n = 1;
  for (const auto& s : names) n = std::max(n, s.size());
  return n;
}
}  // namespace

namespace {
// What the product takes on disk at most (every variable uncompressed): fields, the masks,
// coordinates, RGB, wind and pressure per source, and the per-column QA.
std::uintmax_t l2_size_bound(const L2Product& p) {
  const auto pixels = static_cast<std::uintmax_t>(p.rows()) * static_cast<std::uintmax_t>(p.cols());
  std::uintmax_t per_pixel = 4 * p.fields.size() + 4 /*quality*/ + 4 /*segmentation*/ +
                             16 /*lon, lat*/ + 12 /*rgb*/ + 12 * p.weather.size();
  std::uintmax_t qa = 0;
  for (const auto& w : p.qa) qa += 64 * w.columns.size();
  return pixels * per_pixel + qa;
}
}  // namespace

void write_l2(const std::string& path, const L2Product& p, const Config& config,
              const L2WriteInfo& info) {
  const Scene& s = p.scene;
  const par::Comm* group = info.group && info.group->size() > 1 ? info.group : nullptr;
  const bool leader = !group || group->rank() == 0;
  const StageTimes times = leader_times(p.times, group);
  // The leader owns the temporary and its rename; the group writes it under the leader's name.
  std::unique_ptr<io::AtomicOutput> out;
  std::string temp, problem;
  if (leader) try {
      out = std::make_unique<io::AtomicOutput>(path, l2_size_bound(p));
      temp = out->temp_path().string();
    } catch (const Error& e) {
      problem = e.message();
    } catch (const std::exception& e) {
      problem = e.what();
    }
  if (group) group->broadcast(temp, 0);
  if (temp.empty())
    throw InputError("cannot prepare the output" + (problem.empty() ? "" : ": " + problem),
                     ErrorContext{path, {}, {}});
  const auto rows = static_cast<std::size_t>(p.rows()), cols = static_cast<std::size_t>(p.cols());
  // Every rank writes its own block of rows of every field (the whole product is on every
  // rank of a group); small variables are the leader's, the others write nothing.
  const auto [r0, r1] = group ? par::block_range(p.rows(), group->rank(), group->size())
                              : std::pair<int, int>{0, p.rows()};
  const auto row0 = static_cast<std::size_t>(r0), nrows = static_cast<std::size_t>(r1 - r0);
  const std::size_t mine = leader ? 1 : 0;

  auto f = io::create_dataset(temp, info.format, group);
  constexpr int g = io::DatasetWriter::kGlobal;
  f->put_att(g, "Conventions", "CF-1.8");
  f->put_att(g, "title",
             p.grid ? "Trace-gas enhancement (L2, orthorectified to UTM)"
                    : "Trace-gas enhancement (L2, sensor geometry)");
  f->put_att(g, "product", kProductTag);
  f->put_att(g, "geometry", p.grid ? "utm" : "sensor");
  f->put_att(g, "version", std::string("hyperplume_") + version());
  f->put_att(g, "software", std::string("hyperplume ") + version() + " (git " + git_commit() + ")");
  f->put_att(g, "filename", io::canonical_path(s.radiance_file));
  f->put_att(g, "input_files",
             io::canonical_path(s.radiance_file) + ", " + io::canonical_path(s.observation_file));
  f->put_att(g, "platform", s.sensor.platform);
  f->put_att(g, "sensor", s.sensor.instrument);
  f->put_att(g, "time_coverage_start", s.start_time.iso8601());
  f->put_att(g, "time_coverage_end", s.end_time.iso8601());
  f->put_att(g, "profile", info.profile);
  f->put_att(g, "l2_options", info.options_text);
  f->put_att(g, "configuration", config_to_ini(config));
  f->put_att(g, "configuration_hash", config_hash(config));
  f->put_att(g, "stage_times", times.to_text());
  for (const auto& [stage, seconds] : times.entries())
    f->put_att(g, "stage_seconds_" + attr_name(stage), seconds);
  // Which pass of the retrieval this is, and the L3 plumes kept out of its statistics.
  f->put_att(g, "processing_pass", static_cast<double>(p.pass.number));
  if (p.pass.number > 1) {
    std::string files;
    for (const auto& [name, checksum] : p.pass.plume_files)
      files += (files.empty() ? "" : " ") + name + ":" + checksum;
    f->put_att(g, "plume_exclusion_files", files);
    f->put_att(g, "plume_exclusion_pixels", static_cast<double>(p.pass.excluded_pixels));
  }

  const int dy = f->def_dim("y", rows);
  const int dx = f->def_dim("x", cols);
  const int dq = f->def_dim("quality_flag", 4);
  const std::vector<std::size_t> chunks = grid_chunks(rows, cols);
  // Noisy float fields hardly compress (measured: deflate cost 1 s per EMIT scene for
  // ~10 %); integer masks and coordinates compress well.
  auto def2d = [&](const std::string& name, io::ElementType type, bool deflate = true) {
    io::VarSpec v{name, type, {dy, dx}, chunks, deflate, {}};
    if (type == io::ElementType::f32) v.fill = std::numeric_limits<double>::quiet_NaN();
    return f->def_var(v);
  };
  // On the UTM grid: 1-D x/y, the CF grid mapping every data variable points to, and 2-D
  // longitude/latitude as auxiliary coordinates (as Satpy's CF writer lays it out).
  int vx = -1, vy = -1, vcrs = -1;
  std::string grid_mapping;
  if (p.grid) {
    const L2Grid& grid = *p.grid;
    const geo::UtmGrid& u = grid.utm;
    grid_mapping = grid.area_id;
    vx = f->def_var({"x", io::ElementType::f64, {dx}, {}, false, {}});
    vy = f->def_var({"y", io::ElementType::f64, {dy}, {}, false, {}});
    f->put_att(vx, "standard_name", "projection_x_coordinate");
    f->put_att(vx, "long_name", "x coordinate of projection");
    f->put_att(vx, "units", "m");
    f->put_att(vy, "standard_name", "projection_y_coordinate");
    f->put_att(vy, "long_name", "y coordinate of projection");
    f->put_att(vy, "units", "m");
    vcrs = f->def_var({grid_mapping, io::ElementType::i32, {}, {}, false, {}});
    const geo::TransverseMercator tm = u.projection();
    const std::string wkt = io::wkt_of_epsg(u.zone.epsg());
    f->put_att(vcrs, "grid_mapping_name", "transverse_mercator");
    f->put_att(vcrs, "longitude_of_central_meridian", tm.central_meridian());
    f->put_att(vcrs, "latitude_of_projection_origin", 0.0);
    f->put_att(vcrs, "scale_factor_at_central_meridian", tm.scale());
    f->put_att(vcrs, "false_easting", tm.false_easting());
    f->put_att(vcrs, "false_northing", tm.false_northing());
    f->put_att(vcrs, "semi_major_axis", geo::Wgs84::a);
    f->put_att(vcrs, "inverse_flattening", geo::Wgs84::inverse_flattening);
    f->put_att(vcrs, "longitude_of_prime_meridian", 0.0);
    f->put_att(vcrs, "reference_ellipsoid_name", "WGS 84");
    f->put_att(vcrs, "horizontal_datum_name", "World Geodetic System 1984");
    f->put_att(vcrs, "projected_crs_name", io::name_of_epsg(u.zone.epsg()));
    f->put_att(vcrs, "crs_wkt", wkt);
    f->put_att(vcrs, "spatial_ref", wkt);  // GDAL's netCDF driver reads this one
    const auto gt = u.transform().gt;
    char transform[160];
    std::snprintf(transform, sizeof transform, "%.17g %.17g %.17g %.17g %.17g %.17g", gt[0], gt[1],
                  gt[2], gt[3], gt[4], gt[5]);
    f->put_att(vcrs, "GeoTransform", transform);
    f->put_att(vcrs, "epsg_code", "EPSG:" + std::to_string(u.zone.epsg()));
    f->put_att(vcrs, "orthorectification_method", grid.method);
    f->put_att(vcrs, "resolution_m", u.resolution);
  }
  // Every data variable on the y/x axes: its coordinates and grid mapping.
  auto georeference = [&](int var, const std::string& extra_coordinates = "") {
    f->put_att(var, "coordinates", extra_coordinates + "latitude longitude");
    if (!grid_mapping.empty()) f->put_att(var, "grid_mapping", grid_mapping);
  };
  const int vlat = def2d("latitude", io::ElementType::f64),
            vlon = def2d("longitude", io::ElementType::f64);
  f->put_att(vlat, "standard_name", "latitude");
  f->put_att(vlat, "units", "degrees_north");
  f->put_att(vlon, "standard_name", "longitude");
  f->put_att(vlon, "units", "degrees_east");
  std::vector<int> vfields;
  for (const auto& fld : p.fields) {
    const int v = def2d(fld.name, io::ElementType::f32, /*deflate=*/false);
    for (const auto& [k, val] : fld.attributes)
      std::visit([&, &k = k](const auto& x) { f->put_att(v, k, x); }, val);
    georeference(v);
    vfields.push_back(v);
  }
  const int vseg = f->def_var({"segmentation", io::ElementType::i32, {dy, dx}, chunks, true, -1.0});
  f->put_att(vseg, "units", "1");
  f->put_att(vseg, "description", p.segmentation_description);
  georeference(vseg);
  // Text variables are char arrays (parallel HDF5 cannot write variable-length strings,
  // CDF-5 has none); _Encoding makes xarray and netCDF4-python decode them to strings.
  const std::vector<std::string> flag_names = {"water", "cloud", "cirrus", "invalid"};
  const std::size_t flag_width = max_length(flag_names);
  const int dqs = f->def_dim("quality_flag_strlen", flag_width);
  const int vflag = f->def_var({"quality_flag", io::ElementType::text, {dq, dqs}, {}, false, {}});
  f->put_att(vflag, "_Encoding", "utf-8");
  const int vq = f->def_var({"quality_mask",
                             io::ElementType::u8,
                             {dq, dy, dx},
                             {1, chunks[0], chunks[1]},
                             true,
                             255.0});  // 255 = outside the swath
  f->put_att(vq, "long_name", "pixel quality flags (1 = set)");
  f->put_att(vq, "description",
             "water: rho(1000) < 0.05; cloud: rho(450) > 0.28 and rho(1250) > 0.46 and rho(1650) "
             "> 0.22; cirrus: rho(1380) > 0.1; invalid: any");
  georeference(vq, "quality_flag ");

  // True colour on a `bands` axis (nm), as HyperGas writes it.
  const int drgb = f->def_dim("bands", 3);
  const int vbands = f->def_var({"bands", io::ElementType::f64, {drgb}, {}, false, {}});
  f->put_att(vbands, "units", "nm");
  const int vrgb = f->def_var({"rgb",
                               io::ElementType::f32,
                               {drgb, dy, dx},
                               {1, chunks[0], chunks[1]},
                               false,
                               std::numeric_limits<double>::quiet_NaN()});
  f->put_att(vrgb, "standard_name", "true_color");
  f->put_att(vrgb, "long_name", "true color (RGB)");
  f->put_att(vrgb, "units", "1");
  f->put_att(vrgb, "description", p.rgb_method);
  georeference(vrgb, "bands ");

  // Wind and surface pressure on a `source` axis.
  const std::size_t src_width = max_length(p.weather_sources);
  const int ds = f->def_dim("source", p.weather_sources.size());
  const int dss = f->def_dim("source_strlen", src_width);
  const int vsrc = f->def_var({"source", io::ElementType::text, {ds, dss}, {}, false, {}});
  f->put_att(vsrc, "long_name", "wind and pressure source");
  f->put_att(vsrc, "_Encoding", "utf-8");
  if (!p.weather_problems.empty()) {
    std::string problems;
    for (const auto& w : p.weather_problems) problems += (problems.empty() ? "" : "; ") + w;
    f->put_att(g, "wind_sources_unavailable", problems);
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
    const int v = f->def_var({wv.name,
                              io::ElementType::f32,
                              {ds, dy, dx},
                              {1, chunks[0], chunks[1]},
                              true,
                              std::numeric_limits<double>::quiet_NaN()});
    f->put_att(v, "long_name", std::string(wv.long_name));
    f->put_att(v, "units", std::string(wv.units));
    georeference(v, "source ");
    vweather.push_back(v);
  }
  f->put_att(g, "surface_pressure_for_ppb", p.surface_pressure);

  // The unit absorption spectrum (target) of every window, on its own band axis.
  struct SpectrumVars {
    int wavelength, k;
  };
  std::vector<SpectrumVars> spectrum_vars;
  for (const auto& us : p.unit_spectra) {
    const int d = f->def_dim(us.window + "_band", us.k.size());
    SpectrumVars v{f->def_var({us.window + "_wavelength", io::ElementType::f64, {d}, {}, false, {}}),
                   f->def_var({us.window + "_unit_absorption", io::ElementType::f64, {d}, {}, false, {}})};
    f->put_att(v.wavelength, "long_name", "band centre wavelength of the " + us.window + " window");
    f->put_att(v.wavelength, "units", "nm");
    f->put_att(v.k, "long_name", "unit absorption spectrum (matched-filter target) of the " +
                                     us.window + " window: d ln(radiance) per unit enhancement");
    f->put_att(v.k, "units", us.units);
    f->put_att(v.k, "coordinates", us.window + "_wavelength");
    spectrum_vars.push_back(v);
  }

  // Per-column QA of every window.
  struct QaVars {
    int column, label, valid, background, rcond, loading, status;
  };
  std::vector<QaVars> qavars;
  for (const auto& w : p.qa) {
    const int d = f->def_dim(w.name + "_qa", w.columns.size());
    auto def1d = [&](const std::string& suffix, io::ElementType type) {
      return f->def_var({w.name + "_qa_" + suffix, type, {d}, {}, false, {}});
    };
    QaVars q{};
    q.column = def1d("column", io::ElementType::i32);
    q.label = def1d("label", io::ElementType::i32);
    q.valid = def1d("valid_pixels", io::ElementType::i32);
    q.background = def1d("background_pixels", io::ElementType::i32);
    q.rcond = def1d("rcond", io::ElementType::f64);
    q.loading = def1d("loading", io::ElementType::f64);
    q.status = def1d("status", io::ElementType::u8);
    f->put_att(q.status, "flag_values", std::vector<double>{0, 1, 2, 3, 4, 5});
    f->put_att(q.status, "flag_meanings",
               "ok loaded pseudo_inverse too_few_pixels degenerate no_pixels");
    f->put_att(q.rcond, "long_name", "reciprocal condition estimate of the background covariance");
    f->put_att(q.loading, "long_name", "diagonal loading added, relative to trace/bands");
    qavars.push_back(q);
  }
  f->enddef();

  // A 2-D field: this rank's rows. A plane k of a 3-D variable: the same rows.
  auto put2d = [&](int var, const auto* data) {
    f->write(var, {row0, 0}, {nrows, cols}, data + row0 * cols);
  };
  auto put_plane = [&](int var, std::size_t k, const auto* data) {
    f->write(var, {k, row0, 0}, {1, nrows, cols}, data + row0 * cols);
  };
  // A whole small variable from the leader.
  auto put_small = [&](int var, const std::vector<std::size_t>& shape, const auto* data) {
    std::vector<std::size_t> count = shape;
    for (auto& c : count) c *= mine;
    f->write(var, std::vector<std::size_t>(shape.size(), 0), count, data);
  };
  put2d(vlat, p.grid ? p.grid->latitude.data() : s.latitude.data());
  put2d(vlon, p.grid ? p.grid->longitude.data() : s.longitude.data());
  if (p.grid) {
    std::vector<double> xs(cols), ys(rows);
    for (std::size_t c = 0; c < cols; ++c) xs[c] = p.grid->utm.x(static_cast<int>(c));
    for (std::size_t r = 0; r < rows; ++r) ys[r] = p.grid->utm.y(static_cast<int>(r));
    put_small(vx, {cols}, xs.data());
    put_small(vy, {rows}, ys.data());
    // A scalar has no count to zero: every rank writes the same 0 (a CF grid mapping's value
    // carries nothing, but CDF-5 has no fill to stand in for it).
    const std::int32_t zero = 0;
    f->write(vcrs, {}, {}, &zero);
  }
  for (std::size_t i = 0; i < p.fields.size(); ++i) put2d(vfields[i], p.fields[i].values.data());
  put2d(vseg, p.segmentation.data());
  const double rgb_nm[3] = {650, 560, 470};
  put_small(vbands, {3}, rgb_nm);
  const Raster<float> no_rgb =
      p.rgb[0].size() ? Raster<float>{} : Raster<float>::Constant(p.rows(), p.cols(), NAN);
  for (std::size_t k = 0; k < 3; ++k)
    put_plane(vrgb, k, p.rgb[k].size() ? p.rgb[k].data() : no_rgb.data());
  put_small(vsrc, {p.weather_sources.size(), src_width},
            char_rows(p.weather_sources, src_width).data());
  for (std::size_t k = 0; k < p.weather.size(); ++k)
    for (std::size_t v = 0; v < 3; ++v)
      put_plane(vweather[v], k, (p.weather[k].*(weather_vars[v].member)).data());
  put_small(vflag, {4, flag_width}, char_rows(flag_names, flag_width).data());
  for (std::size_t k = 0; k < 4; ++k) put_plane(vq, k, p.quality[k].data());
  for (std::size_t i = 0; i < p.unit_spectra.size(); ++i) {
    const auto& us = p.unit_spectra[i];
    put_small(spectrum_vars[i].wavelength, {us.k.size()}, us.wavelengths.data());
    put_small(spectrum_vars[i].k, {us.k.size()}, us.k.data());
  }
  for (std::size_t i = 0; i < p.qa.size(); ++i) {
    const auto& cols_qa = p.qa[i].columns;
    std::vector<std::int32_t> c, l, v, b;
    std::vector<double> rc, ld;
    std::vector<std::uint8_t> st;
    for (const auto& q : cols_qa) {
      c.push_back(q.column);
      l.push_back(q.label);
      v.push_back(q.valid_pixels);
      b.push_back(q.background_pixels);
      rc.push_back(q.rcond);
      ld.push_back(q.loading);
      st.push_back(static_cast<std::uint8_t>(q.status));
    }
    const QaVars& q = qavars[i];
    const std::vector<std::size_t> n = {cols_qa.size()};
    put_small(q.column, n, c.data());
    put_small(q.label, n, l.data());
    put_small(q.valid, n, v.data());
    put_small(q.background, n, b.data());
    put_small(q.rcond, n, rc.data());
    put_small(q.loading, n, ld.data());
    put_small(q.status, n, st.data());
  }
  f->close();
  if (leader) out->commit();
  if (group) group->barrier();  // the file exists under its final name for every rank
}

}  // namespace hyperplume::pipeline
