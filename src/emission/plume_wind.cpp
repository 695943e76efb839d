#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/plume_wind.hpp>
#include <numbers>

namespace hyperplume::emission {

double meteorological_direction(double u, double v) {
  const double d = std::fmod(270.0 - std::atan2(v, u) * 180.0 / std::numbers::pi, 360.0);
  return d < 0 ? d + 360.0 : d;
}

WindUsed choose_wind(const std::vector<SourceWind>& sources, const std::string& wind_source,
                     std::optional<double> wspd_manual, std::optional<double> sp_manual) {
  WindUsed w;
  const SourceWind* chosen = nullptr;
  double sp_sum = 0;
  int sp_n = 0;
  for (const auto& s : sources) {
    w.source_all.push_back(s.source);
    w.speed_all.push_back(std::hypot(s.u10, s.v10));
    w.direction_all.push_back(meteorological_direction(s.u10, s.v10));
    if (s.source == wind_source) chosen = &s;
    if (std::isfinite(s.surface_pressure)) {
      sp_sum += s.surface_pressure;
      ++sp_n;
    }
  }
  if (wspd_manual) {
    if (!(*wspd_manual > 0)) throw InputError("a manual wind speed must be positive (m/s)");
    w.speed = *wspd_manual;
    w.manual_speed = true;
    // The direction is only reported; HyperGas takes it from the first source.
    w.direction = sources.empty() ? std::nan("") : w.direction_all.front();
  } else {
    if (!chosen)
      throw InputError("wind source " + wind_source +
                       " is not in the L2 product (give --wspd-manual or another source)");
    w.speed = std::hypot(chosen->u10, chosen->v10);
    w.direction = meteorological_direction(chosen->u10, chosen->v10);
    if (!std::isfinite(w.speed))
      throw InputError("wind source " + wind_source +
                       " has no wind over the plume (missing reanalysis file at L2 time?)");
  }
  if (sp_manual) {
    if (!(*sp_manual > 0)) throw InputError("a manual surface pressure must be positive (Pa)");
    w.surface_pressure = *sp_manual;
  } else {
    if (sp_n == 0)
      throw InputError(
          "no surface pressure over the plume (GEOS-FP missing at L2 time); give --sp-manual");
    w.surface_pressure = sp_sum / sp_n;
  }
  return w;
}

}  // namespace hyperplume::emission
