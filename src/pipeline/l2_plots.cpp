#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/geo/planar_geometry.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <hyperplume/pipeline/l2_plots.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/viz/color_scale.hpp>
#include <map>
#include <sstream>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

namespace {
const std::vector<std::string> kGases = {"ch4", "co2", "no2"};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw InputError(what, ErrorContext{path, {}, "plot"});
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// What the quicklooks need from an L2 product: the grid, its coordinates, the variables
// present, the scene-mean wind per source.
struct QuicklookInputs {
  viz::UtmPixelGrid grid;
  geo::TransverseMercator projection = geo::TransverseMercator::utm(31, true);
  double resolution = 0;
  Raster<double> latitude, longitude;
  std::vector<std::string> gases;
  std::map<std::string, Raster<float>> fields;  // every plotted variable but rgb
  std::map<std::string, std::string> units;     // per gas
  std::array<Raster<float>, 3> rgb;
  std::string start_time, sensor;
  std::vector<viz::MapWind> winds;
  std::vector<std::string> missing;
};

viz::UtmPixelGrid pixel_grid_of(const std::string& path, const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() < 2 || y.size() < 2) fail(path, "the L2 grid has fewer than 2 pixels along an axis");
  return {static_cast<int>(y.size()), static_cast<int>(x.size()), x[0], y[0], x[1] - x[0], y[1] - y[0]};
}

// The CF transverse_mercator grid mapping the data variables name.
geo::TransverseMercator projection_of(const io::NcFile& f, const std::string& variable) {
  const int v = f.var(f.id(), variable);
  if (!f.has_att(f.id(), v, "grid_mapping")) fail(f.path(), "'" + variable + "' has no grid mapping");
  const std::string gm = f.att_text(f.id(), v, "grid_mapping");
  if (!f.has_var(f.id(), gm)) fail(f.path(), "no grid-mapping variable '" + gm + "'");
  const int g = f.var(f.id(), gm);
  auto number = [&](const char* name) {
    const auto values = f.att_doubles(f.id(), g, name);
    if (values.size() != 1) fail(f.path(), std::string("grid mapping without ") + name);
    return values[0];
  };
  return geo::TransverseMercator(number("longitude_of_central_meridian"), number("scale_factor_at_central_meridian"),
                                 number("false_easting"), number("false_northing"));
}

// Scene means of the finite u10/v10 of every source that has any.
std::vector<viz::MapWind> scene_winds(const io::NcFile& f, int rows, int cols) {
  if (!f.has_var(f.id(), "source") || !f.has_var(f.id(), "u10") || !f.has_var(f.id(), "v10")) return {};
  std::vector<viz::MapWind> out;
  const std::vector<std::string> sources = io::read_text_rows(f, f.id(), "source");
  for (std::size_t k = 0; k < sources.size(); ++k) {
    const double u = nan_mean(io::read_raster<float>(f, f.id(), "u10", rows, cols, k));
    const double v = nan_mean(io::read_raster<float>(f, f.id(), "v10", rows, cols, k));
    if (std::isfinite(u) && std::isfinite(v)) out.push_back({sources[k], u, v});
  }
  return out;
}

QuicklookInputs read_quicklook_inputs(const std::string& path) {
  if (!fs::exists(path)) fail(path, "no such L2 file");
  const io::NcFile f(path, io::NcFile::Mode::read);
  if (!f.has_att(f.id(), NC_GLOBAL, "geometry") || f.att_text(f.id(), NC_GLOBAL, "geometry") != "utm")
    fail(path, "the L2 product is not orthorectified (the map needs its UTM grid)");
  if (!f.has_var(f.id(), "x") || !f.has_var(f.id(), "y") || !f.has_var(f.id(), "latitude") ||
      !f.has_var(f.id(), "longitude"))
    fail(path, "the L2 product has no x/y/latitude/longitude coordinates");
  QuicklookInputs in;
  const std::vector<double> x = io::read_vector(f, f.id(), "x"), y = io::read_vector(f, f.id(), "y");
  in.grid = pixel_grid_of(path, x, y);
  in.resolution = std::abs(in.grid.dy);
  const int rows = in.grid.rows, cols = in.grid.cols;
  in.latitude = io::read_raster<double>(f, f.id(), "latitude", rows, cols);
  in.longitude = io::read_raster<double>(f, f.id(), "longitude", rows, cols);
  for (const auto& gas : kGases)
    if (f.has_var(f.id(), gas) || f.has_var(f.id(), gas + "_comb")) in.gases.push_back(gas);
  std::string georeferenced;
  for (const auto& name : plot_variables(in.gases)) {
    if (!f.has_var(f.id(), name)) {
      in.missing.push_back(name);
      continue;
    }
    if (name == "rgb")
      for (std::size_t k = 0; k < 3; ++k) in.rgb[k] = io::read_raster<float>(f, f.id(), name, rows, cols, k);
    else
      in.fields[name] = io::read_raster<float>(f, f.id(), name, rows, cols);
    if (georeferenced.empty()) georeferenced = name;
  }
  if (georeferenced.empty()) fail(path, "the L2 product has none of the plotted variables");
  in.projection = projection_of(f, georeferenced);
  for (const auto& gas : in.gases) {
    const std::string v = f.has_var(f.id(), gas) ? gas : gas + "_comb";
    const int id = f.var(f.id(), v);
    in.units[gas] = f.has_att(f.id(), id, "units") ? f.att_text(f.id(), id, "units") : "ppb";
  }
  auto text = [&](const char* name) {
    return f.has_att(f.id(), NC_GLOBAL, name) ? f.att_text(f.id(), NC_GLOBAL, name) : std::string();
  };
  in.start_time = text("time_coverage_start");
  in.sensor = text("sensor");
  in.winds = scene_winds(f, rows, cols);
  return in;
}

// Pixels with data in any variable; restricted to the zoom circle when zooming.
Raster<bool> data_pixels(const QuicklookInputs& in, const PlotOptions& o) {
  Raster<bool> valid = Raster<bool>::Constant(in.grid.rows, in.grid.cols, false);
  for (const auto& [name, v] : in.fields) valid = valid || v.isFinite();
  if (in.rgb[0].size()) valid = valid || in.rgb[0].isFinite();
  if (o.lat_zoom && o.lon_zoom) {
    const auto dlat = in.latitude - *o.lat_zoom, dlon = in.longitude - *o.lon_zoom;
    valid = valid && (dlat * dlat + dlon * dlon <= o.pad * o.pad);
  }
  return valid;
}

Raster<double> masked(const Raster<double>& v, const Raster<bool>& keep) {
  return keep.select(v, Raster<double>::Constant(v.rows(), v.cols(), std::nan("")));
}

// The convex hull of the data pixels, as (lat, lon): HyperGas's swath polygon.
std::vector<std::array<double, 2>> swath_outline(const QuicklookInputs& in, const Raster<bool>& valid) {
  std::vector<geo::Point2> edge;
  for (int r = 0; r < in.grid.rows; ++r) {
    int first = -1, last = -1;
    for (int c = 0; c < in.grid.cols; ++c)
      if (valid(r, c)) {
        if (first < 0) first = c;
        last = c;
      }
    if (first < 0) continue;
    edge.push_back({in.longitude(r, first), in.latitude(r, first)});
    edge.push_back({in.longitude(r, last), in.latitude(r, last)});
  }
  std::vector<std::array<double, 2>> ring;
  for (const auto& p : geo::convex_hull(edge)) ring.push_back({p.y, p.x});
  return ring;
}

std::string gas_of(const std::string& variable, const std::vector<std::string>& gases) {
  for (const auto& g : gases)
    if (variable.rfind(g, 0) == 0) return g;
  return "";
}

viz::RgbaImage picture_of(const QuicklookInputs& in, const std::string& variable, const PlotOptions& o) {
  if (variable == "rgb") return viz::true_color_image(in.rgb);
  const std::string gas = gas_of(variable, in.gases);
  const Raster<float>& values = in.fields.at(variable);
  const viz::ColorScale scale =
      viz::l2_color_scale(variable, gas, gas.empty() ? "" : in.units.at(gas), values, o.vmax);
  return viz::colorize(values, scale);
}

// The marker file the page offers for editing: the analyst's, else the detector's.
void attach_markers(viz::MapScene& scene, const std::string& l2_path) {
  std::string path = markers_path_for(l2_path);
  if (!fs::exists(path)) path = auto_markers_path_for(l2_path);
  if (!fs::exists(path)) return;
  try {
    io::read_marker_file(path);
    scene.markers_geojson = read_file(path);
  } catch (const Error& e) {
    scene.markers_error = e.message();
  }
}

std::vector<std::string> present_variables(const QuicklookInputs& in) {
  std::vector<std::string> out;
  for (const auto& v : plot_variables(in.gases))
    if (v == "rgb" ? in.rgb[0].size() > 0 : in.fields.count(v) > 0) out.push_back(v);
  return out;
}
}  // namespace

std::vector<std::string> plot_variables(const std::vector<std::string>& gases) {
  std::vector<std::string> out = {"rgb", "radiance_2100"};
  for (const auto& g : gases)
    for (const char* suffix : {"", "_comb", "_denoise", "_comb_denoise", "_mask"}) out.push_back(g + suffix);
  return out;
}

std::string quicklook_png_path(const std::string& l2_path, const std::string& variable, bool zoomed) {
  const fs::path p(l2_path);
  return (p.parent_path() / (p.stem().string() + "_" + variable + (zoomed ? "_zoomin" : "") + ".png")).string();
}

std::string l2_map_path(const std::string& l2_path, bool zoomed) {
  const fs::path p(l2_path);
  return (p.parent_path() / (p.stem().string() + (zoomed ? "_zoomin" : "") + ".html")).string();
}

viz::MapScene plot_l2(const std::string& l2_path, const PlotOptions& o, QuicklookSource source) {
  const QuicklookInputs in = read_quicklook_inputs(l2_path);
  const bool zoomed = o.lat_zoom && o.lon_zoom;
  const Raster<bool> valid = data_pixels(in, o);
  const viz::MercatorGrid grid =
      viz::mercator_grid_for(masked(in.latitude, valid), masked(in.longitude, valid), in.resolution);
  std::vector<std::int64_t> index;
  if (source == QuicklookSource::render) {
    index = viz::mercator_resampling(grid, in.grid, in.projection);
    for (auto& k : index)  // zoom: nothing outside the circle
      if (k >= 0 && !valid.data()[k]) k = -1;
  }
  viz::MapScene scene;
  scene.start_time = in.start_time;
  scene.sensor = in.sensor;
  scene.l2_stem = fs::path(l2_path).stem().string();
  scene.swath_outline = swath_outline(in, valid);
  scene.winds = in.winds;
  for (const auto& m : in.missing) scene.notes.push_back("no variable " + m + " in " + fs::path(l2_path).filename().string());
  const std::vector<std::string> variables = present_variables(in);
  for (std::size_t i = 0; i < variables.size(); ++i)
    scene.overlays.push_back({variables[i], "", grid.bounds, variables[i] == "rgb" ? 0.9 : 0.7, i + 2 == variables.size()});
  if (source == QuicklookSource::render) {
    // Each variable's picture is independent of the others: drawn at once, written in order.
    parallel_for(static_cast<std::int64_t>(variables.size()), thread_count(o.threads), [&](std::int64_t i) {
      auto& layer = scene.overlays[static_cast<std::size_t>(i)];
      layer.png = viz::encode_png(viz::resample(picture_of(in, layer.variable, o), index, grid));
    });
    for (const auto& layer : scene.overlays)
      io::write_text_atomically(quicklook_png_path(l2_path, layer.variable, zoomed), layer.png);
  } else {
    for (auto& layer : scene.overlays) layer.png = read_file(quicklook_png_path(l2_path, layer.variable, zoomed));
  }
  attach_markers(scene, l2_path);
  if (source == QuicklookSource::render) {
    viz::MapPage page{fs::path(l2_path).filename().string(), {scene}, o.plot_markers, true};
    io::write_text_atomically(l2_map_path(l2_path, zoomed), viz::render_map_html(page, o.leaflet_dir));
  }
  return scene;
}

std::vector<std::string> directory_map_paths(const std::string& dir, std::size_t products, std::size_t chunk) {
  const fs::path d(dir);
  const std::string name = d.filename().empty() ? d.parent_path().filename().string() : d.filename().string();
  const std::size_t pages = chunk ? (products + chunk - 1) / chunk : 1;
  std::vector<std::string> out;
  for (std::size_t k = 0; k < pages; ++k)
    out.push_back((d / (name + (pages > 1 ? "_" + std::to_string(k + 1) : "") + ".html")).string());
  return out;
}

std::vector<std::string> write_directory_maps(const std::string& dir, const std::vector<viz::MapScene>& scenes,
                                              const PlotOptions& o) {
  const std::size_t chunk = std::max<std::size_t>(1, o.chunk);
  const std::vector<std::string> paths = directory_map_paths(dir, scenes.size(), chunk);
  for (std::size_t k = 0; k < paths.size(); ++k) {
    viz::MapPage page{fs::path(paths[k]).filename().string(), {}, o.plot_markers, true};
    for (std::size_t i = k * chunk; i < std::min(scenes.size(), (k + 1) * chunk); ++i) page.scenes.push_back(scenes[i]);
    io::write_text_atomically(paths[k], viz::render_map_html(page, o.leaflet_dir));
  }
  return paths;
}

}  // namespace hyperplume::pipeline
