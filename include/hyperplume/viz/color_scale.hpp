#pragma once
// HyperGas's colour rules for the L2 quicklooks (spec l2_l3 §7.5) and the L3 figure (§7.4),
// as pure functions of the variable, its units and its values.
#include <array>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/viz/colormap.hpp>
#include <hyperplume/viz/image.hpp>
#include <optional>
#include <string>

namespace hyperplume::viz {

enum class ScaleKind { true_color, continuous, labels };

struct ColorScale {
  ScaleKind kind = ScaleKind::continuous;
  const Colormap* colormap = nullptr;
  double vmin = 0, vmax = 1;
  int min_label_pixels = 0;  // labels: labels of at most this many pixels (and 0) hidden
};

// The fixed vmax of a gas field (CH4 300 ppb, CO2 1e4 ppb, NO2 0.232 ppb and their
// equivalents in ppm, ppm m and umol m-2). InputError for another gas or unit.
double fixed_gas_vmax(const std::string& gas, const std::string& units);

// The scale of an L2 variable: `rgb` true colour; radiance_2100 viridis q01-q99;
// *denoise* plasma mean -> q99 (a smaller user vmax replaces q99; vmax < vmin -> vmin + 1);
// *mask* tab20c, vmin 0, vmax the largest label, labels <= 5 px and background hidden;
// gas fields plasma 0 -> the fixed vmax, or the user's (vmax < 0 -> 1).
ColorScale l2_color_scale(const std::string& variable, const std::string& gas, const std::string& units,
                          const Raster<float>& values, std::optional<double> user_vmax);

// The L3 figure's scale: hot_r with the alpha ramp, vmin 0, vmax = q99 rounded up to 50 ppb
// (CH4) or 5 ppm (CO2) in the field's units.
ColorScale plume_color_scale(const std::string& gas, const std::string& units, const Raster<float>& values);

// The picture of a field under a scale (NaN transparent).
RgbaImage colorize(const Raster<float>& values, const ColorScale& scale);
// True colour from three planes in [0, 1] (NaN in any: transparent).
RgbaImage true_color_image(const std::array<Raster<float>, 3>& rgb);

// Quantile q in [0, 1] of the finite values, linear between order statistics (numpy's
// default); NaN when there are none.
double nan_quantile(const Raster<float>& values, double q);

}  // namespace hyperplume::viz
