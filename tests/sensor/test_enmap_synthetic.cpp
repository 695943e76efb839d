#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/geo/ortho_map.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <hyperplume/synth/campaign_writer.hpp>
#include <hyperplume/synth/scene_synthesizer.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

// The generator's EnMAP tile is read back as a user's would be: its RPC inverted over the
// campaign's DEM tiles must put every pixel where the renderer put it (over terrain at the
// site's elevation, seen at the tile's tilt), and the orthorectified grid must hold each true
// source within one grid pixel.
TEST_CASE("a synthetic EnMAP tile is geolocated by its RPC over the DEM, its sources within one grid pixel",
          "[sensor]") {
  test::TempDir dir("enmap_synth");
  auto o = test::single_scene_options(5, 96, 80);
  o.out_dir = dir.str("l1");
  o.sensors = {"enmap"};
  o.threads = 2;
  o.sources_per_scene = 2;
  o.terrain_relief = 600;  // hills, as the issue asks
  synth::CampaignWriteOptions w;
  w.water_posting = 2e-4;
  const synth::CampaignResult camp = synth::write_campaign(o, test::resources(), w);
  REQUIRE(camp.scenes.size() == 1);
  const synth::CampaignPlan& plan = camp.plan;
  const synth::SynthModels models = synth::SynthModels::load(test::resources(), "enmap");
  const synth::Site site = synth::make_site(models, plan, plan.facilities[0]);
  const synth::SceneSynthesizer truth(models, plan, site, plan.scenes[0]);
  const synth::SyntheticGeometry& g = truth.geometry();
  const std::string& zip = camp.scenes[0].rad_path;

  auto worst_error = [&](const Scene& s) {  // pixels
    double worst = 0;
    for (int r = 0; r < s.rows(); ++r)
      for (int c = 0; c < s.cols(); ++c) {
        const geo::EastNorth a = site.frame().to_east_north(s.longitude(r, c), s.latitude(r, c));
        const geo::EastNorth b = site.frame().to_east_north(g.lon(r, c), g.lat(r, c));
        worst = std::max(worst, std::hypot(a.east - b.east, a.north - b.north) / 30.0);
      }
    return worst;
  };
  const Scene s = sensor::open_granule(zip, {dir.str("l1/ancillary/dem")})->read_geometry();
  const Scene flat = sensor::open_granule(zip, {"none"})->read_geometry();
  const double with_dem = worst_error(s), without = worst_error(flat);
  INFO("tilt " << plan.scenes[0].roll << " deg, site at " << site.base_elevation() << " m: worst "
               << with_dem << " px with the DEM, " << without << " px at the RPC height offset");
  CHECK(with_dem < 0.1);
  // The hills' parallax is there to correct (the RPC's height offset takes out the mean).
  CHECK(without > 0.25);
  CHECK(with_dem < without / 10);
  CHECK((s.elevation - g.elevation).abs().maxCoeff() < 3.0);

  // Orthorectified: the grid cell of each true source names a pixel beside the true one.
  const geo::OrthoMap map = pipeline::ortho_map_for(s, {false, 1});
  const geo::UtmGrid& grid = map.grid();
  const auto tm = grid.projection();
  REQUIRE(!truth.truth().sources.empty());
  for (const auto& src : truth.truth().sources) {
    double x = 0, y = 0;
    tm.forward(src.lon, src.lat, x, y);
    const int col = static_cast<int>(std::floor((x - grid.x0) / grid.resolution));
    const int row = static_cast<int>(std::floor((grid.y0 - y) / grid.resolution));
    REQUIRE((row >= 0 && col >= 0 && row < grid.height && col < grid.width));
    const std::int64_t k = map.source()[static_cast<std::size_t>(row) * grid.width + col];
    REQUIRE(k >= 0);
    // The named pixel's true ground position against the source's, in grid pixels.
    const auto r = static_cast<int>(k / s.cols()), c = static_cast<int>(k % s.cols());
    double px = 0, py = 0;
    tm.forward(g.lon(r, c), g.lat(r, c), px, py);
    const double off = std::hypot(px - x, py - y) / grid.resolution;
    INFO("source " << src.lat << ", " << src.lon << ": the grid names pixel (" << r << ", " << c
                   << ") " << off << " grid pixels away");
    CHECK(off <= 1.0);
  }
}
