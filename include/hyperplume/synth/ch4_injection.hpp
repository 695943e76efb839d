#pragma once
// Band-averaged methane transmittance for plume injection: for each band, the LUT's
// high-resolution radiance attenuated by Beer-Lambert, convolved with the band's SRF and
// divided by the unattenuated convolution,
//     T_b(c) = sum_k w_bk L0(l_k) exp(-tau(l_k, c)) / sum_k w_bk L0(l_k),
// tabulated on a fine grid of path enhancements c (ppm·m) and interpolated per pixel.
#include <hyperplume/spectral/ch4_lut.hpp>
#include <vector>

namespace hyperplume::synth {

// The mag1c LUT is taken to describe a vertical two-way path (sun at zenith, nadir
// view), air mass 2; other geometries scale the path enhancement by AMF / 2.
inline constexpr double kLutReferenceAirMass = 2.0;

class BandTransmittance {
 public:
  BandTransmittance(const spectral::Ch4RadianceLut& lut, const std::vector<double>& centres,
                    const std::vector<double>& fwhm, double max_ppm_m);
  bool affected(std::size_t band) const { return !table_[band].empty(); }
  // Negative enhancements (sign-flipped test injections) give 1 / T(|c|).
  double operator()(std::size_t band, double ppm_m) const;

 private:
  double max_;
  std::vector<std::vector<double>> table_;  // per band: ln T at grid nodes
  static constexpr int kNodes = 257;
};

}  // namespace hyperplume::synth
