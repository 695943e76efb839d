#pragma once
// EMIT instrument noise model (resources/noise/emit_noise.txt): per band,
// noise-equivalent radiance sigma(L) = a*sqrt(b + L) + c, L in uW cm-2 sr-1 nm-1.
// Its wavelength column is the EMIT band-centre table (285 bands, 381.0-2492.9 nm).
#include <string>
#include <vector>

namespace hyperplume::spectral {

class EmitNoiseModel {
 public:
  static EmitNoiseModel load(const std::string& path);

  std::size_t bands() const { return wavelength_.size(); }
  const std::vector<double>& wavelengths() const { return wavelength_; }
  double sigma(std::size_t band, double radiance) const;
  double a(std::size_t band) const { return a_[band]; }
  double b(std::size_t band) const { return b_[band]; }
  double c(std::size_t band) const { return c_[band]; }
  std::size_t nearest_band(double wavelength) const;

 private:
  std::vector<double> wavelength_, a_, b_, c_;
};

// EMIT spectral characterisation used for synthetic products: the band centres of the
// noise model and a smooth FWHM model (8.2-8.9 nm across the range, as in EMIT's
// sensor_band_parameters/fwhm).
struct BandSet {
  std::vector<double> centres;
  std::vector<double> fwhm;
};
BandSet emit_band_set(const EmitNoiseModel& noise);

}  // namespace hyperplume::spectral
