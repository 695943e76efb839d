#include <catch2/catch.hpp>
#include <fstream>
#include <hyperplume/app/config_options.hpp>
#include <hyperplume/core/error.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;
using namespace hyperplume::app;

namespace {
Config resolve(const std::vector<std::string>& args) {
  const ConfigOptions opts;
  po::options_description all;
  all.add(opts.general()).add(opts.keys());
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).run(), vm);
  po::notify(vm);
  return opts.resolve(vm);
}

std::string ini_with(const test::TempDir& dir, const std::string& text) {
  const std::string path = dir.str("overlay.ini");
  std::ofstream(path) << text;
  return path;
}

std::string error_of(const std::vector<std::string>& args) {
  try {
    resolve(args);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("config/hyperplume.ini holds exactly the built-in HyperGas defaults", "[app]") {
  const Config c = resolve({});
  const Config d = default_config();
  for (const auto& [name, s] : d.species) {
    const auto& got = c.species.at(name);
    CHECK(got.window_min == s.window_min);
    CHECK(got.window_max == s.window_max);
    CHECK(got.full_window_min == s.full_window_min);
    CHECK(got.concentrations == s.concentrations);
    CHECK(got.units == s.units);
    CHECK(got.rad_source == s.rad_source);
  }
  for (const auto& [key, cal] : d.calibration) {
    CHECK(c.calibration.at(key).alpha3 == cal.alpha3);
    CHECK(c.calibration.at(key).beta_resid == cal.beta_resid);
  }
  CHECK(c.species.at("ch4").window_min == 2110);
  CHECK(c.calibration.at("ch4.point.emit").alpha3 == 0.36);
  CHECK(c.sensors.at("emit").instrument == "emi");
}

TEST_CASE("command line beats overlay beats config file", "[app]") {
  test::TempDir dir("config");
  const std::string overlay =
      ini_with(dir, "[species.ch4]\nwindow = 2100 2400\n[paths]\nera5_dir = /overlay/era5\n");
  const Config c = resolve({"--config-overlay", overlay, "--paths.era5_dir", "/cli/era5"});
  CHECK(c.species.at("ch4").window_min == 2100);
  CHECK(c.species.at("ch4").window_max == 2400);
  CHECK(c.species.at("co2").window_min == 1930);
  CHECK(c.paths.era5_dir == "/cli/era5");
  CHECK(resolve({"--species.ch4.concentrations", "[0, 0.5, 1]"}).species.at("ch4").concentrations ==
        std::vector<double>{0, 0.5, 1});
}

TEST_CASE("bad configuration values are rejected at start-up naming the key", "[app]") {
  test::TempDir dir("config-bad");
  CHECK_THAT(error_of({"--config-overlay", ini_with(dir, "[species.xx]\nwindow = 1 2\n")}),
             Catch::Contains("species.xx.window") && Catch::Contains("overlay.ini"));
  CHECK_THAT(error_of({"--config-overlay", ini_with(dir, "[sensor.hyspex]\npixel_res = 1\n")}),
             Catch::Contains("sensor.hyspex.pixel_res"));
  CHECK_THAT(error_of({"--species.ch4.window", "2450 2110"}),
             Catch::Contains("species.ch4.window") && Catch::Contains("below"));
  CHECK_THAT(error_of({"--species.co2.concentrations", "0 five 10"}),
             Catch::Contains("species.co2.concentrations") && Catch::Contains("five"));
  CHECK_THAT(error_of({"--species.ch4.concentrations", "1 2 3"}),
             Catch::Contains("first concentration must be 0"));
  CHECK_THAT(error_of({"--species.ch4.units", "furlongs"}), Catch::Contains("species.ch4.units"));
  CHECK_THAT(error_of({"--species.no2.rad_source", "lut"}),
             Catch::Contains("species.no2.rad_source"));
  CHECK_THAT(error_of({"--sensor.emit.pixel_res", "-60"}),
             Catch::Contains("sensor.emit.pixel_res"));
  CHECK_THAT(error_of({"--calibration.ch4.point.emit.ime", "0 0.43"}),
             Catch::Contains("calibration.ch4.point.emit.ime"));
  CHECK_THAT(error_of({"--config", dir.str("missing.ini")}), Catch::Contains("missing.ini"));
}

TEST_CASE("a missing resource names the file and the option to set", "[app]") {
  const Resources r = Resources::locate("/nonexistent/resources");
  CHECK_THROWS_WITH(r.file("absorption/mag1c_ch4.lut"),
                    Catch::Contains("/nonexistent/resources/absorption/mag1c_ch4.lut") &&
                        Catch::Contains("--resources") && Catch::Contains("HYPERPLUME_RESOURCES"));
}
