#pragma once
// Which effective-wind calibration a plume gets (HyperGas: area source for CH4 from solid
// waste, point source otherwise) and the "replacement" set its calibration error compares with.
#include <hyperplume/core/config.hpp>
#include <string>
#include <vector>

namespace hyperplume::emission {

// The IPCC sectors HyperGas offers; only "Solid Waste (6A)" is an area source.
const std::vector<std::string>& ipcc_sectors();

struct CalibrationChoice {
  WindCalibration primary;      // used for the estimate
  WindCalibration replacement;  // area source: the point set with resid 0; point: itself
  bool area_source = false;
};

// sensor_key: emit | enmap | prisma. InputError for an unknown sector or a gas/sensor the
// configuration has no calibration for.
CalibrationChoice choose_calibration(const Config& config, const std::string& gas,
                                     const std::string& ipcc_sector, const std::string& sensor_key);

// IME: alpha1 ln U + alpha2 + alpha3 U (NaN for U <= 0, even with alpha1 = 0, as in
// HyperGas's wind ensemble); CSF: beta1 U + beta2.
double ime_effective_wind(const WindCalibration& c, double wind_speed);
double csf_effective_wind(const WindCalibration& c, double wind_speed);

}  // namespace hyperplume::emission
