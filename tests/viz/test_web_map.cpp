// The map page as text: what the C++ side promises (self-contained, the data escaped so it
// cannot end its <script>, errors naming the missing Leaflet file). What the page does in a
// browser is tests/browser/check_map.py's job.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/viz/image.hpp>
#include <hyperplume/viz/web_map.hpp>
#include <limits>
#include <string>

#include "support/fixtures.hpp"

using namespace hyperplume;
using namespace hyperplume::viz;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A stand-in Leaflet: the tests of the page's own text need not depend on Debian's copy.
struct FakeLeaflet {
  test::TempDir dir{"web-map"};
  explicit FakeLeaflet(const std::string& js = "window.L = {fake: 'LEAFLET_JS'};\n//# sourceMappingURL=leaflet-src.js.map\n",
                       const std::string& css = ".leaflet-fake { color: red; } /* LEAFLET_CSS */") {
    if (!js.empty()) std::ofstream(dir.str("leaflet.js")) << js;
    if (!css.empty()) std::ofstream(dir.str("leaflet.css")) << css;
  }
};

std::string tiny_png() {
  RgbaImage image(2, 3);
  image.at(1, 2) = {255, 0, 0, 255};
  return encode_png(image);
}

MapScene scene_with(std::vector<std::string> variables) {
  MapScene s;
  s.start_time = "2023-08-14T17:27:59Z";
  s.sensor = "EMIT";
  s.l2_stem = "EMIT_L2B_CH4_001_20230814T172759_2322601_001";
  for (std::size_t i = 0; i < variables.size(); ++i) {
    MapOverlay o;
    o.variable = variables[i];
    o.png = tiny_png();
    o.bounds = {32.5, -104.4, 32.6, -104.2};
    o.opacity = variables[i] == "rgb" ? 0.9 : 0.7;
    o.shown = i + 2 == variables.size();  // as the caller does: the second-to-last
    s.overlays.push_back(o);
  }
  s.swath_outline = {{32.5, -104.4}, {32.5, -104.2}, {32.6, -104.2}, {32.6, -104.4}};
  s.winds = {{"ERA5", 3, 4}, {"GEOS-FP", -2, 1}};
  return s;
}

MapPage page_with(MapScene scene) {
  MapPage page;
  page.title = "facility_01 <map>";
  page.scenes.push_back(std::move(scene));
  return page;
}

// The data script's text: window.HYPERPLUME_MAP = {...};
std::string data_of(const std::string& html) {
  const auto begin = html.find("window.HYPERPLUME_MAP = ");
  REQUIRE(begin != std::string::npos);
  const auto end = html.find("</script>", begin);
  REQUIRE(end != std::string::npos);
  return html.substr(begin, end - begin);
}

}  // namespace

TEST_CASE("web map: Debian's Leaflet and the page's own script are inlined; nothing is fetched", "[viz]") {
  const std::string html = render_map_html(page_with(scene_with({"rgb", "ch4", "ch4_comb_denoise", "ch4_mask"})),
                                           default_leaflet_dir());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("Leaflet") != std::string::npos);              // leaflet.js's banner
  CHECK(html.find(".leaflet-container") != std::string::npos);   // leaflet.css
  CHECK(html.find("hyperplumeExportGeoJSON") != std::string::npos);  // web_map.js
  CHECK(count(html, "<script>") == 3);
  CHECK(count(html, "</script>") == 3);
  CHECK(html.find("<script src") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("sourceMappingURL") == std::string::npos);
  CHECK(html.find("<title>facility_01 &lt;map&gt;</title>") != std::string::npos);
}

TEST_CASE("web map: the data names every group, variable and wind; the second-to-last is shown", "[viz]") {
  const FakeLeaflet leaflet;
  const MapScene s = scene_with({"rgb", "radiance_2100", "ch4", "ch4_comb", "ch4_comb_denoise", "ch4_mask"});
  const std::string data = data_of(render_map_html(page_with(s), leaflet.dir.str()));
  CHECK(data.find(R"("start_time":"2023-08-14T17:27:59Z","sensor":"EMIT")") != std::string::npos);
  CHECK(data.find(R"("l2_stem":"EMIT_L2B_CH4_001_20230814T172759_2322601_001")") != std::string::npos);
  for (const auto& o : s.overlays) {
    INFO(o.variable);
    CHECK(count(data, "\"variable\":\"" + o.variable + "\"") == 1);
  }
  CHECK(count(data, R"("shown":true)") == 1);
  const auto shown = data.find(R"("shown":true)");
  CHECK(data.rfind(R"("variable":")", shown) == data.find(R"("variable":"ch4_comb_denoise")"));
  CHECK(data.find(R"({"source":"ERA5","u":3,"v":4})") != std::string::npos);
  CHECK(data.find(R"({"source":"GEOS-FP","u":-2,"v":1})") != std::string::npos);
  CHECK(data.find(R"("bounds":[[32.5,-104.4],[32.6,-104.2]])") != std::string::npos);
  CHECK(data.find(R"("opacity":0.9)") != std::string::npos);
  CHECK(data.find(R"("swath_outline":[[32.5,-104.4],[32.5,-104.2],[32.6,-104.2],[32.6,-104.4]])") != std::string::npos);
  CHECK(data.find(png_data_url(tiny_png())) != std::string::npos);
  CHECK(data.find(R"("source_circle":null)") != std::string::npos);
  CHECK(data.find(R"("show_markers":false,"marker_tools":true)") != std::string::npos);
}

TEST_CASE("web map: a marker file's text cannot end the page's script", "[viz]") {
  const FakeLeaflet leaflet;
  MapScene s = scene_with({"rgb", "ch4"});
  s.markers_geojson = R"({"type": "FeatureCollection", "features": [], "x": "</script><script>alert(1)</SCRIPT><!--"})";
  const std::string html = render_map_html(page_with(s), leaflet.dir.str());
  CHECK(count(html, "</script>") == 3);  // only the page's own three elements end
  CHECK(html.find("</SCRIPT>") == std::string::npos);
  CHECK(html.find("<!--") == std::string::npos);
  const std::string data = data_of(html);
  CHECK(data.find(R"(\"x\": \"<\/script><script>alert(1)<\/SCRIPT>\u003c!--\"})") != std::string::npos);
}

TEST_CASE("web map: JSON strings escaped; bad UTF-8 replaced; NaN is null", "[viz]") {
  const FakeLeaflet leaflet;
  MapScene s = scene_with({"ch4"});
  s.notes = {std::string("tab\there \"quoted\" back\\slash\nnew line \x01 latin1 \xE9 ok \xC3\xA9 sep \xE2\x80\xA8")};
  s.winds = {{"ERA5", std::numeric_limits<double>::quiet_NaN(), 1.5}};
  s.source_circle = MapCircle{32.55, -104.3, 100};
  const std::string data = data_of(render_map_html(page_with(s), leaflet.dir.str()));
  CHECK(data.find(R"("notes":["tab\there \"quoted\" back\\slash\nnew line \u0001 latin1 \ufffd ok )"
                  "\xC3\xA9"
                  R"( sep \u2028"])") != std::string::npos);
  CHECK(data.find(R"({"source":"ERA5","u":null,"v":1.5})") != std::string::npos);
  CHECK(data.find(R"("source_circle":{"lat":32.55,"lon":-104.3,"radius_m":100})") != std::string::npos);
}

TEST_CASE("web map: a missing Leaflet file is an InputError naming it", "[viz]") {
  SECTION("no directory") {
    const test::TempDir dir("web-map-none");
    const std::string missing = dir.str("nowhere");
    try {
      (void)render_map_html(page_with(scene_with({"ch4"})), missing);
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.context().file == missing + "/leaflet.js");
      CHECK(std::string(e.what()).find("libjs-leaflet") != std::string::npos);
    }
  }
  SECTION("no leaflet.css") {
    const FakeLeaflet leaflet("window.L = {};", "");
    try {
      (void)render_map_html(page_with(scene_with({"ch4"})), leaflet.dir.str());
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(e.context().file == leaflet.dir.str("leaflet.css"));
    }
  }
  SECTION("a library that would end its own element is refused, not inlined broken") {
    const FakeLeaflet leaflet("var s = '</script>';");
    CHECK_THROWS_AS(render_map_html(page_with(scene_with({"ch4"})), leaflet.dir.str()), InputError);
  }
}

TEST_CASE("web map: HYPERPLUME_LEAFLET_DIR replaces Debian's directory", "[viz]") {
  const char* before = std::getenv("HYPERPLUME_LEAFLET_DIR");
  const std::string saved = before ? before : "";
  ::setenv("HYPERPLUME_LEAFLET_DIR", "/opt/leaflet", 1);
  CHECK(default_leaflet_dir() == "/opt/leaflet");
  ::unsetenv("HYPERPLUME_LEAFLET_DIR");
  CHECK(default_leaflet_dir() == "/usr/share/javascript/leaflet");
  if (before) ::setenv("HYPERPLUME_LEAFLET_DIR", saved.c_str(), 1);
}
