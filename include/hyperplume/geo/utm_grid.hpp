#pragma once
// The common target grid of orthorectification: a north-up UTM grid covering a swath at
// its native ground sampling.
//  - zone: that of the swath centre (HyperGas takes the first PROJ match for the swath's
//    bounding box: the westernmost intersecting zone, northern if the box reaches north of
//    the equator; `hypergas_zone` reproduces it);
//  - resolution: as GDAL's suggested warp output for a geolocation-array swath, the
//    projected distance along the swath diagonal over the pixels along it;
//  - extent: the projected swath pixel centres, one pixel of margin on every side.
// Pure geometry, no files.
#include <hyperplume/core/raster.hpp>
#include <hyperplume/geo/transverse_mercator.hpp>

namespace hyperplume::geo {

struct UtmZone {
  int zone = 31;
  bool north = true;
  int epsg() const { return (north ? 32600 : 32700) + zone; }
};

UtmZone utm_zone_of(double lon_deg, double lat_deg);
// HyperGas: the first UTM CRS (ascending EPSG) whose area of use meets the box.
UtmZone hypergas_zone(double min_lon, double min_lat, double max_lon, double max_lat);

struct UtmGrid {
  UtmZone zone;
  double x0 = 0, y0 = 0;  // upper-left outer corner, m
  double resolution = 0;  // m, square pixels
  int width = 0, height = 0;
  TransverseMercator projection() const { return TransverseMercator::utm(zone.zone, zone.north); }
  GeoTransform transform() const { return {{x0, resolution, 0, y0, 0, -resolution}}; }
  double x(int col) const { return x0 + (col + 0.5) * resolution; }  // pixel centres
  double y(int row) const { return y0 - (row + 0.5) * resolution; }
};

struct UtmGridOptions {
  bool hypergas_zone = false;
  double resolution = 0;  // m; 0 = from the geolocation
};

// From the swath's per-pixel geolocation (degrees; non-finite pixels ignored).
UtmGrid utm_grid_for_swath(const Raster<double>& longitude, const Raster<double>& latitude,
                           const UtmGridOptions& options = {});

}  // namespace hyperplume::geo
