#include <hyperplume/io/text_table.hpp>
#include <hyperplume/spectral/solar_irradiance.hpp>
#include <hyperplume/spectral/srf.hpp>

namespace hyperplume::spectral {

SolarIrradiance SolarIrradiance::load(const std::string& path) {
  const io::TextTable t = io::read_text_table(path, 2);
  SolarIrradiance s;
  s.wavelength_ = t.columns[0];
  s.irradiance_ = t.columns[1];
  return s;
}

std::vector<double> SolarIrradiance::bands_uW_cm2(const std::vector<double>& centres,
                                                  const std::vector<double>& fwhm) const {
  const SrfConvolver srf(wavelength_, centres, fwhm);
  std::vector<double> e = srf.apply(irradiance_);
  for (double& v : e) v *= 0.1;
  return e;
}

}  // namespace hyperplume::spectral
