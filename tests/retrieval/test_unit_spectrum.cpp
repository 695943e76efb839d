#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/retrieval/unit_spectrum.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("the LUT unit spectrum for EMIT bands matches a direct computation to 1e-6",
          "[retrieval]") {
  const auto& lut = test::models().lut;
  const auto window = test::emit_window(2110, 2450);
  const std::vector<double>& centres = window.centres;
  const std::vector<double>& fwhm = window.fwhm;
  const std::vector<double> conc{0, 500, 1000, 2000};
  const double amf = 2.4, ps = 95000;
  const auto u = retrieval::unit_spectrum_from_lut(lut, centres, fwhm, conc, amf, ps);
  REQUIRE(u.k.size() == centres.size());

  // Independently: an untruncated Gaussian over the whole LUT grid with trapezoid weights,
  // the LUT's log-radiance interpolated between its nodes, and the slope from the normal
  // equations of [1 c] (not the centred formula the library uses).
  const auto& wl = lut.wavelengths();
  for (std::size_t b = 0; b < centres.size(); ++b) {
    const double sigma = fwhm[b] / (2.0 * std::sqrt(2.0 * std::log(2.0)));
    std::vector<double> y;
    for (double c : conc) {
      int j = 1;
      while (j < 6 && c > spectral::Ch4RadianceLut::kConcentrations[j]) ++j;
      const double c0 = spectral::Ch4RadianceLut::kConcentrations[j - 1],
                   c1 = spectral::Ch4RadianceLut::kConcentrations[j];
      const double f = (c - c0) / (c1 - c0);
      double num = 0, den = 0;
      for (std::size_t k = 0; k < wl.size(); ++k) {
        const double lo = k ? wl[k - 1] : wl[k], hi = k + 1 < wl.size() ? wl[k + 1] : wl[k];
        const double w =
            std::exp(-0.5 * std::pow((wl[k] - centres[b]) / sigma, 2)) * 0.5 * (hi - lo);
        const double l0 = lut.radiance(k, 0);
        const double lnl =
            std::log(l0) -
            ((1 - f) * std::log(l0 / lut.radiance(k, static_cast<std::size_t>(j - 1))) +
             f * std::log(l0 / lut.radiance(k, static_cast<std::size_t>(j))));
        num += w * std::exp(lnl);
        den += w;
      }
      y.push_back(std::log(num / den));
    }
    double n = 0, sc = 0, scc = 0, sy = 0, scy = 0;
    for (std::size_t i = 0; i < conc.size(); ++i) {
      n += 1;
      sc += conc[i];
      scc += conc[i] * conc[i];
      sy += y[i];
      scy += conc[i] * y[i];
    }
    const double slope = (n * scy - sc * sy) / (n * scc - sc * sc) * amf / 2.0;
    INFO("band " << centres[b] << " nm");
    CHECK(u.k[b] == Approx(slope).epsilon(1e-6));
    CHECK(u.k[b] < 0);  // absorption: radiance falls as methane rises
  }
  // ppb per ppm·m of vertical column at 950 hPa: the column of 1 ppm over the atmosphere
  // is ~7500 ppm·m there.
  CHECK(u.column_to_ppb == Approx(0.1333).epsilon(2e-3));
}
