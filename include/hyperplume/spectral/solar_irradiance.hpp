#pragma once
// Kurucz solar irradiance (resources/solar/kurucz_0.1nm.dat, mW m-2 nm-1 at 1 AU)
// convolved to band centres.
#include <string>
#include <vector>

namespace hyperplume::spectral {

class SolarIrradiance {
 public:
  static SolarIrradiance load(const std::string& path);
  // Band irradiance in uW cm-2 nm-1 (= mW m-2 nm-1 / 10), Gaussian SRFs over the whole grid.
  std::vector<double> bands_uW_cm2(const std::vector<double>& centres,
                                   const std::vector<double>& fwhm) const;

 private:
  std::vector<double> wavelength_, irradiance_;
};

}  // namespace hyperplume::spectral
