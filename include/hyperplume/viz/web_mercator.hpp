#pragma once
// Leaflet stretches an image overlay linearly between the Web Mercator (EPSG:3857)
// projections of its south-west and north-east corners, so a georeferenced overlay is a
// regular grid in Web Mercator. This resamples an L2 picture from its UTM grid onto such a
// grid, nearest neighbour, at the product's native resolution (a pixel of res / cos(lat)
// Mercator metres is res metres on the ground at the grid's centre latitude).
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/geo/transverse_mercator.hpp>
#include <hyperplume/viz/image.hpp>
#include <vector>

namespace hyperplume::viz {

struct LatLonBounds {
  double south = 0, west = 0, north = 0, east = 0;
};

// A regular UTM grid: pixel centres x(col) = x0 + col * dx, y(row) = y0 + row * dy.
struct UtmPixelGrid {
  int rows = 0, cols = 0;
  double x0 = 0, y0 = 0, dx = 1, dy = -1;
};

struct MercatorGrid {
  int rows = 0, cols = 0;
  double west = 0, north = 0;  // Mercator metres of the outer corner
  double pixel = 1;            // Mercator metres per pixel
  LatLonBounds bounds;         // the overlay bounds Leaflet is given
  // Pixel centre (row, col) -> lon/lat (degrees).
  void lonlat(int row, int col, double& lon, double& lat) const;
};

double mercator_x(double lon_deg);
double mercator_y(double lat_deg);
double mercator_lon(double x);
double mercator_lat(double y);

// The grid covering the finite lat/lon of `valid` pixels at ground resolution res_m.
// `max_pixels` caps the size (coarser pixels beyond it).
MercatorGrid mercator_grid_for(const Raster<double>& latitude, const Raster<double>& longitude,
                               double res_m, std::int64_t max_pixels = 64'000'000);

// For every Mercator pixel (row-major), the index of the nearest UTM pixel, -1 outside.
std::vector<std::int64_t> mercator_resampling(const MercatorGrid& target, const UtmPixelGrid& source,
                                              const geo::TransverseMercator& projection);

// The picture on the Mercator grid (transparent where the index is -1).
RgbaImage resample(const RgbaImage& source, const std::vector<std::int64_t>& index, const MercatorGrid& target);

}  // namespace hyperplume::viz
