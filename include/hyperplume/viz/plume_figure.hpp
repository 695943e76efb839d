#pragma once
// The per-plume figure HyperGas's l3b_plot.py publishes (spec l2_l3 §7.4), drawn with
// cairo at 300 dpi: panel 1 the plume field over the scene's RGB with the source circle,
// CSF transects and centre line, wind arrows, scale bar, colour bar and title; panel 2 the
// CSF emission rate per transect. Pure: data in, PNG bytes out.
#include <array>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/geo/transverse_mercator.hpp>
#include <hyperplume/viz/web_mercator.hpp>
#include <string>
#include <vector>

namespace hyperplume::viz {

struct FigureWind {
  std::string source;  // "ERA5", "GEOS-FP"
  double u = 0, v = 0;  // plume-mean 10 m wind (m/s)
};

struct FigureTransect {
  double x_start = 0, y_start = 0, x_end = 0, y_end = 0;  // UTM (m)
};

struct PlumeFigure {
  // The plume field and the scene's true colour on the L2's UTM grid (pixel centres).
  Raster<float> field;
  std::array<Raster<float>, 3> rgb;  // empty planes: no basemap
  UtmPixelGrid grid;
  geo::TransverseMercator projection = geo::TransverseMercator::utm(31, true);
  std::string gas = "ch4", units = "ppb";
  std::string datetime;  // as the title shows it
  double source_latitude = 0, source_longitude = 0;
  double pad_deg = 0;  // half the extent around the source; 0: from the plume's bounds
  std::vector<FigureWind> winds;
  // IME emission and its 1-sigma (kg/h); NaN: not estimated.
  double emission = 0, emission_sigma = 0;
  // CSF: per-transect emission (kg/h), the transects, the centre curve; the mean and sigma.
  std::vector<double> csf_line_emission;
  std::vector<FigureTransect> csf_lines;
  std::vector<std::array<double, 2>> csf_centre;  // (x, y) UTM
  double emission_csf = 0, emission_csf_sigma = 0;
  bool minimal = false;
};

// The figure as PNG bytes (300 dpi). InputError when the field has no finite value.
std::string render_plume_figure(const PlumeFigure& figure);

}  // namespace hyperplume::viz
