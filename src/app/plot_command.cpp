#include <cmath>
#include <filesystem>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/file_walk.hpp>
#include <hyperplume/app/plot_command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/pipeline/campaign_index.hpp>
#include <hyperplume/pipeline/l3_plots.hpp>
#include <hyperplume/viz/web_map.hpp>
#include <iostream>
#include <map>

namespace hyperplume::app {
namespace fs = std::filesystem;

void declare_plot_options(po::options_description& o) {
  o.add_options()("chunk", po::value<int>()->default_value(8), "L2 products per directory map page")(
      "plot-markers", po::bool_switch(), "draw the existing source markers on the maps")(
      "vmax", po::value<double>(), "colour-scale maximum of the gas fields (units of the L2)")(
      "lat-zoom", po::value<double>(), "zoom: plot only data within --pad degrees of this latitude")(
      "lon-zoom", po::value<double>(), "zoom: ... and of this longitude (names get _zoomin)")(
      "pad", po::value<double>()->default_value(0.05), "zoom radius (degrees)")(
      "leaflet-dir", po::value<std::string>()->default_value(viz::default_leaflet_dir()),
      "directory of leaflet.js and leaflet.css (Debian's libjs-leaflet), inlined in every page");
}

pipeline::PlotOptions plot_choice(const po::variables_map& vm) {
  pipeline::PlotOptions o;
  const int chunk = vm["chunk"].as<int>();
  if (chunk < 1) throw UsageError("--chunk must be at least 1");
  o.chunk = static_cast<std::size_t>(chunk);
  o.plot_markers = vm["plot-markers"].as<bool>();
  if (vm.count("vmax")) {
    o.vmax = vm["vmax"].as<double>();
    if (!std::isfinite(*o.vmax)) throw UsageError("--vmax must be a finite number");
  }
  if (vm.count("lat-zoom") != vm.count("lon-zoom")) throw UsageError("--lat-zoom and --lon-zoom go together");
  if (vm.count("lat-zoom")) {
    o.lat_zoom = vm["lat-zoom"].as<double>();
    o.lon_zoom = vm["lon-zoom"].as<double>();
    if (!(std::abs(*o.lat_zoom) <= 90) || !(std::abs(*o.lon_zoom) <= 180))
      throw UsageError("--lat-zoom/--lon-zoom must be a latitude and a longitude in degrees");
  }
  o.pad = vm["pad"].as<double>();
  if (!(o.pad > 0) || !std::isfinite(o.pad)) throw UsageError("--pad must be a positive number of degrees");
  o.leaflet_dir = vm["leaflet-dir"].as<std::string>();
  return o;
}

void PlotCommand::declare(po::options_description& o) {
  o.add_options()("root", po::value<std::string>()->required(), "directory searched recursively for L2 products")(
      "skip-exist", po::bool_switch(), "leave a directory whose every product has its map page");
  declare_plot_options(o);
}

namespace {
// L2 products per directory, each directory's in name order.
std::map<std::string, std::vector<std::string>> by_directory(const std::vector<std::string>& files) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& f : files) out[fs::path(f).parent_path().string()].push_back(f);
  return out;
}

bool all_pages_exist(const std::vector<std::string>& files, bool zoomed) {
  for (const auto& f : files)
    if (!fs::exists(pipeline::l2_map_path(f, zoomed))) return false;
  return true;
}
}  // namespace

int PlotCommand::execute(const po::variables_map& vm, const Config&) {
  pipeline::PlotOptions o = plot_choice(vm);
  o.skip_exist = vm["skip-exist"].as<bool>();
  const std::string root = vm["root"].as<std::string>();
  const std::vector<std::string> files = files_under(root, is_l2_product_name);
  if (files.empty()) log::warn("plot: no L2 product under ", root);
  int plotted = 0, kept = 0, failed = 0;
  for (const auto& [dir, products] : by_directory(files)) {
    if (o.skip_exist && all_pages_exist(products, o.lat_zoom.has_value())) {
      kept += static_cast<int>(products.size());
      continue;
    }
    std::vector<viz::MapScene> scenes;
    for (const auto& l2 : products) try {
        scenes.push_back(pipeline::plot_l2(l2, o, pipeline::QuicklookSource::render));
        ++plotted;
        std::cout << pipeline::l2_map_path(l2, o.lat_zoom.has_value()) << "\n";
      } catch (Error& e) {
        e.add_file(l2);
        ++failed;
        log::error(e.what());
      }
    try {
      if (!scenes.empty())
        for (const auto& page : pipeline::write_directory_maps(dir, scenes, o)) std::cout << page << "\n";
    } catch (const Error& e) {
      ++failed;
      log::error(e.what());
    }
  }
  if (fs::exists(fs::path(root) / "hyperplume_journal.jsonl")) try {
      std::cout << pipeline::write_campaign_index(root, root) << "\n";
    } catch (const Error& e) {
      ++failed;
      log::error(e.what());
    }
  std::cout << "plot: " << plotted << " L2 product(s) plotted, " << kept << " kept, " << failed << " failed, of "
            << files.size() << "\n";
  return failed ? kExitFailure : kExitOk;
}

void PlotL3Command::declare(po::options_description& o) {
  o.add_options()("root", po::value<std::string>()->required(), "directory searched recursively for L3 plumes")(
      "minimal", po::bool_switch(), "title with Q ± % only: no wind arrows, no CSF panel")(
      "pad", po::value<double>()->default_value(0.0),
      "degrees shown around the source (0: from the plume's extent)")(
      "skip-exist", po::bool_switch(), "leave plumes that have their figure")(
      "leaflet-dir", po::value<std::string>()->default_value(viz::default_leaflet_dir()),
      "directory of leaflet.js and leaflet.css, inlined in the plume pages");
}

int PlotL3Command::execute(const po::variables_map& vm, const Config&) {
  pipeline::PlumePlotOptions o{vm["minimal"].as<bool>(), vm["pad"].as<double>(), vm["leaflet-dir"].as<std::string>()};
  if (!(o.pad >= 0) || !std::isfinite(o.pad)) throw UsageError("--pad must be 0 or a positive number of degrees");
  const std::string root = vm["root"].as<std::string>();
  const std::vector<std::string> files = files_under(root, pipeline::is_l3_plume_name);
  if (files.empty()) log::warn("plot-l3: no L3 plume product under ", root);
  int plotted = 0, kept = 0, failed = 0;
  for (const auto& l3 : files) {
    if (vm["skip-exist"].as<bool>() && fs::exists(pipeline::plume_figure_path(l3))) {
      ++kept;
      continue;
    }
    try {
      pipeline::plot_plume(l3, o);
      ++plotted;
      std::cout << pipeline::plume_figure_path(l3) << "\n";
    } catch (Error& e) {
      e.add_file(l3);
      ++failed;
      log::error(e.what());
    }
  }
  std::cout << "plot-l3: " << plotted << " plume(s) plotted, " << kept << " kept, " << failed << " failed, of "
            << files.size() << "\n";
  return failed ? kExitFailure : kExitOk;
}

}  // namespace hyperplume::app
