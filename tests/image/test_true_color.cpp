#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/image/true_color.hpp>
#include <vector>

using namespace hyperplume;

TEST_CASE("a flat spectrum under D65 integrates to the D65 white point", "[image]") {
  std::vector<double> centres;
  for (double w = 381.0; w <= 750.0; w += 7.43) centres.push_back(w);  // EMIT-like sampling
  const image::TrueColor tc(centres);
  const std::vector<float> flat(centres.size(), 1.0f);
  const auto xyz = tc.xyz(flat.data());
  // The visible bands stop at 750 nm, so the tails beyond add < 0.1 %.
  CHECK(xyz[1] == Approx(1.0).epsilon(2e-3));
  CHECK(xyz[0] == Approx(0.95047).epsilon(5e-3));
  CHECK(xyz[2] == Approx(1.08883).epsilon(5e-3));
}

TEST_CASE("PCHIP reproduces its knots, is monotone between monotone knots, and extrapolates",
          "[image]") {
  const std::vector<double> x{0, 1, 2, 3, 4}, y{0, 1, 1.5, 4, 4.2};
  const auto at = image::pchip(x, y, {0, 1, 2, 3, 4, 0.5, 2.5, 3.7});
  for (int i = 0; i < 5; ++i)
    CHECK(at[static_cast<std::size_t>(i)] == Approx(y[static_cast<std::size_t>(i)]));
  CHECK(at[5] > 0);
  CHECK(at[5] < 1);
  CHECK(at[6] > 1.5);
  CHECK(at[6] < 4);
  CHECK(at[7] > 4);
  CHECK(at[7] < 4.2);
}

TEST_CASE("true colour of a grey scene is grey, and NaN pixels stay NaN", "[image]") {
  std::vector<double> centres;
  for (double w = 381.0; w <= 750.0; w += 7.43) centres.push_back(w);
  const image::TrueColor tc(centres);
  std::array<Raster<float>, 3> xyz;
  for (auto& r : xyz) r.resize(4, 4);
  for (int i = 0; i < 16; ++i) {
    std::vector<float> s(centres.size(), 0.1f + 0.05f * static_cast<float>(i));
    const auto v = tc.xyz(s.data());
    for (std::size_t k = 0; k < 3; ++k) xyz[k].data()[i] = static_cast<float>(v[k]);
  }
  for (auto& r : xyz) r(3, 3) = std::nanf("");
  const auto rgb = image::TrueColor::finish(xyz, 1.0);
  for (int i = 0; i < 15; ++i) {
    CHECK(rgb[0].data()[i] == Approx(rgb[1].data()[i]).margin(0.02));
    CHECK(rgb[2].data()[i] == Approx(rgb[1].data()[i]).margin(0.02));
  }
  CHECK(std::isnan(rgb[0](3, 3)));
  CHECK(rgb[1](0, 0) < rgb[1](2, 2));  // brighter grey, brighter output
}
