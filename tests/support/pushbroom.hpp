#pragma once
// A small analytic pushbroom for geolocation tests: pixels of `gsd` metres on a rotated grid
// around (lat0, lon0), seen at a fixed view zenith and to-sensor azimuth, so a point at
// height h appears displaced by h tan(vza) away from the sensor (terrain parallax).
#include <cmath>
#include <functional>
#include <hyperplume/geo/rpc.hpp>
#include <utility>
#include <vector>

namespace hyperplume::test {

struct Pushbroom {
  double lat0 = 46.3, lon0 = 7.4, gsd = 30.0, heading_deg = 12.0;
  double vza_deg = 18.0, vaa_deg = 102.0;  // to-sensor azimuth
  static constexpr double kMetresPerDegree = 111319.49;
  static constexpr double kRad = 3.14159265358979323846 / 180.0;

  double cos_lat() const { return std::cos(lat0 * kRad); }
  // Ground (east, north, m) of (line, sample) at height 0.
  std::pair<double, double> ground0(double line, double samp) const {
    const double s = std::sin(heading_deg * kRad), c = std::cos(heading_deg * kRad);
    // Lines along the heading, samples to its right.
    return {gsd * (line * s + samp * c), gsd * (line * c - samp * s)};
  }
  std::pair<double, double> line_samp0(double east, double north) const {
    const double s = std::sin(heading_deg * kRad), c = std::cos(heading_deg * kRad);
    return {(east * s + north * c) / gsd, (east * c - north * s) / gsd};
  }
  std::pair<double, double> parallax(double h) const {  // shift of the apparent position, m
    const double d = h * std::tan(vza_deg * kRad);
    return {-d * std::sin(vaa_deg * kRad), -d * std::cos(vaa_deg * kRad)};
  }
  std::pair<double, double> lonlat(double east, double north) const {
    return {lon0 + east / (kMetresPerDegree * cos_lat()), lat0 + north / kMetresPerDegree};
  }
  std::pair<double, double> east_north(double lon, double lat) const {
    return {(lon - lon0) * kMetresPerDegree * cos_lat(), (lat - lat0) * kMetresPerDegree};
  }
  // Where the sensor sees the ground point.
  std::pair<double, double> image_of(double lat, double lon, double h) const {
    auto [e, n] = east_north(lon, lat);
    const auto [de, dn] = parallax(h);
    return line_samp0(e + de, n + dn);
  }
  // What an RPC is fitted to: points on the lines of sight of the pixels (lines and samples
  // from first to last in steps), at each height.
  std::vector<geo::RpcSample> rpc_samples(int first_line, int last_line, int line_step,
                                          int first_samp, int last_samp, int samp_step,
                                          const std::vector<double>& heights) const {
    std::vector<geo::RpcSample> samples;
    for (double h : heights)
      for (int line = first_line; line <= last_line; line += line_step)
        for (int samp = first_samp; samp <= last_samp; samp += samp_step) {
          const auto [e, n] = ground0(line, samp);
          const auto [lon, lat] = lonlat(e, n);
          const auto [l, s] = image_of(lat, lon, h);
          samples.push_back({lat, lon, h, l, s});
        }
    return samples;
  }
  // The terrain point a pixel centre sees, on terrain `height(lon, lat)`.
  std::pair<double, double> lonlat_seen(double line, double samp,
                                        const std::function<double(double, double)>& height) const {
    const auto [e0, n0] = ground0(line, samp);
    double e = e0, n = n0;
    for (int k = 0; k < 50; ++k) {
      const auto [lon, lat] = lonlat(e, n);
      const auto [de, dn] = parallax(height(lon, lat));
      e = e0 - de;
      n = n0 - dn;
    }
    return lonlat(e, n);
  }
};

}  // namespace hyperplume::test
