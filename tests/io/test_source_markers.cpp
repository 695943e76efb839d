#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <hyperplume/synth/ancillary.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

namespace {

std::string write_file(const test::TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.str(name);
  std::ofstream(path) << text;
  return path;
}

std::string feature(const std::string& geometry) {
  return R"({"type": "Feature", "properties": {}, "geometry": )" + geometry + "}";
}

std::string collection(const std::string& features) {
  return R"({"type": "FeatureCollection", "features": [)" + features + "]}";
}

// What the process writes to file descriptor 2 while `run` runs (GDAL writes there, not to
// std::cerr).
template <class F>
std::string stderr_of(F&& run) {
  std::fflush(stderr);
  std::FILE* capture = std::tmpfile();
  const int saved = ::dup(2);
  ::dup2(::fileno(capture), 2);
  try {
    run();
  } catch (...) {
  }
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::rewind(capture);
  std::string text;
  for (int c; (c = std::fgetc(capture)) != EOF;) text += static_cast<char>(c);
  std::fclose(capture);
  return text;
}

}  // namespace

TEST_CASE("markers written by the synthetic generator read back in order", "[io]") {
  test::TempDir dir("markers");
  std::vector<synth::SourceTruth> sources(3);
  sources[0].lon = -104.2312345, sources[0].lat = 32.4212345;
  sources[1].lon = 45.5, sources[1].lat = -12.25;
  sources[2].lon = 179.9, sources[2].lat = 0.0;
  const std::string path = dir.str("EMIT_L2B_CH4_001.geojson");
  synth::write_markers(path, sources);

  const auto markers = io::read_source_markers(path);
  REQUIRE(markers.size() == 3);
  for (int i = 0; i < 3; ++i) {
    const auto& m = markers[static_cast<std::size_t>(i)];
    CHECK(m.index == i);
    CHECK(m.problem.empty());
    CHECK(m.longitude == Approx(sources[static_cast<std::size_t>(i)].lon).margin(1e-7));
    CHECK(m.latitude == Approx(sources[static_cast<std::size_t>(i)].lat).margin(1e-7));
  }
}

TEST_CASE("a marker that is not a Point keeps its place and says why", "[io]") {
  test::TempDir dir("markers");
  const std::string path =
      write_file(dir, "mixed.geojson",
                 collection(feature(R"({"type": "Point", "coordinates": [10.0, 20.0]})") + ", " +
                            feature(R"({"type": "LineString", "coordinates": [[1, 2], [3, 4]]})") +
                            ", " + feature("null") + ", " +
                            feature(R"({"type": "Point", "coordinates": [11.0, 21.0]})")));

  const auto markers = io::read_source_markers(path);
  REQUIRE(markers.size() == 4);
  CHECK(markers[0].problem.empty());
  CHECK(markers[0].longitude == 10.0);
  CHECK(markers[1].index == 1);
  CHECK_THAT(markers[1].problem, Catch::Contains("feature 1") && Catch::Contains("LineString") &&
                                     Catch::Contains("not a Point"));
  CHECK(std::isnan(markers[1].longitude));
  CHECK(std::isnan(markers[1].latitude));
  CHECK_THAT(markers[2].problem, Catch::Contains("no geometry"));
  CHECK(markers[3].index == 3);
  CHECK(markers[3].problem.empty());
  CHECK(markers[3].longitude == 11.0);
  CHECK(markers[3].latitude == 21.0);
}

TEST_CASE("a marker with latitude beyond 90 degrees is unusable", "[io]") {
  test::TempDir dir("markers");
  const std::string path =
      write_file(dir, "range.geojson",
                 collection(feature(R"({"type": "Point", "coordinates": [10.0, 95.0]})") + ", " +
                            feature(R"({"type": "Point", "coordinates": [-181.0, 5.0]})") + ", " +
                            feature(R"({"type": "Point", "coordinates": [-180.0, -90.0]})")));

  const auto markers = io::read_source_markers(path);
  REQUIRE(markers.size() == 3);
  CHECK_THAT(markers[0].problem, Catch::Contains("out of range"));
  CHECK(std::isnan(markers[0].latitude));
  CHECK_THAT(markers[1].problem, Catch::Contains("out of range"));
  CHECK(markers[2].problem.empty());
}

TEST_CASE("plume numbers follow the file, not the features' ids", "[io]") {
  test::TempDir dir("markers");
  const std::string path =
      write_file(dir, "ids.geojson",
                 collection(R"({"type": "Feature", "id": 7, "properties": {}, "geometry": )"
                            R"({"type": "Point", "coordinates": [7, 7]}}, )"
                            R"({"type": "Feature", "id": 2, "properties": {}, "geometry": )"
                            R"({"type": "Point", "coordinates": [2, 2]}}, )"
                            R"({"type": "Feature", "id": 5, "properties": {}, "geometry": )"
                            R"({"type": "Point", "coordinates": [5, 5]}})"));

  const auto markers = io::read_source_markers(path);
  REQUIRE(markers.size() == 3);
  CHECK(markers[0].longitude == 7);
  CHECK(markers[1].longitude == 2);
  CHECK(markers[2].longitude == 5);
}

TEST_CASE("an empty FeatureCollection has no markers", "[io]") {
  test::TempDir dir("markers");
  CHECK(io::read_source_markers(write_file(dir, "empty.geojson", collection(""))).empty());
}

TEST_CASE("truncated JSON is an input error naming the file, quietly", "[io]") {
  test::TempDir dir("markers");
  const std::string full =
      collection(feature(R"({"type": "Point", "coordinates": [10.0, 20.0]})") + ", " +
                 feature(R"({"type": "Point", "coordinates": [11.0, 21.0]})"));
  const std::string path = write_file(dir, "truncated.geojson", full.substr(0, full.size() / 2));

  CHECK_THROWS_MATCHES(io::read_source_markers(path), InputError,
                       Catch::Matchers::Predicate<InputError>([&](const InputError& e) {
                         return std::string(e.what()).find("truncated.geojson") !=
                                    std::string::npos &&
                                e.context().file == path;
                       }));
  CHECK(stderr_of([&] { io::read_source_markers(path); }).empty());
  CHECK(stderr_of([&] { io::read_source_markers(write_file(dir, "junk.geojson", "{]")); }).empty());
}

TEST_CASE("a missing marker file is an input error naming the file", "[io]") {
  test::TempDir dir("markers");
  CHECK_THROWS_AS(io::read_source_markers(dir.str("none.geojson")), InputError);
  CHECK_THROWS_WITH(io::read_source_markers(dir.str("none.geojson")),
                    Catch::Contains("none.geojson"));
}

TEST_CASE("the detector's marker files read back as automatic, with origin and score", "[io]") {
  test::TempDir dir("auto_markers");
  const std::string path = dir.str("scene.geojson");
  io::write_auto_markers(path,
                         {{-104.25, 32.5, 0.93, {{"sum_z", 41.5}, {"spectral_r", std::nan("")}}},
                          {-104.2, 32.45, 0.61, {}}},
                         {{"source_l2", "EMIT_L2B_x.nc"}, {"note", "a \"quoted\"\nline"}});
  const io::MarkerFile f = io::read_marker_file(path);
  CHECK(f.automatic);
  REQUIRE(f.markers.size() == 2);
  CHECK(f.markers[0].origin == "auto");
  CHECK(f.markers[0].score == Approx(0.93));
  CHECK(f.markers[0].longitude == Approx(-104.25));
  CHECK(f.markers[1].latitude == Approx(32.45));
  CHECK(f.markers[1].index == 1);
  // None written: still the detector's file, an empty one.
  io::write_auto_markers(path, {}, {});
  CHECK(io::read_marker_file(path).automatic);
  CHECK(io::read_marker_file(path).markers.empty());
}

TEST_CASE("an analyst's file is not automatic; a feature's origin property is read", "[io]") {
  test::TempDir dir("analyst_markers");
  const std::string path = write_file(
      dir, "scene.geojson",
      collection(feature(R"({"type": "Point", "coordinates": [1, 2]})") + ", " +
                 R"({"type": "Feature", "properties": {"origin": "auto", "score": 0.7}, "geometry": {"type": "Point", "coordinates": [3, 4]}})"));
  const io::MarkerFile f = io::read_marker_file(path);
  CHECK_FALSE(f.automatic);
  REQUIRE(f.markers.size() == 2);
  CHECK(f.markers[0].origin == "file");
  CHECK(std::isnan(f.markers[0].score));
  CHECK(f.markers[1].origin == "auto");  // an accepted candidate kept in an analyst's file
  CHECK(f.markers[1].score == Approx(0.7));
}
