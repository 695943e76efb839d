// Markers on a real (synthetic) L2 product: several markers on one plume make it once, and a
// marker far from every a-priori label fails instead of being moved into a plume kilometres
// away (the default profile); the hypergas profile keeps HyperGas's "no limit".
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/app/app.hpp>
#include <hyperplume/core/config.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <hyperplume/pipeline/l2_reader.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/synth/campaign_writer.hpp>
#include <limits>
#include <numbers>
#include <sstream>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {

struct LonLat {
  double lon, lat;
};

// The background pixel centre farthest from every labelled pixel (1 km from the edges).
LonLat farthest_from_labels(const pipeline::L2Scene& s) {
  const auto rows = static_cast<int>(s.mask.rows()), cols = static_cast<int>(s.mask.cols());
  const double pixel = s.resolution();
  const int margin = static_cast<int>(std::ceil(1000 / pixel));
  double best = -1;
  LonLat out{};
  for (int r = margin; r < rows - margin; ++r)
    for (int c = margin; c < cols - margin; ++c) {
      if (s.mask(r, c) != 0 || !std::isfinite(s.longitude(r, c))) continue;
      double nearest = std::numeric_limits<double>::infinity();
      for (int rr = 0; rr < rows; ++rr)
        for (int cc = 0; cc < cols; ++cc)
          if (s.mask(rr, cc) > 0) nearest = std::min(nearest, std::hypot(rr - r, cc - c) * pixel);
      if (nearest > best) best = nearest, out = {s.longitude(r, c), s.latitude(r, c)};
    }
  return out;
}

void write_markers(const std::string& path, const std::vector<LonLat>& markers) {
  std::ostringstream json;
  json.precision(10);
  json << R"({"type": "FeatureCollection", "features": [)";
  for (std::size_t k = 0; k < markers.size(); ++k)
    json << (k ? ", " : "") << R"({"type": "Feature", "properties": {}, "geometry": )"
         << R"({"type": "Point", "coordinates": [)" << markers[k].lon << ", " << markers[k].lat
         << "]}}";
  json << "]}";
  std::ofstream(path) << json.str();
}

}  // namespace

TEST_CASE("markers on one plume make it once; a marker far from every label fails",
          "[pipeline]") {
  const test::TempDir dir("l3-markers");
  synth::SynthOptions o = test::single_scene_options(3, 128, 128);
  o.out_dir = dir.str("l1");
  o.emission_min = 8000;
  o.emission_max = 12000;
  o.threads = 2;
  synth::CampaignWriteOptions w;
  w.water_posting = 2e-4;
  const auto campaign = synth::write_campaign(o, test::resources(), w);
  REQUIRE(app::run_command({"l2", "--root", dir.str("l1"), "--config-overlay",
                            campaign.config_path, "--log-level", "warn"}) == app::kExitOk);
  const std::string l2 = pipeline::l2_path_for(campaign.scenes[0].rad_path);
  const auto truth = io::read_source_markers(pipeline::markers_path_for(l2));
  REQUIRE(truth.size() == 1);
  const pipeline::L2Scene scene = pipeline::read_l2_for_plumes(l2, "ch4");
  REQUIRE((scene.mask > 0.0f).count() > 0);  // the source's plume is in the a-priori mask

  // plume0 at the source, plume1 10 m east of it, plume2 far from every label, plume3 at
  // the source again.
  const LonLat source{truth[0].longitude, truth[0].latitude};
  constexpr double kMetresPerDegree = 6371e3 * std::numbers::pi / 180;
  const double metre_lon = 1 / (kMetresPerDegree * std::cos(source.lat * std::numbers::pi / 180));
  const LonLat beside{source.lon + 10 * metre_lon, source.lat};
  const LonLat far = farthest_from_labels(scene);
  write_markers(pipeline::markers_path_for(l2), {source, beside, far, source});

  pipeline::L3Options options;
  options.land_only = false;
  const Config config = default_config();
  const auto made = pipeline::process_plumes(l2, config, options, nullptr);
  REQUIRE(made.plumes.size() == 4);
  const auto& p = made.plumes;
  CHECK(p[0].error.empty());
  CHECK(fs::exists(p[0].csv_path));
  for (const int k : {1, 3}) {
    INFO("plume" << k);
    CHECK(p[k].same_as == 0);
    CHECK_THAT(p[k].error, Catch::Matchers::StartsWith("same plume as plume0"));
    CHECK_FALSE(fs::exists(p[k].csv_path));
    CHECK_FALSE(fs::exists(p[k].l3_path));
  }
  CHECK(p[2].same_as == -1);
  CHECK_THAT(p[2].error, Catch::Matchers::Contains("from the nearest a-priori plume label") &&
                             Catch::Matchers::Contains("limit of 360 m"));
  CHECK_FALSE(fs::exists(p[2].csv_path));

  // HyperGas moves every marker into the nearest label however far: plume2 is plume0 too.
  options.hypergas = true;
  options.profile = "hypergas";
  options.label_max_distance = std::numeric_limits<double>::infinity();
  const auto hypergas = pipeline::process_plumes(l2, config, options, nullptr);
  CHECK(hypergas.plumes[0].error.empty());
  for (const int k : {1, 2, 3}) {
    INFO("hypergas plume" << k);
    CHECK(hypergas.plumes[k].same_as == 0);
    CHECK_FALSE(fs::exists(hypergas.plumes[k].csv_path));
  }
}

TEST_CASE("--markers chooses between an analyst's file and the detector's candidates", "[pipeline]") {
  test::TempDir dir("marker_choice");
  const std::string l2 = dir.str("EMIT_L2B_001_20230814T100819_2322607_004.nc");
  const std::string own = pipeline::markers_path_for(l2), beside = pipeline::auto_markers_path_for(l2);
  pipeline::L3Options o;
  auto files = [&](pipeline::MarkerChoice c) {
    o.markers_from = c;
    return pipeline::marker_files_for(l2, o);
  };
  using C = pipeline::MarkerChoice;
  using V = std::vector<std::string>;
  CHECK(files(C::prefer_file).empty());
  CHECK(pipeline::detection_output_for(l2) == own);  // nobody's file yet: the detector's goes there
  // The detector's file at <stem>.geojson.
  io::write_auto_markers(own, {{1, 2, 0.9, {}}}, {});
  CHECK(files(C::prefer_file) == V{own});
  CHECK(files(C::automatic) == V{own});
  CHECK(files(C::file).empty());
  CHECK(files(C::both) == V{own});
  CHECK(pipeline::detection_output_for(l2) == own);  // its own file is replaced
  // An analyst's file there: the detector's goes beside it.
  std::ofstream(own) << R"({"type": "FeatureCollection", "features": []})";
  CHECK(pipeline::detection_output_for(l2) == beside);
  CHECK(files(C::prefer_file) == V{own});
  CHECK(files(C::automatic).empty());
  io::write_auto_markers(beside, {{1, 2, 0.9, {}}}, {});
  CHECK(files(C::automatic) == V{beside});
  CHECK(files(C::both) == (V{own, beside}));
  CHECK(files(C::file) == V{own});
  // A file that does not parse is an analyst's: never replaced, its error reported by l3.
  std::ofstream(own) << "{]";
  CHECK(pipeline::detection_output_for(l2) == beside);
  CHECK(files(C::file) == V{own});
  const std::string before = pipeline::markers_checksum(l2, o);
  std::ofstream(own) << R"({"type": "FeatureCollection", "features": []})";
  CHECK(pipeline::markers_checksum(l2, o) != before);
}
