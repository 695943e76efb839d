#pragma once
// Enhancement in a product's units -> column mass (kg m-2), with HyperGas's constants
// (g = 9.8 m s-2, molar volume 22.4 L/mol), so emission rates compare one to one.
#include <string>

namespace hyperplume::emission {

// kg/mol of CH4, CO2 or CO; InputError for any other gas.
double molar_mass(const std::string& gas);

// kg m-2 per unit of enhancement: ppb and ppm scale with the surface pressure (Pa), ppm m is
// a path concentration at standard molar volume. InputError for other units.
double column_mass_per_unit(const std::string& units, const std::string& gas,
                            double surface_pressure);

}  // namespace hyperplume::emission
