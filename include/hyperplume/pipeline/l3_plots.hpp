#pragma once
// HyperGas's l3b_plot.py for HyperPlume's L3 products: per plume the summary figure
// <L3 stem>.png (the plume over the scene's RGB, CSF transects, winds; the CSF panel) and
// the plume page <L3 stem>.html (the plume layer only, a 100 m circle at the source).
#include <string>

namespace hyperplume::pipeline {

struct PlumePlotOptions {
  bool minimal = false;  // title Q ± % only: no wind arrows, no CSF panel
  double pad = 0;        // degrees around the source; 0: from the plume's extent
  std::string leaflet_dir;
};

std::string plume_figure_path(const std::string& l3_path);  // <L3 stem>.png
std::string plume_map_path(const std::string& l3_path);     // <L3 stem>.html

// An L3 plume product's name: "L3" in it and _plume<N>.nc at its end.
bool is_l3_plume_name(const std::string& name);

// Writes both, atomically. InputError naming the file for an L3 product that cannot be
// drawn (no gas field, no finite plume pixel); a missing L4 table, CSF file or L2 RGB only
// leaves out what they would have drawn.
void plot_plume(const std::string& l3_path, const PlumePlotOptions& options);

}  // namespace hyperplume::pipeline
