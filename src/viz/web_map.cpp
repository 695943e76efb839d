// The map page: Leaflet and the page's own script and style inlined, the data as one JSON
// object the script builds the map from. C++ only serialises; everything interactive lives in
// web_map.js, where a browser test can exercise it.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/viz/image.hpp>
#include <hyperplume/viz/web_map.hpp>
#include <sstream>
#include <string_view>
#include <web_map_assets.hpp>

namespace hyperplume::viz {
namespace {

// ---- JSON ---------------------------------------------------------------------------------

// Length of the well-formed UTF-8 sequence starting at s[i], 0 when it is not one. Marker
// files are user text: a stray Latin-1 byte must become U+FFFD, not invalid JSON.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  const std::size_t n = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  const unsigned char second = byte(i + 1);
  if (lead == 0xE0 && second < 0xA0) return 0;  // overlong
  if (lead == 0xED && second >= 0xA0) return 0;  // UTF-16 surrogate
  if (lead == 0xF0 && second < 0x90) return 0;  // overlong
  if (lead == 0xF4 && second >= 0x90) return 0;  // beyond U+10FFFF
  return n;
}

// The escape for one ASCII character, or "" when it goes in as it is. Besides JSON's own,
// "</" and "<!--" are escaped: the JSON sits inside a <script>, which the HTML parser ends at
// the first "</script" whatever the JavaScript around it means.
std::string_view ascii_escape(std::string_view s, std::size_t i) {
  switch (s[i]) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '<':
      if (s.substr(i + 1, 1) == "/") return "<\\";  // then the '/' follows: "<\/"
      if (s.substr(i + 1, 3) == "!--") return "\\u003c";
      return {};
    default: return {};
  }
}

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (const std::string_view e = ascii_escape(s, i); !e.empty()) {
      out += e;
      ++i;
    } else if (c < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned>(c));
      out += b;
      ++i;
    } else if (const std::size_t n = utf8_sequence_length(s, i); n == 0) {
      out += "\\ufffd";
      ++i;
    } else if (s.substr(i, n) == "\u2028" || s.substr(i, n) == "\u2029") {
      // Valid JSON, but line terminators in JavaScript before ES2019.
      out += s.substr(i, n) == "\u2028" ? "\\u2028" : "\\u2029";
      i += n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  out += '"';
}

std::string json_string(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s);
  return out;
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";  // JSON has no NaN; the script treats null as absent
  char b[32];
  std::snprintf(b, sizeof b, "%.12g", v);
  return b;
}

std::string json_bool(bool v) { return v ? "true" : "false"; }

// Members in the order they are added; values are JSON text already.
class JsonObject {
 public:
  JsonObject& add(std::string_view key, const std::string& json) {
    text_ += text_.size() > 1 ? "," : "";
    append_json_string(text_, key);
    text_ += ':';
    text_ += json;
    return *this;
  }
  std::string str() const { return text_ + "}"; }

 private:
  std::string text_ = "{";
};

template <class T, class ToJson>
std::string json_array(const std::vector<T>& items, ToJson&& to_json) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + to_json(items[i]);
  return out + "]";
}

std::string latlon_json(double lat, double lon) { return "[" + json_number(lat) + "," + json_number(lon) + "]"; }

// Leaflet's order: [[south, west], [north, east]].
std::string bounds_json(const LatLonBounds& b) {
  return "[" + latlon_json(b.south, b.west) + "," + latlon_json(b.north, b.east) + "]";
}

std::string overlay_json(const MapOverlay& o) {
  return JsonObject()
      .add("variable", json_string(o.variable))
      .add("url", json_string(png_data_url(o.png)))
      .add("bounds", bounds_json(o.bounds))
      .add("opacity", json_number(o.opacity))
      .add("shown", json_bool(o.shown))
      .str();
}

std::string wind_json(const MapWind& w) {
  return JsonObject().add("source", json_string(w.source)).add("u", json_number(w.u)).add("v", json_number(w.v)).str();
}

std::string circle_json(const std::optional<MapCircle>& c) {
  if (!c) return "null";
  return JsonObject()
      .add("lat", json_number(c->latitude))
      .add("lon", json_number(c->longitude))
      .add("radius_m", json_number(c->radius_m))
      .str();
}

std::string scene_json(const MapScene& s) {
  const auto point = [](const std::array<double, 2>& p) { return latlon_json(p[0], p[1]); };
  const auto text = [](const std::string& t) { return json_string(t); };
  return JsonObject()
      .add("start_time", json_string(s.start_time))
      .add("sensor", json_string(s.sensor))
      .add("l2_stem", json_string(s.l2_stem))
      .add("overlays", json_array(s.overlays, overlay_json))
      .add("swath_outline", json_array(s.swath_outline, point))
      .add("winds", json_array(s.winds, wind_json))
      .add("markers_geojson", json_string(s.markers_geojson))
      .add("markers_error", json_string(s.markers_error))
      .add("notes", json_array(s.notes, text))
      .add("source_circle", circle_json(s.source_circle))
      .str();
}

std::string page_json(const MapPage& page) {
  return JsonObject()
      .add("title", json_string(page.title))
      .add("show_markers", json_bool(page.show_markers))
      .add("marker_tools", json_bool(page.marker_tools))
      .add("scenes", json_array(page.scenes, scene_json))
      .str();
}

// ---- HTML ---------------------------------------------------------------------------------

std::string read_leaflet_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError("cannot read Leaflet's " + path.filename().string() +
                         " (install libjs-leaflet, or set HYPERPLUME_LEAFLET_DIR to a directory holding "
                         "leaflet.js and leaflet.css)",
                     ErrorContext{path.string(), {}, {}});
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Debian's leaflet.js and leaflet.css end with a source map comment naming a file beside
// them; inlined, the page has no such file, and developer tools would ask for it.
// `start` opens the comment and `end` closes it ("\n" for a line comment).
std::string without_source_map(std::string text, std::string_view start, std::string_view end) {
  const auto at = text.rfind(start);
  if (at == std::string::npos) return text;
  const auto close = text.find(end, at);
  text.erase(at, close == std::string::npos ? std::string::npos : close + end.size() - at);
  return text;
}

// Library text goes into the page verbatim (rewriting JavaScript is not safe), so text that
// would end its element early is refused rather than producing a broken page.
const std::string& inlinable(const std::string& text, std::string_view closing_tag, const std::string& file) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find(closing_tag) != std::string::npos)
    throw InputError("contains \"" + std::string(closing_tag) + "\" and cannot be inlined in the page",
                     ErrorContext{file, {}, {}});
  return text;
}

std::string style_element(const std::string& css) { return "<style>\n" + css + "\n</style>\n"; }
std::string script_element(const std::string& js) { return "<script>\n" + js + "\n</script>\n"; }

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_map_html(const MapPage& page, const std::string& leaflet_dir) {
  const std::filesystem::path dir(leaflet_dir);
  const std::string js_file = (dir / "leaflet.js").string(), css_file = (dir / "leaflet.css").string();
  const std::string leaflet_js = without_source_map(read_leaflet_file(js_file), "//# sourceMappingURL=", "\n");
  const std::string leaflet_css = without_source_map(read_leaflet_file(css_file), "/*# sourceMappingURL=", "*/");
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>" + html_escape(page.title) + "</title>\n";
  html += style_element(inlinable(leaflet_css, "</style", css_file));
  html += style_element(assets::kWebMapCss);
  html += "</head>\n<body>\n<div id=\"hp-map\"></div>\n";
  html += script_element(inlinable(leaflet_js, "</script", js_file));
  html += script_element("window.HYPERPLUME_MAP = " + page_json(page) + ";");
  html += script_element(assets::kWebMapJs);
  html += "</body>\n</html>\n";
  return html;
}

std::string default_leaflet_dir() {
  const char* dir = std::getenv("HYPERPLUME_LEAFLET_DIR");
  return dir && *dir ? dir : "/usr/share/javascript/leaflet";
}

}  // namespace hyperplume::viz
