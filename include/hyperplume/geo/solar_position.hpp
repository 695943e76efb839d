#pragma once
// Solar zenith and azimuth (NOAA solar calculator, after Meeus), accurate to ~0.01 degree
// for 1900-2100, and the Earth-Sun distance table of the resources.
#include <hyperplume/core/time.hpp>
#include <string>
#include <vector>

namespace hyperplume::geo {

struct SolarAngles {
  double zenith = 0;   // degrees from zenith (no refraction)
  double azimuth = 0;  // degrees clockwise from north, to-sun
};

SolarAngles solar_position(const UtcTime& t, double lat_deg, double lon_deg);

// resources/solar/earth_sun_distance.txt: day of year -> distance (AU).
class EarthSunDistance {
 public:
  static EarthSunDistance load(const std::string& path);
  double au(int day_of_year) const;

 private:
  std::vector<double> au_;  // index = day_of_year - 1
};

}  // namespace hyperplume::geo
