#pragma once
// HyperGas's "model" unit spectrum (l1_l2 §3.2-3.5): layer column densities of an AFGL
// atmosphere (resources/absorption/atmosphere_<model>.dat), absorption cross sections on
// a high-resolution grid (resources/absorption/absorption_cs_ALL_<model>.nc), the target
// gas enhancement added to the first layer, Young's (1994) air mass for the sun and
// sensor, transmissions T_i = exp(-AMF tau_i) convolved with each band's SRF and ln T
// regressed on the concentration. Users bring these files (they are not in the reference
// resources); their format is the one HyperGas reads.
#include <hyperplume/core/resources.hpp>
#include <hyperplume/retrieval/unit_spectrum.hpp>
#include <map>
#include <string>
#include <vector>

namespace hyperplume::retrieval {

// tropical | midlatitudesummer | midlatitudewinter | subarcticsummer | subarcticwinter
// (standard for NO2), by latitude and the day of year (HyperGas's rule).
std::string afgl_model(double latitude, int day_of_year, const std::string& gas);

// Young (1994) relative air mass for a zenith angle in degrees.
double young_air_mass(double zenith_deg);

struct AbsorptionModel {
  std::vector<double> wavelength;                     // nm, the high-resolution grid
  std::map<std::string, std::vector<double>> sigma;   // gas -> (wavelength x layer), cm2/molecule
  std::map<std::string, std::vector<double>> column;  // gas -> per layer, molecules/cm2
  std::size_t layers = 0;
};

// Reads the two files for `model`, keeping wavelengths in [lo, hi]. InputError names a
// missing or malformed file.
AbsorptionModel load_absorption_model(const Resources& res, const std::string& model, double lo,
                                      double hi);

// K per ppm of column-mean mixing ratio (output converts to ppb with x1000).
// crop_to: HyperGas crops the grid to the window, truncating edge-band SRFs; pass the
// window to reproduce that, or an empty range (lo >= hi) for no truncation (default).
UnitSpectrum unit_spectrum_from_model(const AbsorptionModel& m, const std::string& gas,
                                      const std::vector<double>& centres,
                                      const std::vector<double>& fwhm,
                                      const std::vector<double>& concentrations_ppm, double sza,
                                      double vza, double crop_lo = 0, double crop_hi = 0);

}  // namespace hyperplume::retrieval
