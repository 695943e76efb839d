#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/wind_calibration.hpp>
#include <limits>

namespace hyperplume::emission {

const std::vector<std::string>& ipcc_sectors() {
  static const std::vector<std::string> s = {"Electricity Generation (1A1)",
                                             "Coal Mining (1B1a)",
                                             "Oil & Gas (1B2)",
                                             "Livestock (4B)",
                                             "Solid Waste (6A)",
                                             "Other"};
  return s;
}

CalibrationChoice choose_calibration(const Config& config, const std::string& gas,
                                     const std::string& ipcc_sector,
                                     const std::string& sensor_key) {
  const auto& sectors = ipcc_sectors();
  if (std::find(sectors.begin(), sectors.end(), ipcc_sector) == sectors.end())
    throw InputError("unknown IPCC sector '" + ipcc_sector + "'");
  if (gas != "ch4" && gas != "co2")
    throw InputError("no wind calibration for gas '" + gas + "' (ch4 or co2)");
  auto table = [&](const std::string& kind) {
    const std::string key = gas + "." + kind + "." + sensor_key;
    const auto it = config.calibration.find(key);
    if (it == config.calibration.end())
      throw InputError("the configuration has no wind calibration [calibration." + key + "]");
    return it->second;
  };
  CalibrationChoice c;
  c.area_source = gas == "ch4" && ipcc_sector == "Solid Waste (6A)";
  if (c.area_source) {
    c.primary = table("area");
    c.replacement = table("point");
    c.replacement.alpha_resid = 0;
    c.replacement.beta_resid = 0;
  } else {
    c.primary = c.replacement = table("point");
  }
  return c;
}

double ime_effective_wind(const WindCalibration& c, double u) {
  if (!(u > 0)) return std::numeric_limits<double>::quiet_NaN();
  return c.alpha1 * std::log(u) + c.alpha2 + c.alpha3 * u;
}

double csf_effective_wind(const WindCalibration& c, double u) { return c.beta1 * u + c.beta2; }

}  // namespace hyperplume::emission
