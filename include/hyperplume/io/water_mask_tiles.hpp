#pragma once
// Land/water segmentation from the OSM + ESA WorldCover water-mask tiles (5 x 5 degree
// GeoTIFFs named by their south-west corner, n40e045.tif, 1 = water). Each pixel takes the
// tile cell containing its centre (direct grid indexing, no KD-tree); only the window of a
// tile that the swath covers is read.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <string>

namespace hyperplume::io {

// 1 = land, 0 = water (HyperGas's segmentation convention). North of 85 N is water and
// south of 85 S land, as in the tile set. Throws InputError naming a missing tile.
Raster<std::int32_t> land_mask_from_tiles(const std::string& tile_dir, const Raster<double>& lat,
                                          const Raster<double>& lon);

}  // namespace hyperplume::io
