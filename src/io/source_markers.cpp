#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_http.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <cstdio>
#include <hyperplume/io/atomic_file.hpp>
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

MarkerFile read_marker_file(const std::string& path) {
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
  MarkerFile file;
  std::vector<SourceMarker>& markers = file.markers;
  OGRLayer* layer = dataset->GetLayer(0);
  file.automatic = std::string(layer->GetName()) == kAutoMarkersName;
  const int origin_field = layer->GetLayerDefn()->GetFieldIndex("origin");
  const int score_field = layer->GetLayerDefn()->GetFieldIndex("score");
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
    if (file.automatic) marker.origin = "auto";
    else if (origin_field >= 0 && feature->IsFieldSetAndNotNull(origin_field))
      marker.origin = feature->GetFieldAsString(origin_field) == std::string("auto") ? "auto" : "file";
    if (score_field >= 0 && feature->IsFieldSetAndNotNull(score_field))
      marker.score = feature->GetFieldAsDouble(score_field);
    markers.push_back(std::move(marker));
  }
  // GetNextFeature() ends with null on a read error as at the end of the file: tell them apart.
  if (errors.any())
    throw InputError("cannot read the source markers" + errors.suffix(),
                     ErrorContext{path, {}, {}});
  return file;
}

std::vector<SourceMarker> read_source_markers(const std::string& path) {
  return read_marker_file(path).markers;
}

namespace {
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') out += std::string("\\") + ch;
    else if (c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      out += b;
    } else out += ch;
  }
  return out + "\"";
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}
}  // namespace

void write_auto_markers(const std::string& path, const std::vector<AutoMarker>& markers,
                        const std::vector<std::pair<std::string, std::string>>& about) {
  std::string t = "{\n\"type\": \"FeatureCollection\",\n\"name\": " + json_string(kAutoMarkersName) + ",\n";
  for (const auto& [k, v] : about) t += json_string(k) + ": " + json_string(v) + ",\n";
  t += "\"features\": [";
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const AutoMarker& m = markers[i];
    t += std::string(i ? "," : "") + "\n{\"type\": \"Feature\", \"properties\": {\"origin\": \"auto\", \"score\": " +
         json_number(m.score);
    for (const auto& [k, v] : m.diagnostics) t += ", " + json_string(k) + ": " + json_number(v);
    t += "}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [" + json_number(m.longitude) + ", " +
         json_number(m.latitude) + "]}}";
  }
  t += "\n]\n}\n";
  write_text_atomically(path, t);
}

}  // namespace hyperplume::io
