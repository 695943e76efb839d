#pragma once
// GDAL-backed raster writers: GRIB2 messages (ERA5-like wind files) and sparse, tiled
// byte GeoTIFFs (water-mask tiles). All outputs are written atomically.
#include <cstdint>
#include <functional>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/time.hpp>
#include <string>
#include <vector>

namespace hyperplume::io {

void gdal_register_once();

// One GRIB2 message on a regular lon/lat grid (product definition template 4.0).
struct Grib2Field {
  Raster<double> values;   // north-up rows
  GeoTransform transform;  // EPSG:4326, pixel-corner convention
  int category = 2;        // code table 4.1 (2 = momentum)
  int number = 2;          // code table 4.2 (2 = u-component, 3 = v-component of wind)
  int surface_type = 103;  // code table 4.5 (103 = specified height above ground)
  int surface_value = 10;  // m
  UtcTime reference_time;  // analysis time of the field
};

// Writes the messages in order into one file (a GRIB file is a sequence of messages).
void write_grib2(const std::string& path, const std::vector<Grib2Field>& fields);

// A byte GeoTIFF of width x height on `transform` (EPSG:4326), tiled 512 x 512 and
// DEFLATE-compressed; blocks never written stay sparse (read back as 0). `fill_block`
// is called for every block in [bx0, bx1) x [by0, by1) of the block grid and returns
// false if the block is all zero (then nothing is written for it).
using BlockFiller = std::function<bool(int x0, int y0, int w, int h, std::uint8_t* out)>;
void write_sparse_byte_geotiff(const std::string& path, int width, int height,
                               const GeoTransform& transform, int bx0, int by0, int bx1, int by1,
                               const BlockFiller& fill_block);
inline constexpr int kGeoTiffBlock = 512;

// A float32 GeoTIFF (EPSG:4326, DEFLATE, tiled), e.g. a DEM tile; `nodata` recorded if finite.
void write_float_geotiff(const std::string& path, const Raster<float>& values,
                         const GeoTransform& transform, double nodata);

}  // namespace hyperplume::io
