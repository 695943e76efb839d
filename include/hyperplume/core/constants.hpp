#pragma once
// Physical constants shared by the synthetic generator and the emission stages, so a
// column mass injected by `synth` converts back with exactly the same numbers.
namespace hyperplume::constants {

inline constexpr double kMolarMassCH4 = 16.04e-3;       // kg/mol
inline constexpr double kMolarMassCO2 = 44.01e-3;       // kg/mol
inline constexpr double kMolarMassCO = 28.01e-3;        // kg/mol
inline constexpr double kMolarMassDryAir = 28.964e-3;   // kg/mol
inline constexpr double kGravity = 9.8;                 // m s-2, as HyperGas's IME/CSF use it
inline constexpr double kAvogadro = 6.02214076e23;      // mol-1
inline constexpr double kLoschmidt = 2.6867811e25;      // m-3 at 273.15 K, 101325 Pa
inline constexpr double kStandardPressure = 101325.0;   // Pa
inline constexpr double kScaleHeightPressure = 8434.5;  // m, isothermal 288 K

// Column-mean dry mole fraction enhancement (ppb) of a gas column mass (kg m-2) over a
// surface at pressure p_s (Pa): dX = dOmega * g / (1e-9 * (M_gas / M_air) * p_s).
inline double column_mass_to_ppb(double kg_m2, double molar_mass, double surface_pressure) {
  return kg_m2 * kGravity / (1e-9 * (molar_mass / kMolarMassDryAir) * surface_pressure);
}
inline double ppb_to_column_mass(double ppb, double molar_mass, double surface_pressure) {
  return ppb * 1e-9 * (molar_mass / kMolarMassDryAir) * surface_pressure / kGravity;
}
// Concentration-path length (ppm·m, the mag1c LUT unit: the gas column as a layer at
// standard density) of a gas column mass.
inline double column_mass_to_ppm_m(double kg_m2, double molar_mass) {
  return kg_m2 / molar_mass * kAvogadro / (1e-6 * kLoschmidt);
}

}  // namespace hyperplume::constants
