#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/viz/color_scale.hpp>
#include <map>
#include <vector>

namespace hyperplume::viz {
namespace {
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// One ppb of column-mean mixing ratio in the L2's output units (l1_l2 §3.8: ppm m over an
// 8 km column; umol m-2 as ppm * 1000 / 2900 * 1e6, HyperGas's conversion).
double per_ppb(const std::string& units) {
  if (units == "ppb") return 1.0;
  if (units == "ppm") return 1e-3;
  if (units == "ppm m") return 8.0;
  if (units == "umol m-2" || units == "µmol m-2") return 1e6 / 2900.0;
  throw InputError("no colour scale for units '" + units + "' (ppb, ppm, ppm m or umol m-2)");
}

// Labels of at most `min_pixels` pixels, and the background 0, are not drawn.
std::map<float, std::size_t> label_sizes(const Raster<float>& labels) {
  std::map<float, std::size_t> n;
  for (Eigen::Index i = 0; i < labels.size(); ++i)
    if (std::isfinite(labels.data()[i])) ++n[labels.data()[i]];
  return n;
}

ColorScale mask_scale(const Raster<float>& labels) {
  ColorScale s{ScaleKind::labels, &Colormap::tab20c(), 0.0, 1.0, 5};
  double top = 0;
  for (const auto& [label, count] : label_sizes(labels))
    if (label != 0.0f && count > static_cast<std::size_t>(s.min_label_pixels)) top = std::max(top, static_cast<double>(label));
  s.vmax = top > 0 ? top : 1.0;
  return s;
}

ColorScale denoised_scale(const Raster<float>& v, std::optional<double> user_vmax) {
  ColorScale s{ScaleKind::continuous, &Colormap::plasma(), nan_mean(v), nan_quantile(v, 0.99), 0};
  if (user_vmax && *user_vmax < s.vmax) s.vmax = *user_vmax;
  if (s.vmax < s.vmin) s.vmax = s.vmin + 1.0;
  return s;
}
}  // namespace

double nan_quantile(const Raster<float>& values, double q) {
  std::vector<float> v;
  v.reserve(static_cast<std::size_t>(values.size()));
  for (Eigen::Index i = 0; i < values.size(); ++i)
    if (std::isfinite(values.data()[i])) v.push_back(values.data()[i]);
  if (v.empty()) return std::nan("");
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  const double a = v[lo];
  if (lo + 1 >= v.size()) return a;
  const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return a + (pos - static_cast<double>(lo)) * (b - a);
}

double fixed_gas_vmax(const std::string& gas, const std::string& units) {
  static const std::map<std::string, double> vmax_ppb = {{"ch4", 300.0}, {"co2", 1e4}, {"no2", 0.232}};
  const auto it = vmax_ppb.find(gas);
  if (it == vmax_ppb.end()) throw InputError("no colour scale for the gas '" + gas + "' (ch4, co2 or no2)");
  return it->second * per_ppb(units);
}

ColorScale l2_color_scale(const std::string& variable, const std::string& gas, const std::string& units,
                          const Raster<float>& values, std::optional<double> user_vmax) {
  if (variable == "rgb") return {ScaleKind::true_color, nullptr, 0.0, 1.0, 0};
  if (variable == "radiance_2100")
    return {ScaleKind::continuous, &Colormap::viridis(), nan_quantile(values, 0.01), nan_quantile(values, 0.99), 0};
  if (contains(variable, "denoise")) return denoised_scale(values, user_vmax);
  if (contains(variable, "mask")) return mask_scale(values);
  ColorScale s{ScaleKind::continuous, &Colormap::plasma(), 0.0, user_vmax ? *user_vmax : fixed_gas_vmax(gas, units), 0};
  if (s.vmax < 0) s.vmax = 1.0;
  return s;
}

ColorScale plume_color_scale(const std::string& gas, const std::string& units, const Raster<float>& values) {
  const double base_ppb = gas == "co2" ? 5000.0 : 50.0;  // 50 ppb CH4, 5 ppm CO2
  const double base = base_ppb * per_ppb(units);
  const double q99 = nan_quantile(values, 0.99);
  double vmax = std::isfinite(q99) ? std::ceil(q99 / base) * base : base;
  if (vmax <= 0) vmax = base;
  return {ScaleKind::continuous, &Colormap::hot_r_alpha(), 0.0, vmax, 0};
}

RgbaImage colorize(const Raster<float>& values, const ColorScale& scale) {
  if (scale.kind == ScaleKind::true_color || !scale.colormap)
    throw InternalError("colorize: a true-colour scale needs three planes");
  RgbaImage out(static_cast<int>(values.rows()), static_cast<int>(values.cols()));
  std::map<float, std::size_t> sizes;
  if (scale.kind == ScaleKind::labels) sizes = label_sizes(values);
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    const float v = values.data()[i];
    if (scale.kind == ScaleKind::labels &&
        (v == 0.0f || !std::isfinite(v) || sizes[v] <= static_cast<std::size_t>(scale.min_label_pixels)))
      continue;
    out.pixels[static_cast<std::size_t>(i)] = scale.colormap->map(v, scale.vmin, scale.vmax);
  }
  return out;
}

RgbaImage true_color_image(const std::array<Raster<float>, 3>& rgb) {
  RgbaImage out(static_cast<int>(rgb[0].rows()), static_cast<int>(rgb[0].cols()));
  auto byte = [](float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  for (Eigen::Index i = 0; i < rgb[0].size(); ++i) {
    const float r = rgb[0].data()[i], g = rgb[1].data()[i], b = rgb[2].data()[i];
    if (std::isfinite(r) && std::isfinite(g) && std::isfinite(b))
      out.pixels[static_cast<std::size_t>(i)] = {byte(r), byte(g), byte(b), 255};
  }
  return out;
}

}  // namespace hyperplume::viz
