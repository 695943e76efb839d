#pragma once
// HyperGas's l2b_plot.py for HyperPlume's L2 products: a PNG per variable on the web
// map's Web Mercator grid at the product's native resolution, a map page per L2, and per
// directory map pages of `chunk` products each (spec l2_l3 §7.5).
#include <hyperplume/viz/web_map.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

struct PlotOptions {
  std::size_t chunk = 8;             // products per directory page
  bool plot_markers = false;         // draw the existing markers
  std::optional<double> vmax;        // replaces the gas fields' fixed vmax (and a larger q99)
  std::optional<double> lat_zoom, lon_zoom;  // zoom: only data within `pad` degrees of it
  double pad = 0.05;                 // degrees
  bool skip_exist = false;           // a directory whose every page exists is not replotted
  std::string leaflet_dir;           // leaflet.js / leaflet.css
  int threads = 0;                   // variables drawn at once (0: every core)
};

// The variables plotted, in HyperGas's order: rgb, radiance_2100, then per gas <g>,
// <g>_comb, <g>_denoise, <g>_comb_denoise, <g>_mask.
std::vector<std::string> plot_variables(const std::vector<std::string>& gases);

// <L2 stem>_<var>.png (HyperGas: the L1 name, "." -> "_<var>.", _RAD removed, L1 -> L2),
// with _zoomin when zoomed; <L2 stem>.html the product's page.
std::string quicklook_png_path(const std::string& l2_path, const std::string& variable, bool zoomed);
std::string l2_map_path(const std::string& l2_path, bool zoomed);

enum class QuicklookSource { render, files };
// One product's PNGs and page, written atomically (render); or the map layers of a
// product already plotted, its PNGs read back (files), for the directory pages. InputError
// naming the file for a product that cannot be plotted (sensor geometry, no coordinates).
viz::MapScene plot_l2(const std::string& l2_path, const PlotOptions& options, QuicklookSource source);

// The directory pages: <dir>/<dirname>.html, or <dirname>_<k>.html (k = 1, 2, ...) when
// the directory has more than `chunk` products. Returns the pages written.
std::vector<std::string> write_directory_maps(const std::string& dir, const std::vector<viz::MapScene>& scenes,
                                              const PlotOptions& options);
std::vector<std::string> directory_map_paths(const std::string& dir, std::size_t products, std::size_t chunk);

}  // namespace hyperplume::pipeline
