#pragma once
// Pushbroom swath geometry of an EMIT-like imager on the ISS: rows along the flight
// direction, columns to the right of it, ground sampling growing off-nadir with the
// scan angle, optional roll. Positions are in the site's local east/north frame. With a
// terrain, a pixel sees where its line of sight meets the ground: a point at height h
// appears h tan(view zenith) away from the sensor (the parallax an RPC over a DEM undoes);
// without one (EMIT, whose products carry their own terrain-corrected GLT) the ground is
// taken flat.
#include <hyperplume/core/time.hpp>
#include <hyperplume/geo/local_frame.hpp>
#include <functional>
#include <utility>

namespace hyperplume::synth {

struct SwathParams {
  double centre_east = 0, centre_north = 0;  // m, scene centre in the site frame
  double heading_deg = 0;                    // flight direction, degrees CW from north
  int rows = 0, cols = 0;
  double gsd = 60.0;          // m, nadir ground sampling distance
  double altitude = 410.0e3;  // m, ISS
  double roll_deg = 0.0;      // platform roll; positive looks right of track
  UtcTime start;
  double line_time = 60.0 / 7200.0;  // s per row at ~7.2 km/s ground speed
  std::function<double(double east, double north)> terrain;  // m; empty: no parallax
};

struct ViewGeometry {
  double zenith;       // degrees
  double azimuth;      // to-sensor, degrees CW from north
  double path_length;  // m
};

class SwathGeometry {
 public:
  explicit SwathGeometry(const SwathParams& p);

  const SwathParams& params() const { return p_; }
  int rows() const { return p_.rows; }
  int cols() const { return p_.cols; }

  // The ground point the pixel sees (on the terrain, if there is one).
  geo::EastNorth pixel_en(double row, double col) const;
  // The point at `height` on the pixel's line of sight.
  geo::EastNorth pixel_en(double row, double col, double height) const;
  // Inverse of pixel_en: fractional (row, col) of a ground point (on the terrain), or of a
  // point at `height`.
  std::pair<double, double> pixel_of(double east, double north) const;
  std::pair<double, double> pixel_of(double east, double north, double height) const;
  double along_gsd() const { return p_.gsd; }
  double cross_gsd(double col) const;
  ViewGeometry view(double col) const;
  UtcTime row_time(double row) const { return p_.start.plus_seconds(row * p_.line_time); }
  UtcTime end_time() const { return row_time(p_.rows); }

 private:
  double scan_angle(double col) const;  // radians, roll included
  // Horizontal shift of a point at `height` away from the sensor, seen from column `col`.
  geo::EastNorth parallax(double col, double height) const;
  geo::EastNorth flat_en(double row, double col) const;
  std::pair<double, double> flat_of(double east, double north) const;
  SwathParams p_;
  double sin_h_, cos_h_, ifov_, tan_roll_;
};

// Ground-track heading (degrees CW from north) of an orbit of inclination `incl_deg`
// crossing latitude `lat_deg`, ascending or descending.
double orbit_heading(double lat_deg, double incl_deg, bool ascending);

}  // namespace hyperplume::synth
