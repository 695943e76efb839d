// The second retrieval pass: L3 plumes in sensor geometry, the later pass against a fresh
// retrieval with the same mask, the filter rule of a later pass, the L3 files of an L2.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/ortho_map.hpp>
#include <hyperplume/image/calibrated_tv.hpp>
#include <hyperplume/pipeline/l2_reprocess.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/pipeline/l4_table.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
// A grid of 8 x 8 cells over 4 x 4 sensor pixels, two cells a side per pixel, except that
// sensor pixel (1, 2) is shown by no cell: its cells show (1, 1) instead.
class BlockLocator : public geo::SourceLocator {
 public:
  explicit BlockLocator(const geo::UtmGrid& grid) : grid_(grid) {}
  std::string method() const override { return "test"; }
  void locate(const geo::TargetPoints& pts, std::span<std::int64_t> source) const override {
    for (std::size_t i = 0; i < pts.x.size(); ++i) {
      const int c = static_cast<int>(std::floor((pts.x[i] - grid_.x0) / grid_.resolution)) / 2;
      const int r = static_cast<int>(std::floor((grid_.y0 - pts.y[i]) / grid_.resolution)) / 2;
      source[i] = (r == 1 && c == 2) ? 1 * 4 + 1 : r * 4 + c;
    }
  }

 private:
  geo::UtmGrid grid_;
};

geo::UtmGrid test_grid() {
  geo::UtmGrid g;
  g.zone = {13, true};
  g.x0 = 500000;
  g.y0 = 3540000;
  g.resolution = 60;
  g.width = 8;
  g.height = 8;
  return g;
}

void write_text(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
}  // namespace

TEST_CASE("L3 plumes in sensor geometry: the index map's inverse, gaps from their neighbours",
          "[pipeline]") {
  const geo::UtmGrid grid = test_grid();
  const BlockLocator locator(grid);
  const geo::OrthoMap map(grid, locator, 4, 4, 1);
  Raster<std::uint8_t> plume = Raster<std::uint8_t>::Zero(8, 8);
  plume(2, 2) = 1;  // one cell of sensor pixel (1, 1)
  plume(7, 7) = 1;  // one cell of sensor pixel (3, 3)
  const Raster<std::uint8_t> s = pipeline::exclusion_in_sensor_geometry(plume, map, 4, 4);
  CHECK(s(1, 1) == 1);
  CHECK(s(3, 3) == 1);
  CHECK(s(1, 2) == 1);  // shown by no cell, beside a plume pixel
  CHECK(s.cast<int>().sum() == 3);
  // A gap far from any plume stays in the statistics.
  plume.setZero();
  plume(7, 7) = 1;
  const Raster<std::uint8_t> t = pipeline::exclusion_in_sensor_geometry(plume, map, 4, 4);
  CHECK(t(1, 2) == 0);
  CHECK(t.cast<int>().sum() == 1);
}

TEST_CASE("a later pass: lognormal above 10 t/h for CH4, decided from the scene's own L4 rows",
          "[pipeline]") {
  test::TempDir dir("later-rad-dist");
  const std::string header = "plume_id,emission\n";
  write_text(dir.path() / "a.csv", header + "p0,9000\n");
  write_text(dir.path() / "b.csv", header + "p1,12000.5\n");
  write_text(dir.path() / "empty.csv", header + "p2,\n");
  write_text(dir.path() / "bad.csv", header + "p3,lots\n");
  write_text(dir.path() / "none.csv", "plume_id,ime\np4,3\n");
  using pipeline::RadDist;
  const auto rule = [&](RadDist o, const std::string& gas, std::vector<std::string> f) {
    for (auto& x : f) x = dir.str(x);
    return pipeline::later_pass_rad_dist(o, gas, f);
  };
  CHECK(rule(RadDist::automatic, "ch4", {"a.csv"}) == RadDist::normal);
  CHECK(rule(RadDist::automatic, "ch4", {"a.csv", "b.csv", "empty.csv"}) == RadDist::lognormal);
  CHECK(rule(RadDist::automatic, "co2", {"b.csv"}) == RadDist::normal);
  CHECK(rule(RadDist::normal, "ch4", {"b.csv"}) == RadDist::normal);
  CHECK(rule(RadDist::lognormal, "ch4", {}) == RadDist::lognormal);
  CHECK_THROWS_WITH(rule(RadDist::automatic, "ch4", {"bad.csv"}),
                    Catch::Matchers::Contains("bad.csv") && Catch::Matchers::Contains("not a number"));
  CHECK_THROWS_WITH(rule(RadDist::automatic, "ch4", {"none.csv"}),
                    Catch::Matchers::Contains("none.csv") && Catch::Matchers::Contains("no 'emission'"));
}

TEST_CASE("the L3 files of an L2: plume files by number, not CSF files or partial outputs",
          "[pipeline]") {
  test::TempDir dir("l3-files");
  const std::string l2 = dir.str("EMIT_L2B_001_20230814T100819_2322607_004.nc");
  for (int n : {10, 0, 2}) write_text(pipeline::l3_path_for(l2, n), "x");
  write_text(pipeline::csf_path_for(pipeline::l3_path_for(l2, 0)), "x");
  write_text(pipeline::l3_path_for(l2, 3) + ".partial", "x");
  write_text(dir.str("EMIT_L3B_001_20230814T100819_2322607_005_plume0.nc"), "x");  // another scene
  const auto files = pipeline::l3_files_of(l2);
  REQUIRE(files.size() == 3);
  CHECK(files[0] == pipeline::l3_path_for(l2, 0));
  CHECK(files[1] == pipeline::l3_path_for(l2, 2));
  CHECK(files[2] == pipeline::l3_path_for(l2, 10));
  for (const auto& f : files) CHECK(pipeline::l2_path_for_l3(f) == l2);
  CHECK(pipeline::l2_path_for_l3(pipeline::l4_path_for(files[1])) == l2);
}

TEST_CASE("CSV tables: quoted cells with separators and quotes, rows checked against the header",
          "[pipeline]") {
  test::TempDir dir("csv-table");
  write_text(dir.path() / "t.csv", "a,b,c\n1,\"x, \"\"y\"\"\",\n2,z,3\n");
  const auto rows = pipeline::read_csv_table(dir.str("t.csv"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("b") == "x, \"y\"");
  CHECK(rows[0].at("c").empty());
  CHECK(rows[1].at("c") == "3");
  write_text(dir.path() / "bad.csv", "a,b\n1,2,3\n");
  CHECK_THROWS_WITH(pipeline::read_csv_table(dir.str("bad.csv")),
                    Catch::Matchers::Contains("bad.csv") && Catch::Matchers::Contains("3 cells under 2"));
}

TEST_CASE("denoising with the weights of an earlier pass reproduces it exactly, without the search",
          "[image]") {
  const int H = 48, W = 40;
  const CounterRng rng(4, stream_id("fixed-weights"));
  Raster<float> field(H, W);
  Raster<std::int32_t> seg(H, W);
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c) {
      seg(r, c) = c < 10 ? 0 : 1;
      field(r, c) = static_cast<float>(40 * rng.normal(static_cast<std::uint64_t>(r * W + c)) +
                                       (std::hypot(r - 20, c - 25) < 6 ? 300 : 0));
    }
  image::CalibratedTvOptions o;
  o.skip_water = false;
  const auto first = image::calibrated_tv_denoise(field, seg, o);
  REQUIRE(first.weights.size() == 2);
  o.fixed_weights = first.weights;
  const auto again = image::calibrated_tv_denoise(field, seg, o);
  CHECK((again.field.array() == first.field.array()).all());
  CHECK(again.solves == 2 * 16);
  CHECK(again.solves < first.solves);
}

TEST_CASE("a later retrieval pass equals a first pass with the same plume mask, bit for bit",
          "[pipeline]") {
  const auto& camp = test::small_campaign();
  Config config = default_config();
  config.paths.osm_dir = (fs::path(camp.ancillary_dir) / "osm_worldcover").string();
  pipeline::L2Options o;
  o.land_mask = pipeline::LandMaskSource::none;
  const std::string rad = camp.scenes[0].rad_path;
  pipeline::SceneRetrieval twice(rad, config, test::resources(), o);
  const pipeline::L2Product p1 = twice.retrieve(nullptr, pipeline::RadDist::normal);
  const int R = p1.scene.rows(), C = p1.scene.cols();
  Raster<std::uint8_t> mask = Raster<std::uint8_t>::Zero(R, C);
  mask.block(10, 20, 12, 5).setOnes();  // columns 20-24
  const pipeline::L2Product p2 = twice.retrieve(&mask, pipeline::RadDist::normal);
  CHECK(twice.passes_run() == 2);
  pipeline::SceneRetrieval once(rad, config, test::resources(), o);
  const pipeline::L2Product q = once.retrieve(&mask, pipeline::RadDist::normal);
  for (const char* name : {"ch4", "ch4_uncertainty", "ch4_full", "ch4_comb"}) {
    INFO(name);
    const Raster<float>& a = p2.field(name)->values;
    const Raster<float>& b = q.field(name)->values;
    CHECK(((a.array() == b.array()) || (a.array().isNaN() && b.array().isNaN())).all());
  }
  for (std::size_t w = 0; w < p2.qa.size(); ++w) {
    REQUIRE(p2.qa[w].columns.size() == q.qa[w].columns.size());
    for (std::size_t i = 0; i < q.qa[w].columns.size(); ++i) {
      CHECK(p2.qa[w].columns[i].column == q.qa[w].columns[i].column);
      CHECK(p2.qa[w].columns[i].background_pixels == q.qa[w].columns[i].background_pixels);
    }
  }
  // Only the masked columns changed; the mask's pixels left the statistics there.
  const Raster<float>& a1 = p1.field("ch4")->values;
  const Raster<float>& a2 = p2.field("ch4")->values;
  for (int c = 0; c < C; ++c) {
    const bool same = ((a1.col(c).array() == a2.col(c).array()) ||
                       (a1.col(c).array().isNaN() && a2.col(c).array().isNaN())).all();
    CHECK(same == (c < 20 || c > 24));
  }
  const auto& qa = p2.qa[0].columns;
  const auto col22 = std::find_if(qa.begin(), qa.end(), [](const auto& x) { return x.column == 22; });
  const auto col22_first = std::find_if(p1.qa[0].columns.begin(), p1.qa[0].columns.end(),
                                        [](const auto& x) { return x.column == 22; });
  CHECK(col22->background_pixels == col22_first->background_pixels - 12);
  // The target of each window is in the product.
  REQUIRE(p2.unit_spectra.size() == 2);
  CHECK(p2.unit_spectra[0].window == "ch4");
  CHECK(p2.unit_spectra[0].units == "ppb-1");
  CHECK(p2.unit_spectra[0].k.size() == p2.unit_spectra[0].wavelengths.size());
  CHECK(*std::min_element(p2.unit_spectra[0].k.begin(), p2.unit_spectra[0].k.end()) < 0);
}
