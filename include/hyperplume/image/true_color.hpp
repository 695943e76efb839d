#pragma once
// True-colour RGB from a hyperspectral cube by HSI2RGB (Magnusson et al. 2020), as
// HyperGas computes it: D65 and the CIE 1931 2-degree colour-matching functions PCHIP-
// interpolated to the band centres (380-750 nm bands, truncated at 780 nm), reflectance-
// like normalisation by the scene's maximum, trapezoid integrals over band centres,
// XYZ -> linear sRGB (D65 matrix), sRGB gamma, clip to [0, 1], then a per-channel contrast
// stretch at the 0.1 % tails of a 100-bin histogram. NaN pixels stay NaN.
#include <array>
#include <hyperplume/core/raster.hpp>
#include <vector>

namespace hyperplume::image {

struct CieRow {
  double nm, xbar, ybar, zbar, d65;
};
const std::array<CieRow, 81>& cie_1931_d65();

// Monotone piecewise-cubic Hermite interpolation (Fritsch-Carlson, as scipy's PCHIP),
// extrapolating with the end polynomials.
std::vector<double> pchip(const std::vector<double>& x, const std::vector<double>& y,
                          const std::vector<double>& at);

class TrueColor {
 public:
  // centres: the visible bands used (nm, increasing, 380-750).
  explicit TrueColor(std::vector<double> centres);
  // Un-normalised X, Y, Z of one spectrum (radiance at the visible bands); NaN if any band is NaN.
  std::array<double, 3> xyz(const float* spectrum) const;
  // Final RGB (3 rasters R, G, B) from per-pixel un-normalised XYZ and the scene maximum
  // radiance over the visible bands.
  static std::array<Raster<float>, 3> finish(const std::array<Raster<float>, 3>& xyz,
                                             double scene_max);

 private:
  std::vector<double> weight_x_, weight_y_, weight_z_;  // trapezoid weights * I * cmf, times k
};

// HyperGas's fallback (used when HSI2RGB cannot run): bands nearest 650/560/470 nm,
// b^(1/50), per-band NaN-aware min-max normalisation.
std::array<Raster<float>, 3> fallback_rgb(const std::array<Raster<float>, 3>& bands_650_560_470);

}  // namespace hyperplume::image
