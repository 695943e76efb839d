#include <catch2/catch.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>

using namespace hyperplume;

TEST_CASE("the scene chain runs its stages in order, times them and names them in errors",
          "[pipeline]") {
  std::vector<std::string> order;
  const std::vector<pipeline::Stage> chain = {
      {"make", [&](pipeline::SceneWork& w, const Config&,
                   const Resources&) { order.push_back("make"), w.product.emplace(); }},
      {"check",
       [&](pipeline::SceneWork&, const Config&, const Resources&) { order.push_back("check"); }},
      {"explode",
       [&](pipeline::SceneWork&, const Config&, const Resources&) {
         order.push_back("explode");
         throw InputError("fill-only cube", ErrorContext{"scene.nc", {}, {}});
       }},
      {"never",
       [&](pipeline::SceneWork&, const Config&, const Resources&) { order.push_back("never"); }},
  };
  pipeline::SceneWork work;
  work.l1_path = "/data/EMIT_L1B_RAD_001_20230814T172759_2322601_001.nc";
  work.l2_path = "out.nc";
  const Config config;
  const Resources resources{"/nonexistent", "test"};
  try {
    pipeline::run_chain(chain, work, config, resources);
    FAIL("the chain should have thrown");
  } catch (const Error& e) {
    CHECK(e.context().stage == "explode");
    CHECK(e.context().scene == "EMIT_L1B_RAD_001_20230814T172759_2322601_001");
    CHECK(e.context().file == "scene.nc");
    CHECK(std::string(e.what()).find("fill-only cube") != std::string::npos);
  }
  CHECK(order == std::vector<std::string>{"make", "check", "explode"});
  // Stages after the product exists are timed into it, the failed one included.
  std::vector<std::string> timed;
  for (const auto& [name, seconds] : work.product->times.entries()) timed.push_back(name);
  CHECK(timed == std::vector<std::string>{"check", "explode"});
}

TEST_CASE("the L2 chain runs HyperGas's steps in HyperGas's order", "[pipeline]") {
  std::vector<std::string> names;
  for (const auto& s : pipeline::l2_chain()) names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"l2.retrieve", "l2.denoise", "l2.orthorectify", "l2.mask",
                                          "io.write_l2"});
  names.clear();
  for (const auto& s : pipeline::l2_chain({.unortho_export = true})) names.push_back(s.name);
  CHECK(names == std::vector<std::string>{"l2.retrieve", "io.write_unortho", "l2.denoise",
                                          "l2.orthorectify", "l2.mask", "io.write_l2"});
}
