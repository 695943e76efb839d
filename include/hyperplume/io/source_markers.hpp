#pragma once
// Plume source markers: HyperGas's `<L2 stem>.geojson`, a Leaflet.Draw FeatureCollection of
// Points [lon, lat] (WGS 84). The position of a feature in the file is its plume index:
// the first feature marks plume0. Written by synth::write_markers for synthetic campaigns.
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace hyperplume::io {

struct SourceMarker {
  int index = 0;                       // position in the file: plume<index>
  double longitude = 0, latitude = 0;  // NaN when the marker is unusable
  std::string problem;                 // empty when usable, else why this marker cannot be used
  // "file": placed by a person; "auto": a detector candidate (its `origin` property).
  std::string origin = "file";
  double score = std::numeric_limits<double>::quiet_NaN();  // a candidate's `score`
};

struct MarkerFile {
  std::vector<SourceMarker> markers;
  bool automatic = false;  // written by the detector (named kAutoMarkersName)
};

// One marker per feature, in file order. A feature that is not a usable Point keeps its place
// (so later markers keep their plume numbers) and says why in `problem`. Throws InputError
// naming the file when it is missing or is not GeoJSON (malformed or truncated JSON). A lone
// Feature or geometry is read as a collection of one.
// A feature's `origin` and `score` properties are read when present; in a detector's file every
// marker is "auto".
MarkerFile read_marker_file(const std::string& path);
std::vector<SourceMarker> read_source_markers(const std::string& path);  // its markers

// The detector's marker files: a FeatureCollection whose GeoJSON "name" member (OGR's layer
// name) is this; its Points carry origin "auto", score and the diagnostics behind it. A file
// that an analyst edited and exported again (from HyperGas's app or any GIS) loses the name
// and is theirs from then on.
inline constexpr const char* kAutoMarkersName = "hyperplume_detect";
struct AutoMarker {
  double longitude = 0, latitude = 0, score = 0;
  std::vector<std::pair<std::string, double>> diagnostics;  // NaN written as null
};
// Atomically: a reader never sees half a file. `about`: text members of the collection
// (source_l2, software, ...), after its name.
void write_auto_markers(const std::string& path, const std::vector<AutoMarker>& markers,
                        const std::vector<std::pair<std::string, std::string>>& about);

}  // namespace hyperplume::io
