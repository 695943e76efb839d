#include <catch2/catch.hpp>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <hyperplume/spectral/instrument_noise.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("the sensor table names each granule's instrument and its files", "[sensor]") {
  const char* rad = "EMIT_L1B_RAD_001_20230814T100819_2322607_002.nc";
  const sensor::SensorType* t = sensor::sensor_type_of(rad);
  REQUIRE(t != nullptr);
  CHECK(std::string(t->name) == "EMIT");
  CHECK(sensor::sensor_type_of("EMIT_L1B_OBS_001_20230814T100819_2322607_002.nc") == nullptr);
  CHECK(sensor::sensor_type_of("scene.nc") == nullptr);
  const auto files = sensor::granule_files("/data/site/" + std::string(rad));
  REQUIRE(files.size() == 2);
  CHECK(files[1] == "/data/site/EMIT_L1B_OBS_001_20230814T100819_2322607_002.nc");
  CHECK_THROWS_AS(sensor::open_granule("/data/scene.nc"), InputError);
  CHECK_THROWS_WITH(sensor::granule_files("/data/scene.nc"),
                    Catch::Matchers::Contains("/data/scene.nc") &&
                        Catch::Matchers::Contains("EMIT_L1B_RAD_<vvv>"));
}

TEST_CASE("an EMIT granule through the sensor interface reads what the EMIT reader reads",
          "[sensor]") {
  const auto& camp = test::small_campaign();
  const std::string& rad = camp.scenes[0].rad_path;
  const sensor::EmitL1bReader reader(rad);
  const auto granule = sensor::open_granule(rad);
  CHECK(granule->path() == rad);
  CHECK(granule->rows() == reader.rows());
  CHECK(granule->cols() == reader.cols());
  CHECK(granule->wavelengths() == reader.wavelengths());
  CHECK(granule->fwhm() == reader.fwhm());

  const std::vector<int> bands{10, 200, 250};
  const RadianceCube whole = granule->read_radiance(bands);
  // Slabs of columns, and a box of rows within them, read the same values.
  RadianceCube slab;
  const auto slabs = granule->open_slabs(nullptr);
  CHECK(slabs->read(bands, 7, 19, slab) == static_cast<std::size_t>(48 * 12 * 3));
  CHECK(slab.at(30, 4, 1) == whole.at(30, 11, 1));
  slabs->read_box(bands, 20, 25, 7, 19, slab);
  CHECK(slab.rows() == 5);
  CHECK(slab.at(2, 4, 2) == whole.at(22, 11, 2));
  slabs->close();

  // Instrument noise: EMIT's table row nearest each band centre.
  const Resources& res = test::resources();
  const auto noise = granule->band_noise(res, bands);
  const auto model = spectral::EmitNoiseModel::load(res.file("noise/emit_noise.txt"));
  REQUIRE(noise.a.size() == 3);
  const std::size_t n = model.nearest_band(reader.wavelengths()[200]);
  CHECK(noise.a[1] == model.a(n));
  CHECK(noise.c[1] == model.c(n));
}
