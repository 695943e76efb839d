#include <hyperplume/core/config.hpp>

namespace hyperplume {

Config default_config() {
  Config c;
  const std::vector<double> ch4_conc{0, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4};
  // CH4 from the mag1c radiance LUT the resources ship; HyperGas's "model" path needs
  // cross-section files users bring themselves. Concentrations (ppm·m, 0-2000 = 0-250 ppb):
  // the linear regime, so the fitted slope is the filter's small-signal response; a fit
  // over 0-16000 ppm·m is flattened by saturation and overestimates weak plumes by ~20 %.
  c.species["ch4"] = {2110, 2450, 1300, 2500, {0, 500, 1000, 2000}, "ppb", "lut"};
  c.species["co2"] = {1930, 2200, 1300, 2500, {0, 2.5, 5, 10, 20, 40, 80, 160}, "ppm", "model"};
  c.species["co"] = {2305, 2385, 1300, 2500, ch4_conc, "ppb", "model"};
  c.species["no2"] = {400,   500,    400, 700, {0, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064},
                      "ppb", "model"};

  c.sensors["emit"] = {"EMIT", "emi", "NASA-JPL", 60};
  c.sensors["enmap"] = {"EnMAP", "hsi", "DLR", 30};
  c.sensors["prisma"] = {"PRISMA", "hsi", "ASI", 30};

  //                 alpha1 alpha2 alpha3 resid   beta1 beta2 resid
  c.calibration["ch4.point.emit"] = {0, 0.43, 0.36, 0.05, 1.12, 0, -0.03};
  c.calibration["ch4.point.enmap"] = {0, 0.44, 0.33, 0.04, 1.15, 0, -0.01};
  c.calibration["ch4.point.prisma"] = {0, 0.43, 0.32, 0.08, 1.12, 0, 0.01};
  c.calibration["ch4.area.emit"] = {0, 0.64, 0.39, 0.11, 1.21, 0, 0.04};
  c.calibration["ch4.area.enmap"] = {0, 0.67, 0.37, 0.18, 1.29, 0, 0.12};
  c.calibration["ch4.area.prisma"] = {0, 0.66, 0.38, 0.25, 1.26, 0, 0.16};
  c.calibration["co2.point.emit"] = {0, 0.44, 0.35, 0.04, 1.11, 0, -0.03};
  c.calibration["co2.point.enmap"] = {0, 0.46, 0.32, 0.04, 1.14, 0, -0.01};
  c.calibration["co2.point.prisma"] = {0, 0.43, 0.33, 0.05, 1.13, 0, -0.03};
  return c;
}

}  // namespace hyperplume
