#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/spectral/ch4_lut.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("the mag1c CH4 LUT loads as 31800 wavelengths x 7 enhancements", "[spectral]") {
  const auto lut =
      spectral::Ch4RadianceLut::load(test::resources().file("absorption/mag1c_ch4.lut"));
  REQUIRE(lut.samples() == 31800);
  CHECK(lut.wavelengths().front() == Approx(1399.59).margin(0.01));
  CHECK(lut.wavelengths().back() == Approx(2522.04).margin(0.01));
  // Optical depth: zero without enhancement, exact at the nodes, never decreasing in c.
  std::size_t strongest = 0;
  for (std::size_t k = 0; k < lut.samples(); ++k)
    if (lut.optical_depth(k, 16000) > lut.optical_depth(strongest, 16000)) strongest = k;
  CHECK(lut.wavelengths()[strongest] > 2200);  // the 2.3 um CH4 band dominates
  CHECK(lut.wavelengths()[strongest] < 2400);
  CHECK(lut.optical_depth(strongest, 0) == 0.0);
  CHECK(lut.optical_depth(strongest, 4000) ==
        Approx(std::log(lut.radiance(strongest, 0) / lut.radiance(strongest, 4))).epsilon(1e-12));
  double prev = 0;
  for (double c : {100.0, 700.0, 1500.0, 3000.0, 9000.0, 20000.0}) {
    const double t = lut.optical_depth(strongest, c);
    CHECK(t >= prev);
    prev = t;
  }
}
