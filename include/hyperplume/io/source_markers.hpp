#pragma once
// Plume source markers: HyperGas's `<L2 stem>.geojson`, a Leaflet.Draw FeatureCollection of
// Points [lon, lat] (WGS 84). The position of a feature in the file is its plume index:
// the first feature marks plume0. Written by synth::write_markers for synthetic campaigns.
#include <string>
#include <vector>

namespace hyperplume::io {

struct SourceMarker {
  int index = 0;                       // position in the file: plume<index>
  double longitude = 0, latitude = 0;  // NaN when the marker is unusable
  std::string problem;                 // empty when usable, else why this marker cannot be used
};

// One marker per feature, in file order. A feature that is not a usable Point keeps its place
// (so later markers keep their plume numbers) and says why in `problem`. Throws InputError
// naming the file when it is missing or is not GeoJSON (malformed or truncated JSON). A lone
// Feature or geometry is read as a collection of one.
std::vector<SourceMarker> read_source_markers(const std::string& path);

}  // namespace hyperplume::io
