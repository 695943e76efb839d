#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/column_mass.hpp>

namespace hyperplume::emission {
namespace {
constexpr double kDryAir = 28.964e-3;     // kg/mol
constexpr double kGravity = 9.8;          // m s-2, HyperGas's value
constexpr double kMolarVolume = 22.4e-3;  // m3/mol
}  // namespace

double molar_mass(const std::string& gas) {
  if (gas == "ch4") return 16.04e-3;
  if (gas == "co2") return 44.01e-3;
  if (gas == "co") return 28.01e-3;
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
  return fraction * (m / kDryAir) * surface_pressure / kGravity;
}

}  // namespace hyperplume::emission
