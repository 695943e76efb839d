#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/spectral/srf.hpp>
#include <vector>

using namespace hyperplume;

TEST_CASE("Gaussian SRFs integrate: constants and lines are preserved, a Gaussian is widened",
          "[spectral]") {
  // A non-uniform grid, like the LUT's.
  std::vector<double> wl;
  for (double w = 2000; w < 2400; w += (w < 2200 ? 0.02 : 0.05)) wl.push_back(w);
  const std::vector<double> centres{2150, 2210, 2300}, fwhm{8.5, 8.5, 10.0};
  const spectral::SrfConvolver srf(wl, centres, fwhm);
  std::vector<double> ones(wl.size(), 3.0), line(wl.size()), narrow(wl.size());
  for (std::size_t i = 0; i < wl.size(); ++i) {
    line[i] = 0.5 + 0.001 * wl[i];
    narrow[i] = std::exp(-0.5 * std::pow((wl[i] - 2300.0) / 2.0, 2));
  }
  for (std::size_t b = 0; b < centres.size(); ++b) {
    CHECK(srf.covered(b));
    CHECK(srf.apply(ones)[b] == Approx(3.0).epsilon(1e-12));
    // A straight line is preserved exactly by a symmetric kernel (up to edge sampling).
    CHECK(srf.apply(line)[b] == Approx(0.5 + 0.001 * centres[b]).epsilon(1e-6));
  }
  // Gaussian (sigma 2) seen through a Gaussian SRF (sigma s): peak = 2 / sqrt(4 + s^2).
  const double s = spectral::fwhm_to_sigma(10.0);
  CHECK(srf.apply(narrow)[2] == Approx(2.0 / std::sqrt(4.0 + s * s)).epsilon(1e-4));
}

TEST_CASE("bands off the grid are reported, not silently truncated", "[spectral]") {
  std::vector<double> wl;
  for (double w = 1400; w < 1500; w += 0.1) wl.push_back(w);
  const std::vector<double> centres{1402, 1450, 1700}, fwhm{8.5, 8.5, 8.5};
  const spectral::SrfConvolver srf(wl, centres, fwhm);
  CHECK_FALSE(srf.covered(0));
  CHECK(srf.covered(1));
  CHECK_FALSE(srf.covered(2));
  CHECK(std::isnan(srf.apply(std::vector<double>(wl.size(), 1.0))[2]));
}
