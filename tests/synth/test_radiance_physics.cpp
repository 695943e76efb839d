#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/constants.hpp>
#include <hyperplume/spectral/ch4_lut.hpp>
#include <numbers>
#include <vector>

#include "support/fixtures.hpp"

using namespace hyperplume;

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;

synth::SynthOptions physics_options(bool noise, bool plumes) {
  synth::SynthOptions o = test::single_scene_options(11, 64, 64);
  o.emission_min = o.emission_max = 20000;
  o.wind_min = o.wind_max = 3;
  o.noise = noise;
  o.plumes = plumes;
  return o;
}

float at(const test::InMemoryScene& s, int r, int c, int b) {
  return s
      .radiance[(static_cast<std::size_t>(r) * s.plan->options.cols + c) * s.scene->bands() + b];
}

// Band-averaged CH4 transmittance computed here directly from the LUT, independently of
// the generator's tables: Gaussian SRF on the LUT grid, Beer-Lambert with the LUT's
// log-radiance interpolated linearly in the enhancement.
double direct_transmittance(const spectral::Ch4RadianceLut& lut, double centre, double fwhm,
                            double c_ppm_m) {
  const double sigma = fwhm / 2.354820045;
  const double* nodes = spectral::Ch4RadianceLut::kConcentrations;
  int j = 1;
  while (j < 6 && c_ppm_m > nodes[j]) ++j;
  const double f = (c_ppm_m - nodes[j - 1]) / (nodes[j] - nodes[j - 1]);
  double num = 0, den = 0;
  const auto& wl = lut.wavelengths();
  for (std::size_t k = 1; k + 1 < wl.size(); ++k) {
    const double z = (wl[k] - centre) / sigma;
    if (std::abs(z) > 5) continue;
    const double w = std::exp(-0.5 * z * z) * 0.5 * (wl[k + 1] - wl[k - 1]);
    const double lnl = (1 - f) * std::log(lut.radiance(k, static_cast<std::size_t>(j - 1))) +
                       f * std::log(lut.radiance(k, static_cast<std::size_t>(j)));
    num += w * std::exp(lnl);
    den += w * lut.radiance(k, 0);
  }
  return num / den;
}
}  // namespace

TEST_CASE("in-plume radiance drop near 2300 nm follows Beer-Lambert for the injected enhancement",
          "[synth]") {
  const auto with = test::render_scene(physics_options(false, true));
  const auto without = test::render_scene(physics_options(false, false));
  const auto& truth = with.scene->truth();
  const auto& geom = with.scene->geometry();
  Eigen::Index r = 0, c = 0;
  const double peak = truth.column_mass.maxCoeff(&r, &c);
  REQUIRE(peak > 0);
  REQUIRE(truth.delta_xch4(r, c) > 500.0f);  // a strong plume pixel
  const double amf = 1 / std::cos(geom.obs[synth::kToSunZenith](r, c) * kDeg) +
                     1 / std::cos(geom.obs[synth::kToSensorZenith](r, c) * kDeg);
  const double c_path = constants::column_mass_to_ppm_m(peak, constants::kMolarMassCH4) * amf / 2.0;
  const auto& bands = test::models().bands;
  int checked = 0;
  for (int b = 0; b < with.scene->bands(); ++b) {
    const double wl = bands.centres[static_cast<std::size_t>(b)];
    if (wl < 2200 || wl > 2400) continue;
    const double ratio = at(with, static_cast<int>(r), static_cast<int>(c), b) /
                         at(without, static_cast<int>(r), static_cast<int>(c), b);
    const double expected = direct_transmittance(test::models().lut, wl,
                                                 bands.fwhm[static_cast<std::size_t>(b)], c_path);
    INFO("band " << wl << " nm, dXCH4 " << truth.delta_xch4(r, c) << " ppb");
    CHECK(ratio == Approx(expected).epsilon(0.01));
    ++checked;
  }
  CHECK(checked > 20);
  // Away from the plume, the two renders are identical.
  CHECK(at(with, 0, 0, 200) == at(without, 0, 0, 200));
}

TEST_CASE("radiance magnitudes are those EMIT sees over land, vegetation and water", "[synth]") {
  const auto s = test::render_scene(physics_options(false, false));
  const auto& bands = test::models().bands.centres;
  auto band_of = [&](double w) {
    return static_cast<int>(
        std::min_element(bands.begin(), bands.end(),
                         [&](double a, double b) { return std::abs(a - w) < std::abs(b - w); }) -
        bands.begin());
  };
  const int red = band_of(650), nir = band_of(860), swir = band_of(2200), wv = band_of(1880);
  const auto& cls = s.scene->truth().surface_class;
  double land_red = 0, land_swir = 0, veg_ratio = 0, wv_ratio = 0;
  std::vector<double> water_nir;  // shoreline pixels mix in land: judge by the median
  int n_land = 0, n_veg = 0;
  for (int r = 0; r < 64; ++r)
    for (int c = 0; c < 64; ++c) {
      const int k = cls(r, c);
      wv_ratio = std::max(wv_ratio, static_cast<double>(at(s, r, c, wv) / at(s, r, c, swir)));
      if (k == 0) {
        water_nir.push_back(at(s, r, c, nir));
      } else {
        land_red += at(s, r, c, red);
        land_swir += at(s, r, c, swir);
        ++n_land;
      }
      if (k == 2) {
        veg_ratio += at(s, r, c, nir) / at(s, r, c, red);
        ++n_veg;
      }
    }
  REQUIRE(n_land > 0);
  // EMIT over semi-arid land near noon: ~4-16 at 650 nm, ~0.3-2 at 2200 nm (uW cm-2 sr-1 nm-1).
  CHECK(land_red / n_land > 4.0);
  CHECK(land_red / n_land < 16.0);
  CHECK(land_swir / n_land > 0.3);
  CHECK(land_swir / n_land < 2.0);
  if (n_veg) CHECK(veg_ratio / n_veg > 1.8);  // red edge
  REQUIRE(water_nir.size() > 5);              // this seed's scene has a lake
  std::nth_element(water_nir.begin(), water_nir.begin() + water_nir.size() / 2, water_nir.end());
  CHECK(water_nir[water_nir.size() / 2] < 0.6);  // open water: little more than path radiance
  CHECK(wv_ratio < 0.1);                         // the 1.88 um water-vapour band is nearly opaque
}

TEST_CASE("noise follows the EMIT noise model", "[synth]") {
  const auto clean = test::render_scene(physics_options(false, false));
  const auto noisy = test::render_scene(physics_options(true, false));
  const auto& noise = test::models().noise;
  for (int b : {30, 120, 250}) {
    double sum = 0, sum2 = 0;
    int n = 0;
    for (int r = 0; r < 64; ++r)
      for (int c = 0; c < 64; ++c) {
        const double l = at(clean, r, c, b);
        const double z = (at(noisy, r, c, b) - l) / noise.sigma(static_cast<std::size_t>(b), l);
        sum += z;
        sum2 += z * z;
        ++n;
      }
    CHECK(sum / n == Approx(0.0).margin(0.05));
    CHECK(std::sqrt(sum2 / n) == Approx(1.0).margin(0.05));
  }
}

TEST_CASE("the dispersion model conserves mass and the truth converts consistently", "[synth]") {
  const auto s = test::render_scene(physics_options(false, true));
  const auto& t = s.scene->truth();
  const auto& sw = s.scene->geometry().swath;
  double mass = 0;
  for (int r = 0; r < sw.rows(); ++r)
    for (int c = 0; c < sw.cols(); ++c)
      mass += t.column_mass(r, c) * sw.along_gsd() * sw.cross_gsd(c);
  REQUIRE(t.sources.size() == 1);
  CHECK(mass == Approx(t.sources[0].mass_in_scene).epsilon(1e-9));
  // The plume leaves a 3.8 km scene: the mass inside is Q times a residence time of at most
  // the scene's diagonal over the wind speed.
  const double q_kg_s = t.sources[0].emission_rate / 3600.0;
  CHECK(mass > q_kg_s * 100.0);
  CHECK(mass < q_kg_s * 3 * 64 * 60 * 1.5 / t.sources[0].wind_speed);
  // dXCH4 from the column mass with the source's surface pressure.
  Eigen::Index r = 0, c = 0;
  t.column_mass.maxCoeff(&r, &c);
  CHECK(t.delta_xch4(r, c) ==
        Approx(constants::column_mass_to_ppb(t.column_mass(r, c), constants::kMolarMassCH4,
                                             t.sources[0].surface_pressure))
            .epsilon(0.01));
}

TEST_CASE("a plume-free scene has no enhancement anywhere", "[synth]") {
  auto o = physics_options(true, true);
  o.plume_free = 1;
  const auto s = test::render_scene(o);
  CHECK(s.scene->truth().delta_xch4.maxCoeff() == 0.0f);
  CHECK(s.scene->truth().sources.at(0).emission_rate == 0.0);
}
