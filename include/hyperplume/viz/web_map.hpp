#pragma once
// The analyst's map: one self-contained HTML page (Leaflet from Debian's libjs-leaflet
// inlined, every picture a data URL) with a layer group per L2 product and a sub-layer per
// variable, swath outlines, draggable wind arrows, and the marker tools that write the
// `<L2 stem>.geojson` file `hyperplume l3` reads. Opens from a local file with no network:
// the online base layers simply stay blank offline, the scene's own RGB is the offline base.
#include <array>
#include <hyperplume/viz/web_mercator.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hyperplume::viz {

struct MapOverlay {
  std::string variable;  // e.g. "ch4_comb_denoise"
  std::string png;       // PNG bytes on the overlay's Mercator grid
  LatLonBounds bounds;
  double opacity = 0.7;  // 0.9 for rgb
  bool shown = false;    // the second-to-last variable is shown on open
};

struct MapWind {
  std::string source;  // "ERA5", "GEOS-FP"
  double u = 0, v = 0;  // scene-mean 10 m wind (m/s)
};

struct MapCircle {
  double latitude = 0, longitude = 0, radius_m = 100;
};

struct MapScene {
  std::string start_time;  // ISO 8601, the group's name "<start_time> group (<sensor>)"
  std::string sensor;
  std::string l2_stem;     // the marker file is <l2_stem>.geojson
  std::vector<MapOverlay> overlays;
  std::vector<std::array<double, 2>> swath_outline;  // (lat, lon) ring; empty: none
  std::vector<MapWind> winds;
  std::string markers_geojson;  // the marker file's text ("" when there is none)
  std::string markers_error;    // why the marker file could not be read ("" when it could)
  std::vector<std::string> notes;  // e.g. "no variable ch4_comb in the L2"
  std::optional<MapCircle> source_circle;  // the plume page's 100 m circle
};

struct MapPage {
  std::string title;
  std::vector<MapScene> scenes;
  bool show_markers = false;  // --plot-markers: existing markers drawn
  bool marker_tools = true;   // add / drag / delete / load / export
};

// The page. `leaflet_dir` holds leaflet.js and leaflet.css (Debian:
// /usr/share/javascript/leaflet); InputError naming the file when one is missing.
std::string render_map_html(const MapPage& page, const std::string& leaflet_dir);

// Text made safe inside HTML elements and quoted attributes (& < > ").
std::string html_escape(std::string_view text);

// Debian's Leaflet directory, or $HYPERPLUME_LEAFLET_DIR when set.
std::string default_leaflet_dir();

}  // namespace hyperplume::viz
