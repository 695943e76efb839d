#include <netcdf.h>

#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/l3_plots.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/viz/color_scale.hpp>
#include <hyperplume/viz/plume_figure.hpp>
#include <hyperplume/viz/web_map.hpp>
#include <regex>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

namespace {
[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw InputError(what, ErrorContext{path, {}, "plot-l3"});
}

std::string global_text(const io::NcFile& f, const char* name) {
  return f.has_att(f.id(), NC_GLOBAL, name) ? f.att_text(f.id(), NC_GLOBAL, name) : std::string();
}

double global_number(const io::NcFile& f, const char* name) {
  if (!f.has_att(f.id(), NC_GLOBAL, name)) fail(f.path(), std::string("no global attribute ") + name);
  return f.att_doubles(f.id(), NC_GLOBAL, name).at(0);
}

geo::TransverseMercator projection_of(const io::NcFile& f, int field) {
  const std::string gm = f.has_att(f.id(), field, "grid_mapping") ? f.att_text(f.id(), field, "grid_mapping") : "";
  if (gm.empty() || !f.has_var(f.id(), gm)) fail(f.path(), "the plume field has no grid mapping");
  const int g = f.var(f.id(), gm);
  auto number = [&](const char* name) { return f.att_doubles(f.id(), g, name).at(0); };
  return geo::TransverseMercator(number("longitude_of_central_meridian"), number("scale_factor_at_central_meridian"),
                                 number("false_easting"), number("false_northing"));
}

struct PlumeProduct {
  viz::PlumeFigure figure;
  std::string l2_path;
};

void read_winds(const io::NcFile& f, viz::PlumeFigure& fig) {
  if (!f.has_var(f.id(), "source") || !f.has_var(f.id(), "u10") || !f.has_var(f.id(), "v10")) return;
  const std::vector<std::string> names = io::read_text_rows(f, f.id(), "source");
  const std::vector<double> u = io::read_vector(f, f.id(), "u10"), v = io::read_vector(f, f.id(), "v10");
  for (std::size_t k = 0; k < names.size() && k < u.size() && k < v.size(); ++k)
    if (std::isfinite(u[k]) && std::isfinite(v[k])) fig.winds.push_back({names[k], u[k], v[k]});
}

PlumeProduct read_plume(const std::string& l3_path) {
  if (!fs::exists(l3_path)) fail(l3_path, "no such L3 file");
  const io::NcFile f(l3_path, io::NcFile::Mode::read);
  PlumeProduct p;
  viz::PlumeFigure& fig = p.figure;
  fig.gas.clear();
  for (const char* gas : {"ch4", "co2", "no2"})
    if (f.has_var(f.id(), gas)) fig.gas = gas;
  if (fig.gas.empty()) fail(l3_path, "no plume field (ch4, co2 or no2)");
  const std::vector<double> x = io::read_vector(f, f.id(), "x"), y = io::read_vector(f, f.id(), "y");
  if (x.size() < 2 || y.size() < 2) fail(l3_path, "the plume grid has fewer than 2 pixels along an axis");
  fig.grid = {static_cast<int>(y.size()), static_cast<int>(x.size()), x[0], y[0], x[1] - x[0], y[1] - y[0]};
  const int field = f.var(f.id(), fig.gas);
  fig.field = io::read_raster<float>(f, f.id(), fig.gas, fig.grid.rows, fig.grid.cols);
  fig.units = f.has_att(f.id(), field, "units") ? f.att_text(f.id(), field, "units") : "ppb";
  fig.projection = projection_of(f, field);
  fig.source_longitude = global_number(f, "plume_longitude");
  fig.source_latitude = global_number(f, "plume_latitude");
  p.l2_path = global_text(f, "l2_filename");
  fig.datetime = global_text(f, "start_time");
  read_winds(f, fig);
  return p;
}

// The scene's true colour as the offline basemap, when the L2 is still there.
void read_basemap(const std::string& l2_path, viz::PlumeFigure& fig) {
  if (l2_path.empty() || !fs::exists(l2_path)) return;
  const io::NcFile f(l2_path, io::NcFile::Mode::read);
  if (!f.has_var(f.id(), "rgb")) return;
  for (std::size_t k = 0; k < 3; ++k)
    fig.rgb[k] = io::read_raster<float>(f, f.id(), "rgb", fig.grid.rows, fig.grid.cols, k);
}

void read_csf(const std::string& csf_path, viz::PlumeFigure& fig) {
  if (!fs::exists(csf_path)) return;
  const io::NcFile f(csf_path, io::NcFile::Mode::read);
  fig.csf_line_emission = io::read_vector(f, f.id(), "emission_rate");
  const auto xs = io::read_vector(f, f.id(), "x_start"), xe = io::read_vector(f, f.id(), "x_end");
  const auto ys = io::read_vector(f, f.id(), "y_start"), ye = io::read_vector(f, f.id(), "y_end");
  for (std::size_t k = 0; k < xs.size(); ++k) fig.csf_lines.push_back({xs[k], ys[k], xe[k], ye[k]});
  const auto xc = io::read_vector(f, f.id(), "x_center"), yc = io::read_vector(f, f.id(), "y_center");
  for (std::size_t k = 0; k < xc.size() && k < yc.size(); ++k) fig.csf_centre.push_back({xc[k], yc[k]});
}

void read_emissions(const std::string& csv_path, viz::PlumeFigure& fig) {
  fig.emission = fig.emission_sigma = fig.emission_csf = fig.emission_csf_sigma = std::nan("");
  if (!fs::exists(csv_path)) return;
  const auto row = read_l4_csv(csv_path);
  fig.emission = l4_cell_number(row, "emission");
  fig.emission_sigma = l4_cell_number(row, "emission_uncertainty");
  fig.emission_csf = l4_cell_number(row, "emission_csf");
  fig.emission_csf_sigma = l4_cell_number(row, "emission_csf_uncertainty");
  if (const auto it = row.find("datetime"); it != row.end()) fig.datetime = it->second;
}

// The plume page: the plume layer only (HyperGas's <g>_plume, opacity 0.9, shown) and the
// yellow 100 m circle at the source.
std::string plume_page(const std::string& l3_path, const PlumeProduct& p, const std::string& leaflet_dir) {
  const viz::PlumeFigure& fig = p.figure;
  // The plume pixels' lat/lon from the grid (the file's 2-D coordinates are most of its
  // bytes, and only these few pixels are needed).
  Raster<double> latitude = Raster<double>::Constant(fig.grid.rows, fig.grid.cols, std::nan(""));
  Raster<double> longitude = latitude;
  for (int r = 0; r < fig.grid.rows; ++r)
    for (int c = 0; c < fig.grid.cols; ++c)
      if (std::isfinite(fig.field(r, c)))
        fig.projection.inverse(fig.grid.x0 + c * fig.grid.dx, fig.grid.y0 + r * fig.grid.dy, longitude(r, c),
                               latitude(r, c));
  const viz::MercatorGrid grid = viz::mercator_grid_for(latitude, longitude, std::abs(fig.grid.dy));
  const std::vector<std::int64_t> index = viz::mercator_resampling(grid, fig.grid, fig.projection);
  const viz::ColorScale scale = viz::l2_color_scale(fig.gas, fig.gas, fig.units, fig.field, std::nullopt);
  viz::MapScene scene;
  scene.start_time = fig.datetime;
  scene.l2_stem = fs::path(l3_path).stem().string();
  scene.overlays.push_back(
      {fig.gas + "_plume", viz::encode_png(viz::resample(viz::colorize(fig.field, scale), index, grid)), grid.bounds, 0.9, true});
  scene.source_circle = viz::MapCircle{fig.source_latitude, fig.source_longitude, 100.0};
  const viz::MapPage page{fs::path(l3_path).filename().string(), {scene}, false, false};
  return viz::render_map_html(page, leaflet_dir);
}
}  // namespace

std::string plume_figure_path(const std::string& l3_path) { return fs::path(l3_path).replace_extension(".png").string(); }
std::string plume_map_path(const std::string& l3_path) { return fs::path(l3_path).replace_extension(".html").string(); }

bool is_l3_plume_name(const std::string& name) {
  static const std::regex pattern(R"(.*L3.*_plume[0-9]+\.nc)");
  return std::regex_match(name, pattern);
}

void plot_plume(const std::string& l3_path, const PlumePlotOptions& o) {
  PlumeProduct p = read_plume(l3_path);
  viz::PlumeFigure& fig = p.figure;
  read_emissions(l4_path_for(l3_path), fig);
  read_csf(csf_path_for(l3_path), fig);
  read_basemap(p.l2_path, fig);
  fig.minimal = o.minimal;
  fig.pad_deg = o.pad;
  if (!fig.field.isFinite().any()) fail(l3_path, "the plume field has no finite value");
  try {
    io::write_text_atomically(plume_figure_path(l3_path), viz::render_plume_figure(fig));
    io::write_text_atomically(plume_map_path(l3_path), plume_page(l3_path, p, o.leaflet_dir));
  } catch (Error& e) {
    e.add_file(l3_path);
    throw;
  }
}

}  // namespace hyperplume::pipeline
