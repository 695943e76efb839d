#pragma once
// Ground positions of an RPC sensor's pixels through GDAL's RPC transformer over a DEM
// (RPC_DEM): the one place HyperPlume inverts an RPC. The DEM comes from a local directory
// of Copernicus GLO-30 tiles (Copernicus_DSM_COG_10_N46_00_E007_00_DEM.tif, one per
// degree, as HyperGas downloads them), or one GeoTIFF/VRT; heights are geoid heights, 0
// where the DEM has no data (over the sea, as HyperGas). No network.
#include <hyperplume/core/raster.hpp>
#include <hyperplume/geo/rpc.hpp>
#include <string>
#include <vector>

namespace hyperplume::io {

// The Copernicus GLO-30 tile name of the degree square whose south-west corner is (lat, lon).
std::string copernicus_tile_name(int lat, int lon);

// The DEM covering [lon0, lon1] x [lat0, lat1]: `dem` itself if it is a file (GeoTIFF or
// VRT), else the Copernicus tiles of that box in the directory `dem`, each of which must
// be there (InputError naming the missing tile and the directory). Returns the paths.
std::vector<std::string> dem_files_for(const std::string& dem, double lon0, double lat0,
                                       double lon1, double lat1);

struct PixelGround {
  Raster<double> lat, lon, height;  // per pixel centre; height above the geoid, m
  std::string dem;                  // what the heights came from, for the product
};

// Every pixel centre of a rows x cols image seen through `rpc`. With DEM files: on the DEM
// (RPC_DEM, bilinear); with none, at the RPC's height offset (paths.dem_dir = none). InputError
// (naming `what`, the granule) if the RPC does not invert at a pixel.
PixelGround locate_rpc_pixels(const geo::Rpc& rpc, int rows, int cols,
                              const std::vector<std::string>& dem_files, const std::string& what);

}  // namespace hyperplume::io
