#pragma once
// The wind and surface pressure an emission estimate uses: from the plume-mean 10 m wind of
// each reanalysis source (the speed of the mean vector, not the mean speed), or the user's
// measured values.
#include <optional>
#include <string>
#include <vector>

namespace hyperplume::emission {

// Plume means of one source (NaN where the source has nothing, e.g. sp in ERA5).
struct SourceWind {
  std::string source;  // ERA5, GEOS-FP, ...
  double u10 = 0, v10 = 0, surface_pressure = 0;
};

struct WindUsed {
  double speed = 0;             // m/s
  double direction = 0;         // meteorological: from, degrees clockwise from north
  double surface_pressure = 0;  // Pa
  bool manual_speed = false;    // a measured speed: no wind error
  std::vector<std::string> source_all;
  std::vector<double> speed_all, direction_all;
};

// (270 - atan2(v, u)) mod 360, in degrees.
double meteorological_direction(double u, double v);

// InputError when the chosen source is not in the L2 or has no wind over the plume (and no
// manual speed), or when no source has a surface pressure (and no manual one): the estimate
// would be NaN.
WindUsed choose_wind(const std::vector<SourceWind>& sources, const std::string& wind_source,
                     std::optional<double> wspd_manual, std::optional<double> sp_manual);

}  // namespace hyperplume::emission
