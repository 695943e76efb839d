#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/sensor/discovery.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("synth -> reader round trip: radiance, bands, geometry and GLT come back exactly",
          "[sensor]") {
  const auto& camp = test::small_campaign();
  auto opts = test::small_campaign_options("unused");
  const auto mem = test::render_scene(opts, 0);  // the same scene, rendered in memory
  const sensor::EmitL1bReader reader(camp.scenes[0].rad_path);
  REQUIRE(reader.rows() == 48);
  REQUIRE(reader.cols() == 48);
  REQUIRE(reader.bands() == 285);
  CHECK(reader.wavelengths().front() == Approx(381.0056).margin(1e-3));
  CHECK(reader.wavelengths().back() == Approx(2492.9).margin(0.1));
  const Scene s = reader.read_all();
  CHECK(s.sensor.instrument == "EMIT");
  CHECK(s.sensor.platform == "ISS");
  CHECK(s.radiance_units == "uW/cm^2/SR/nm");
  CHECK(s.start_time == mem.scene->plan().start);
  const int B = 285;
  for (int r = 0; r < 48; r += 5)
    for (int c = 0; c < 48; c += 7)
      for (int b = 0; b < B; b += 11)
        REQUIRE(s.radiance.at(r, c, b) ==
                mem.radiance[(static_cast<std::size_t>(r) * 48 + c) * B + b]);
  const auto& g = mem.scene->geometry();
  CHECK((s.latitude - g.lat).abs().maxCoeff() == 0.0);
  CHECK((s.longitude - g.lon).abs().maxCoeff() == 0.0);
  CHECK((s.sza - g.obs[synth::kToSunZenith]).abs().maxCoeff() == 0.0f);
  CHECK((s.vaa - g.obs[synth::kToSensorAzimuth]).abs().maxCoeff() == 0.0f);
  REQUIRE(s.glt.has_value());
  CHECK((s.glt->x == g.glt.x).all());
  CHECK((s.glt->y == g.glt.y).all());
  CHECK(s.geotransform.gt == g.glt.transform.gt);

  // A band subset reads only those bands, with identical values.
  const auto window = sensor::bands_in_window(reader.wavelengths(), 2110, 2450);
  REQUIRE(window.size() > 40);
  const Scene w = reader.read(window);
  CHECK(w.radiance.bands() == static_cast<int>(window.size()));
  CHECK(w.wavelengths.front() >= 2110);
  for (std::size_t i = 0; i < window.size(); i += 5)
    CHECK(w.radiance.at(17, 23, static_cast<int>(i)) == s.radiance.at(17, 23, window[i]));
  // Column layout: each detector column is one contiguous rows x bands matrix.
  CHECK(w.radiance.column(23)(17, 3) == w.radiance.at(17, 23, 3));
}

TEST_CASE("L1 discovery finds RAD granules only, in path order", "[sensor]") {
  const auto& camp = test::small_campaign();
  const auto found = sensor::find_l1_granules(
      std::filesystem::path(camp.scenes[0].rad_path).parent_path().parent_path().string());
  REQUIRE(found.size() == 3);
  for (std::size_t i = 1; i < found.size(); ++i) CHECK(found[i - 1].path < found[i].path);
  for (const auto& g : found) {
    CHECK(g.path.find("_truth") == std::string::npos);
    CHECK(g.path.find("_OBS_") == std::string::npos);
  }
  CHECK(sensor::is_emit_rad_name("EMIT_L1B_RAD_001_20230814T100819_2322607_004.nc"));
  CHECK_FALSE(sensor::is_emit_rad_name("EMIT_L1B_RAD_001_20230814T100819_2322607_004_truth.nc"));
  CHECK(sensor::emit_obs_path_for("/data/RAD_dir/EMIT_L1B_RAD_001_x.nc") ==
        "/data/RAD_dir/EMIT_L1B_OBS_001_x.nc");
}
