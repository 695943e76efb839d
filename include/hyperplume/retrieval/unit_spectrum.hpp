#pragma once
// Unit (target) absorption spectrum K: per band, the slope of ln(band radiance) against
// the gas enhancement, from a least-squares fit over the configured concentrations
// (mag1c / Foote et al.; HyperGas l1_l2 §3.5). A pure kernel: arrays in, arrays out.
#include <hyperplume/spectral/ch4_lut.hpp>
#include <vector>

namespace hyperplume::retrieval {

struct UnitSpectrum {
  std::vector<double> k;        // per band: d ln L / d c, c in `units` of the fit
  std::vector<double> centres;  // band centres the spectrum belongs to
  double column_to_ppb = 0;     // multiply a column enhancement in fit units by this to get ppb
};

// From the CH4 radiance LUT: each band's SRF is convolved with the LUT radiance at every
// concentration (ppm·m, interpolated in log radiance between LUT nodes) over the *whole*
// LUT grid (no truncation at window edges), then ln(L_b(c)) is regressed on c.
// `air_mass_factor`: the scene's 1/cos(SZA) + 1/cos(VZA); the LUT describes a vertical
// two-way path (air mass 2), so K for a vertical column is K_lut * AMF / 2.
// Bands wholly outside the LUT get K = 0; a band only partly covered is an InputError.
// `surface_pressure` (Pa) converts a vertical column in ppm·m to a column mean in ppb.
UnitSpectrum unit_spectrum_from_lut(const spectral::Ch4RadianceLut& lut,
                                    const std::vector<double>& centres,
                                    const std::vector<double>& fwhm,
                                    const std::vector<double>& concentrations,
                                    double air_mass_factor, double surface_pressure);

// Per detector column, for sensors whose band centres shift across the detector (smile):
// centres_per_column[x] are column x's band centres; the FWHM is per band.
std::vector<std::vector<double>> unit_spectra_per_column(
    const spectral::Ch4RadianceLut& lut, const std::vector<std::vector<double>>& centres_per_column,
    const std::vector<double>& fwhm, const std::vector<double>& concentrations,
    double air_mass_factor, double surface_pressure);

// Ordinary least-squares slope of y on x.
double ols_slope(const std::vector<double>& x, const std::vector<double>& y);

// ppb of column-mean dry-air mole fraction per ppm·m of vertical column (at standard
// density), for a surface pressure p_s.
double ppb_per_ppm_m(double surface_pressure);

}  // namespace hyperplume::retrieval
