#include <catch2/catch.hpp>
#include <hyperplume/core/error.hpp>

using namespace hyperplume;

TEST_CASE("errors carry stage, scene and file in their message", "[core]") {
  InputError e("radiance holds only fill values", ErrorContext{"/data/a.nc", {}, {}});
  e.add_scene("EMIT_L1B_RAD_001_x").add_stage("io.read_l1").add_file("/other.nc");
  CHECK(std::string(e.what()) ==
        "[io.read_l1] EMIT_L1B_RAD_001_x: /data/a.nc: radiance holds only fill values");
  CHECK(e.context().file == "/data/a.nc");
  CHECK(std::string(e.where().file_name()).find("test_error.cpp") != std::string::npos);
}
