#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/utm_grid.hpp>
#include <limits>

namespace hyperplume::geo {

UtmZone utm_zone_of(double lon_deg, double lat_deg) {
  const double lon = std::remainder(lon_deg, 360.0);  // [-180, 180]
  const int zone = std::clamp(static_cast<int>(std::floor((lon + 180.0) / 6.0)) + 1, 1, 60);
  return {zone, lat_deg >= 0};
}

UtmZone hypergas_zone(double min_lon, double /*min_lat*/, double /*max_lon*/, double max_lat) {
  // Northern zones (326xx) come first in EPSG order; their area of use starts at the equator.
  return {utm_zone_of(min_lon, 0).zone, max_lat >= 0};
}

UtmGrid utm_grid_for_swath(const Raster<double>& lon, const Raster<double>& lat,
                           const UtmGridOptions& o) {
  const Eigen::Index rows = lon.rows(), cols = lon.cols();
  double min_lon = std::numeric_limits<double>::infinity(), max_lon = -min_lon;
  double min_lat = min_lon, max_lat = -min_lon;
  for (Eigen::Index i = 0; i < lon.size(); ++i)
    if (std::isfinite(lon.data()[i]) && std::isfinite(lat.data()[i])) {
      min_lon = std::min(min_lon, lon.data()[i]), max_lon = std::max(max_lon, lon.data()[i]);
      min_lat = std::min(min_lat, lat.data()[i]), max_lat = std::max(max_lat, lat.data()[i]);
    }
  if (!(min_lon <= max_lon) || rows < 2 || cols < 2)
    throw InputError("orthorectification: the swath has no valid geolocation");

  UtmGrid g;
  const Eigen::Index rc = rows / 2, cc = cols / 2;
  const bool centre_ok = std::isfinite(lon(rc, cc)) && std::isfinite(lat(rc, cc));
  g.zone = o.hypergas_zone ? hypergas_zone(min_lon, min_lat, max_lon, max_lat)
           : centre_ok     ? utm_zone_of(lon(rc, cc), lat(rc, cc))
                           : utm_zone_of(0.5 * (min_lon + max_lon), 0.5 * (min_lat + max_lat));
  const TransverseMercator tm = g.projection();

  double min_x = std::numeric_limits<double>::infinity(), max_x = -min_x;
  double min_y = min_x, max_y = -min_x;
  for (Eigen::Index i = 0; i < lon.size(); ++i) {
    if (!std::isfinite(lon.data()[i]) || !std::isfinite(lat.data()[i])) continue;
    double x = 0, y = 0;
    tm.forward(lon.data()[i], lat.data()[i], x, y);
    min_x = std::min(min_x, x), max_x = std::max(max_x, x);
    min_y = std::min(min_y, y), max_y = std::max(max_y, y);
  }
  g.resolution = o.resolution;
  if (!(g.resolution > 0)) {
    double x_a = 0, y_a = 0, x_b = 0, y_b = 0;
    tm.forward(lon(0, 0), lat(0, 0), x_a, y_a);
    tm.forward(lon(rows - 1, cols - 1), lat(rows - 1, cols - 1), x_b, y_b);
    double diagonal = std::hypot(x_b - x_a, y_b - y_a);
    if (!(diagonal > 0)) diagonal = std::hypot(max_x - min_x, max_y - min_y);
    g.resolution =
        diagonal / std::hypot(static_cast<double>(cols - 1), static_cast<double>(rows - 1));
  }
  if (!(g.resolution > 0))
    throw InputError("orthorectification: cannot derive a resolution from the geolocation");
  g.x0 = min_x - g.resolution;
  g.y0 = max_y + g.resolution;
  g.width = static_cast<int>(std::ceil((max_x - min_x) / g.resolution)) + 2;
  g.height = static_cast<int>(std::ceil((max_y - min_y) / g.resolution)) + 2;
  return g;
}

}  // namespace hyperplume::geo
