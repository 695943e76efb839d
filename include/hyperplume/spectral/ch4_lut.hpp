#pragma once
// The mag1c CH4 radiance look-up table (resources/absorption/mag1c_ch4.lut + .hdr):
// high-resolution top-of-atmosphere radiance for 7 methane column enhancements.
#include <span>
#include <string>
#include <vector>

namespace hyperplume::spectral {

class Ch4RadianceLut {
 public:
  // Column enhancements of the LUT, ppm·m (stated by the resource's documentation; the
  // ENVI header carries only the wavelengths).
  static constexpr double kConcentrations[7] = {0, 500, 1000, 2000, 4000, 8000, 16000};

  static Ch4RadianceLut load(const std::string& lut_path);

  const std::vector<double>& wavelengths() const { return wavelengths_; }
  std::size_t samples() const { return wavelengths_.size(); }
  // Radiance at sample k for LUT concentration index j.
  double radiance(std::size_t k, std::size_t j) const { return radiance_[k * 7 + j]; }

  // Optical depth -ln(L(c)/L(0)) at sample k for any enhancement c >= 0 (ppm·m):
  // piecewise linear in c between LUT nodes (so saturation follows the LUT), linear
  // extrapolation from the last segment above 16000 ppm·m.
  double optical_depth(std::size_t k, double c) const;

 private:
  std::vector<double> wavelengths_;
  std::vector<double> radiance_;  // samples x 7
};

}  // namespace hyperplume::spectral
