#include <hyperplume/core/constants.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/column_mass.hpp>

namespace hyperplume::emission {
namespace {
constexpr double kMolarVolume = 22.4e-3;  // m3/mol, HyperGas's (not the 22.414 of synth's ppm m)
}  // namespace

double molar_mass(const std::string& gas) {
  if (gas == "ch4") return constants::kMolarMassCH4;
  if (gas == "co2") return constants::kMolarMassCO2;
  if (gas == "co") return constants::kMolarMassCO;
  throw InputError("no emission estimate for gas '" + gas + "' (ch4, co2 or co)");
}

double column_mass_per_unit(const std::string& units, const std::string& gas,
                            double surface_pressure) {
  const double m = molar_mass(gas);
  if (units == "ppm m") return 1e-6 / kMolarVolume * m;
  double fraction = 0;
  if (units == "ppb")
    fraction = 1e-9;
  else if (units == "ppm")
    fraction = 1e-6;
  else
    throw InputError("cannot convert enhancement units '" + units +
                     "' to column mass (ppb, ppm or 'ppm m')");
  return fraction * (m / constants::kMolarMassDryAir) * surface_pressure / constants::kGravity;
}

}  // namespace hyperplume::emission
