#pragma once
// Land/water segmentation from coastline polygons (GSHHS level-1 shorelines or Natural
// Earth 'land', as shapefile, GeoPackage or any OGR vector format): the polygons that
// meet the swath's bounding box are rasterised with GDAL onto a lon/lat grid of
// `resolution` degrees and every pixel takes the cell containing its centre. Level-1
// shorelines only: lakes count as land, as in HyperGas.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <string>

namespace hyperplume::io {

// 1 = land (inside any polygon), 0 = water. InputError names an unreadable file.
Raster<std::int32_t> land_mask_from_polygons(const std::string& vector_path,
                                             const Raster<double>& lat, const Raster<double>& lon,
                                             double resolution = 2e-4);

}  // namespace hyperplume::io
