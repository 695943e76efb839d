#pragma once
// Coordinate reference systems from PROJ's local database (through GDAL's OSR): offline.
#include <string>

namespace hyperplume::io {

// WKT1 (GDAL's flavour, what its netCDF driver reads from `spatial_ref`) of an EPSG code.
std::string wkt_of_epsg(int epsg);
// The CRS name, e.g. "WGS 84 / UTM zone 14N".
std::string name_of_epsg(int epsg);

}  // namespace hyperplume::io
