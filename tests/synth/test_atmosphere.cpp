#include <algorithm>
#include <catch2/catch.hpp>
#include <hyperplume/io/text_table.hpp>
#include <hyperplume/spectral/srf.hpp>
#include <hyperplume/synth/atmosphere.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("the three-albedo solve reproduces every libRadtran run", "[synth]") {
  const auto& m = test::models();
  for (const auto& state : synth::available_atmospheres()) {
    const synth::BandAtmosphere atm =
        synth::BandAtmosphere::load(test::resources(), state, m.bands.centres, m.bands.fwhm);
    char stem[96];
    std::snprintf(stem, sizeof stem, "atmosphere/libradtran/LUT_AOT550-%.4f_H2OSTR-%.4f",
                  state.aot550, state.h2o_cm);
    const std::pair<double, const char*> runs[] = {
        {0.0, "_alb0.out"}, {0.25, "_alb025.out"}, {0.5, "_alb05.out"}};
    for (const auto& [albedo, suffix] : runs) {
      const auto t = io::read_text_table(test::resources().file(std::string(stem) + suffix), 3);
      const spectral::SrfConvolver srf(t.columns[0], m.bands.centres, m.bands.fwhm);
      auto run = srf.apply(t.columns[1]);
      const double peak = *std::max_element(run.begin(), run.end());
      for (std::size_t b = 0; b < run.size(); ++b) {
        const double expected = 0.1 * run[b];  // mW m-2 -> uW cm-2
        if (run[b] < 0.02 * peak) continue;    // opaque water-vapour bands
        INFO("band " << m.bands.centres[b] << " nm, albedo " << albedo);
        CHECK(atm.radiance(b, albedo) == Approx(expected).epsilon(0.01));
      }
    }
    CHECK(atm.run_sza() == Approx(52.5).margin(1.0));
  }
}
