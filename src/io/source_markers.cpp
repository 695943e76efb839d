#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_http.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <limits>
#include <memory>

namespace hyperplume::io {

namespace {

// GDAL would print its errors to stderr; they belong in our message instead. All of them: the
// last alone is often the least telling ("Failed to read GeoJSON data").
class GdalErrors {
 public:
  GdalErrors() { CPLPushErrorHandlerEx(&collect, this); }
  ~GdalErrors() { CPLPopErrorHandler(); }
  GdalErrors(const GdalErrors&) = delete;
  GdalErrors& operator=(const GdalErrors&) = delete;

  bool any() const { return !text_.empty(); }
  std::string suffix() const { return any() ? ": " + text_ : ""; }

 private:
  static void CPL_STDCALL collect(CPLErr level, CPLErrorNum, const char* message) {
    if (level < CE_Failure) return;
    auto* self = static_cast<GdalErrors*>(CPLGetErrorHandlerUserData());
    self->text_ += (self->text_.empty() ? "" : "; ") + std::string(message);
  }
  std::string text_;
};

// A GeoJSON "crs" member of type "link" or "url" makes OGR fetch the CRS over HTTP: a marker
// file must never reach the network (nor hang on an unreachable host). While this is alive,
// every HTTP request of GDAL in this thread fails, with a message naming the URL.
class NoNetwork {
 public:
  NoNetwork() { CPLHTTPPushFetchCallback(&refuse, nullptr); }
  ~NoNetwork() { CPLHTTPPopFetchCallback(); }
  NoNetwork(const NoNetwork&) = delete;
  NoNetwork& operator=(const NoNetwork&) = delete;

 private:
  static CPLHTTPResult* refuse(const char* url, CSLConstList, GDALProgressFunc, void*,
                               CPLHTTPFetchWriteFunc, void*, void*) {
    CPLError(CE_Failure, CPLE_AppDefined, "refusing to fetch %s: marker files are read offline",
             url ? url : "(null)");
    auto* result = static_cast<CPLHTTPResult*>(CPLCalloc(1, sizeof(CPLHTTPResult)));
    result->nStatus = -1;
    result->pszErrBuf = CPLStrdup("network access is disabled while reading source markers");
    return result;
  }
};

// GeoJSON's spelling, the one the user wrote ("LineString", not OGR's "Line String").
std::string geojson_type(const OGRGeometry& geometry) {
  switch (wkbFlatten(geometry.getGeometryType())) {
    case wkbPoint:
      return "Point";
    case wkbLineString:
      return "LineString";
    case wkbPolygon:
      return "Polygon";
    case wkbMultiPoint:
      return "MultiPoint";
    case wkbMultiLineString:
      return "MultiLineString";
    case wkbMultiPolygon:
      return "MultiPolygon";
    case wkbGeometryCollection:
      return "GeometryCollection";
    default:
      return geometry.getGeometryName();
  }
}

// Empty when `feature` is a usable Point; else the reason, naming the feature.
std::string point_problem(const OGRFeature& feature, int index) {
  const std::string which =
      "feature " + std::to_string(index) + " (plume" + std::to_string(index) + ")";
  const OGRGeometry* geometry = feature.GetGeometryRef();
  if (!geometry) return which + " has no geometry";
  if (wkbFlatten(geometry->getGeometryType()) != wkbPoint)
    return which + " is a " + geojson_type(*geometry) + ", not a Point";
  if (geometry->IsEmpty()) return which + " is an empty Point";
  const auto* point = geometry->toPoint();
  const double lon = point->getX(), lat = point->getY();
  if (!(std::abs(lon) <= 180.0 && std::abs(lat) <= 90.0))
    return which + " has coordinates out of range (lon " + std::to_string(lon) + ", lat " +
           std::to_string(lat) + ")";
  return {};
}

}  // namespace

std::vector<SourceMarker> read_source_markers(const std::string& path) {
  gdal_register_once();
  if (!std::filesystem::exists(path))
    throw InputError("source marker file is missing", ErrorContext{path, {}, {}});
  GdalErrors errors;
  const NoNetwork offline;
  // Only the GeoJSON driver: a TopoJSON or ESRI JSON file is not a marker file.
  const char* const drivers[] = {"GeoJSON", nullptr};
  std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> dataset(
      static_cast<GDALDataset*>(
          GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr)),
      [](GDALDataset* d) { GDALClose(d); });
  if (!dataset || dataset->GetLayerCount() != 1)
    throw InputError("not a GeoJSON FeatureCollection" + errors.suffix(),
                     ErrorContext{path, {}, {}});

  // The plume index is the position in the file, not the FID: OGR takes the FID from a
  // feature's "id" member when there is one. Sequential reading follows the file.
  std::vector<SourceMarker> markers;
  OGRLayer* layer = dataset->GetLayer(0);
  layer->ResetReading();
  while (OGRFeatureUniquePtr feature{layer->GetNextFeature()}) {
    SourceMarker marker;
    marker.index = static_cast<int>(markers.size());
    marker.problem = point_problem(*feature, marker.index);
    if (marker.problem.empty()) {
      marker.longitude = feature->GetGeometryRef()->toPoint()->getX();
      marker.latitude = feature->GetGeometryRef()->toPoint()->getY();
    } else {
      marker.longitude = marker.latitude = std::numeric_limits<double>::quiet_NaN();
    }
    markers.push_back(std::move(marker));
  }
  // GetNextFeature() ends with null on a read error as at the end of the file: tell them apart.
  if (errors.any())
    throw InputError("cannot read the source markers" + errors.suffix(),
                     ErrorContext{path, {}, {}});
  return markers;
}

}  // namespace hyperplume::io
