#include <cmath>
#include <hyperplume/core/constants.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/retrieval/unit_spectrum.hpp>
#include <hyperplume/spectral/srf.hpp>

namespace hyperplume::retrieval {

double ols_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxy / sxx;
}

double ppb_per_ppm_m(double surface_pressure) {
  // One ppm·m is 1e-6 * n_L molecules per m2; the dry-air column is p_s N_A / (g M_air).
  const double air_column =
      surface_pressure * constants::kAvogadro / (constants::kGravity * constants::kMolarMassDryAir);
  return 1e-6 * constants::kLoschmidt / air_column * 1e9;
}

UnitSpectrum unit_spectrum_from_lut(const spectral::Ch4RadianceLut& lut,
                                    const std::vector<double>& centres,
                                    const std::vector<double>& fwhm,
                                    const std::vector<double>& conc, double amf,
                                    double surface_pressure) {
  if (conc.size() < 2 || conc.front() != 0.0)
    throw InputError("unit spectrum: concentrations must start at 0 and have at least two values");
  if (!(amf >= 2.0 && amf < 40.0))
    throw InputError("unit spectrum: air-mass factor " + std::to_string(amf) + " is out of range");
  const spectral::SrfConvolver srf(lut.wavelengths(), centres, fwhm);
  UnitSpectrum u;
  u.centres = centres;
  u.k.resize(centres.size());
  u.column_to_ppb = ppb_per_ppm_m(surface_pressure);
  std::vector<double> y(conc.size());
  for (std::size_t b = 0; b < centres.size(); ++b) {
    const double reach = 6.0 * spectral::fwhm_to_sigma(fwhm[b]);
    if (centres[b] + reach < lut.wavelengths().front() ||
        centres[b] - reach > lut.wavelengths().back()) {
      u.k[b] = 0.0;  // wholly outside the LUT: no CH4 absorption modelled there (1300-1358 nm is
                     // negligible)
      continue;
    }
    if (!srf.covered(b))
      throw InputError("unit spectrum: band at " + std::to_string(centres[b]) +
                       " nm is only partly covered by the CH4 LUT (" +
                       std::to_string(lut.wavelengths().front()) + "-" +
                       std::to_string(lut.wavelengths().back()) + " nm)");
    const auto& ker = srf.kernel(b);
    for (std::size_t i = 0; i < conc.size(); ++i) {
      double acc = 0;
      for (std::size_t j = 0; j < ker.weights.size(); ++j) {
        const std::size_t k = ker.first + j;
        acc += ker.weights[j] * lut.radiance(k, 0) * std::exp(-lut.optical_depth(k, conc[i]));
      }
      y[i] = std::log(acc);
    }
    // Slope per ppm·m of path at the LUT geometry -> per ppm·m of vertical column here.
    u.k[b] = ols_slope(conc, y) * amf / 2.0;
  }
  return u;
}

}  // namespace hyperplume::retrieval

namespace hyperplume::retrieval {

std::vector<std::vector<double>> unit_spectra_per_column(
    const spectral::Ch4RadianceLut& lut, const std::vector<std::vector<double>>& centres,
    const std::vector<double>& fwhm, const std::vector<double>& conc, double amf, double ps) {
  std::vector<std::vector<double>> out;
  out.reserve(centres.size());
  for (const auto& c : centres)
    out.push_back(unit_spectrum_from_lut(lut, c, fwhm, conc, amf, ps).k);
  return out;
}

}  // namespace hyperplume::retrieval
