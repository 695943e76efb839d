#pragma once
// The campaign's weather: one continuous field of 10 m wind and surface pressure in
// space and time, anchored at the scenes so each site sees the wind drawn for it. The
// reanalysis-like ancillary files sample this field on their grids; the truth sidecars
// evaluate it exactly at the sources. A retrieval that interpolates the files recovers
// the truth up to interpolation error, as with real reanalyses.
#include <cstdint>
#include <vector>

namespace hyperplume::synth {

struct WeatherAnchor {
  double lon, lat, unix_time;
  double u10, v10;          // m/s
  double surface_pressure;  // Pa
};

struct WeatherSample {
  double u10, v10, surface_pressure;
};

class Weather {
 public:
  explicit Weather(std::vector<WeatherAnchor> anchors) : anchors_(std::move(anchors)) {}
  WeatherSample at(double lon, double lat, double unix_time) const;
  const std::vector<WeatherAnchor>& anchors() const { return anchors_; }

 private:
  std::vector<WeatherAnchor> anchors_;
};

// Meteorological convention: direction the wind blows from, degrees CW from north.
double wind_direction_from(double u, double v);
void wind_components(double speed, double direction_from, double& u, double& v);

}  // namespace hyperplume::synth
