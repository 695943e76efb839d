#pragma once
// 2-D fields: row-major Eigen arrays (row = y/downtrack, col = x/crosstrack), and a
// georeferenced field on a regular grid (GDAL geotransform + CRS).
#include <Eigen/Core>
#include <array>
#include <string>

namespace hyperplume {

template <class T>
using Raster = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// GDAL convention: x = gt[0] + col*gt[1] + row*gt[2]; y = gt[3] + col*gt[4] + row*gt[5],
// for the pixel *corner*; the centre of (row, col) is at (col + 0.5, row + 0.5).
struct GeoTransform {
  std::array<double, 6> gt{0, 1, 0, 0, 0, -1};
  double x(double col, double row) const { return gt[0] + col * gt[1] + row * gt[2]; }
  double y(double col, double row) const { return gt[3] + col * gt[4] + row * gt[5]; }
};

template <class T>
struct GeoField {
  Raster<T> values;
  GeoTransform transform;
  std::string crs_wkt;  // empty = not georeferenced on a regular grid (swath geometry)
};

}  // namespace hyperplume

#include <cmath>
#include <limits>

namespace hyperplume {

// Mean of the finite values (NaN if there are none), accumulated in double.
template <class T>
double nan_mean(const Raster<T>& r) {
  double s = 0;
  std::size_t n = 0;
  for (Eigen::Index i = 0; i < r.size(); ++i)
    if (std::isfinite(static_cast<double>(r.data()[i]))) {
      s += static_cast<double>(r.data()[i]);
      ++n;
    }
  return n ? s / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace hyperplume
