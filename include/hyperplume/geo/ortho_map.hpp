#pragma once
// Orthorectification as a precomputed gather: for every pixel of the UTM grid, the sensor
// pixel that sees it (nearest neighbour, as HyperGas resamples everywhere), found once per
// scene and applied to every field. How the sensor pixel is found is a SourceLocator:
//  - GltLocator (EMIT): the granule's geographic lookup table;
//  - later, RPC + DEM (EnMAP) and GCP polynomial (PRISMA) locators wrapping GDAL's
//    transformers fill the same index map, and everything downstream stays as it is.
// Pure compute, no files.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/scene.hpp>
#include <hyperplume/geo/utm_grid.hpp>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace hyperplume::geo {

// Target points handed to a locator: one row of the UTM grid, pixel centres.
struct TargetPoints {
  std::span<const double> x, y;      // UTM, m
  std::span<const double> lon, lat;  // degrees
};

class SourceLocator {
 public:
  virtual ~SourceLocator() = default;
  // Written into the product's descriptions: "glt", "rpc", "gcp" or "none".
  virtual std::string method() const = 0;
  // Row-major index of the sensor pixel seeing each point, or -1.
  virtual void locate(const TargetPoints& points, std::span<std::int64_t> source) const = 0;
};

// EMIT: the GLT cell containing the point gives the 1-based (row, column) of the sensor
// pixel; 0 or the -9999 fill = none; negative entries (nearest-neighbour infill in NASA's
// products) are taken by absolute value. `hypergas` reproduces HyperGas instead: entries
// ≠ 0 used as they are, negative ones indexing from the end (and out-of-range = none).
class GltLocator : public SourceLocator {
 public:
  GltLocator(const Glt& glt, int source_rows, int source_cols, bool hypergas = false);
  std::string method() const override { return "glt"; }
  void locate(const TargetPoints& points, std::span<std::int64_t> source) const override;

 private:
  const Glt& glt_;
  int rows_, cols_;
  bool hypergas_;
};

// A sensor whose lat/lon per pixel are known (EnMAP: its RPC over the DEM; PRISMA: its
// geolocation arrays) and whose GLT was built from them: the GLT's pixel is the first guess,
// then the pixel centre nearest the point among its neighbours is taken (steps to a
// neighbour while one is nearer), so each grid pixel gets its nearest sensor pixel rather
// than the nearest of a nearest. `method` names where the lat/lon came from ("rpc").
class GeolocationLocator : public SourceLocator {
 public:
  GeolocationLocator(const Glt& glt, const Raster<double>& lat, const Raster<double>& lon,
                     std::string method);
  std::string method() const override { return method_; }
  void locate(const TargetPoints& points, std::span<std::int64_t> source) const override;

 private:
  GltLocator glt_;
  const Raster<double>& lat_;
  const Raster<double>& lon_;
  std::string method_;
};

class OrthoMap {
 public:
  // Locates every grid pixel (threads share rows; the result does not depend on them).
  OrthoMap(const UtmGrid& grid, const SourceLocator& locator, int source_rows, int source_cols,
           int threads = 1);

  const UtmGrid& grid() const { return grid_; }
  const std::string& method() const { return method_; }
  // Pixel-centre geolocation of the grid (inverse UTM), degrees.
  const Raster<double>& longitude() const { return lon_; }
  const Raster<double>& latitude() const { return lat_; }
  // Row-major sensor index per grid pixel, -1 = no data.
  const std::vector<std::int64_t>& source() const { return source_; }

  // A sensor-geometry field on the grid; `fill` where no sensor pixel is seen.
  template <class T>
  Raster<T> apply(const Raster<T>& field, T fill) const;
  template <class T>
  Raster<T> apply(const Raster<T>& field) const {
    return apply(field, std::numeric_limits<T>::quiet_NaN());
  }

 private:
  UtmGrid grid_;
  std::string method_;
  int source_rows_, source_cols_;
  Raster<double> lon_, lat_;
  std::vector<std::int64_t> source_;
};

}  // namespace hyperplume::geo
