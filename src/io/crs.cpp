#include <ogr_spatialref.h>

#include <hyperplume/core/error.hpp>
#include <hyperplume/io/crs.hpp>

namespace hyperplume::io {
namespace {
OGRSpatialReference from_epsg(int epsg) {
  OGRSpatialReference srs;
  if (srs.importFromEPSG(epsg) != OGRERR_NONE)
    throw InputError("EPSG:" + std::to_string(epsg) + " is not in the PROJ database");
  return srs;
}
}  // namespace

std::string wkt_of_epsg(int epsg) {
  char* wkt = nullptr;
  from_epsg(epsg).exportToWkt(&wkt);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

std::string name_of_epsg(int epsg) {
  const char* name = from_epsg(epsg).GetName();
  return name ? name : "";
}

}  // namespace hyperplume::io
