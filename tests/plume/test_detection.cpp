// Automatic detection on crafted grids: a plume along the wind against a noise blob, an
// albedo artefact and a shoreline; the spectral check on crafted deficits; the score's fit.
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/plume/detection.hpp>
#include <random>

using namespace hyperplume;

namespace {
constexpr int kRows = 120, kCols = 120;
constexpr int kSourceRow = 60, kSourceCol = 30;

// A scene of noise (30 ppb), uniform ground, a west wind (blowing east) and a plume
// from the source downwind, narrow and strong at the source, widening and fading.
struct Scene {
  Raster<float> field, denoised, labels, brightness, wind_east, wind_north;
  Raster<std::uint8_t> screened;
  Scene()
      : field(kRows, kCols), denoised(kRows, kCols), labels(Raster<float>::Zero(kRows, kCols)),
        brightness(Raster<float>::Constant(kRows, kCols, 10.0f)),
        wind_east(Raster<float>::Constant(kRows, kCols, 4.0f)),
        wind_north(Raster<float>::Zero(kRows, kCols)), screened(Raster<std::uint8_t>::Zero(kRows, kCols)) {
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0, 30);
    for (int r = 0; r < kRows; ++r)
      for (int c = 0; c < kCols; ++c) {
        const float n = noise(rng);
        field(r, c) = n;
        denoised(r, c) = 0.2f * n;
        brightness(r, c) += 0.01f * noise(rng);
      }
    for (int c = kSourceCol; c < kSourceCol + 40; ++c) {
      const double x = c - kSourceCol, width = 1.5 + 0.15 * x, peak = 900 / width;
      for (int r = 0; r < kRows; ++r) {
        const double v = peak * std::exp(-0.5 * std::pow((r - kSourceRow) / width, 2));
        field(r, c) += static_cast<float>(v);
        denoised(r, c) += static_cast<float>(v);
        if (v > 60) labels(r, c) = 1;
      }
    }
  }
  plume::DetectionFields fields() const {
    return {&field, &denoised, &labels, &brightness, &screened, &wind_east, &wind_north, 60};
  }
  // A round blob of `value` ppb centred at (r0, c0), labelled `label`.
  void blob(int r0, int c0, int radius, float value, int label) {
    for (int r = r0 - radius; r <= r0 + radius; ++r)
      for (int c = c0 - radius; c <= c0 + radius; ++c)
        if (std::hypot(r - r0, c - c0) <= radius) {
          field(r, c) += value;
          denoised(r, c) += value;
          labels(r, c) = static_cast<float>(label);
        }
  }
};

const plume::Candidate& with_label(const std::vector<plume::Candidate>& cs, int label) {
  for (const auto& c : cs)
    if (std::find(c.labels.begin(), c.labels.end(), label) != c.labels.end()) return c;
  FAIL("no candidate with label " << label);
  return cs.front();
}
}  // namespace

TEST_CASE("the plume is found at its upwind end, along the wind, above a noise blob", "[plume]") {
  Scene s;
  s.blob(20, 90, 2, 40, 2);  // a faint round blob
  const auto cs = plume::find_candidates(s.fields(), {});
  REQUIRE(cs.size() == 2);
  const auto& p = with_label(cs, 1);
  const auto& n = with_label(cs, 2);
  CHECK(std::abs(p.row - kSourceRow) <= 1);
  CHECK(std::abs(p.col - kSourceCol) <= 2);  // the upwind end, not the centroid (~col 45)
  CHECK(p.features.elongation > 0.5);
  CHECK(p.features.wind_alignment > 0.95);
  CHECK(p.features.downwind_z > 10);
  CHECK(p.features.sum_z > 30);
  CHECK(n.features.sum_z < p.features.sum_z / 3);
  CHECK(p.score > 0.33);
  CHECK(p.score > n.score);

  SECTION("without wind the source is the peak, and alignment is unknown") {
    Scene calm;
    calm.wind_east.setConstant(std::nanf(""));
    const auto c = plume::find_candidates(calm.fields(), {});
    REQUIRE(c.size() == 1);
    CHECK(std::isnan(c[0].features.wind_alignment));
    CHECK(std::isnan(c[0].features.downwind_z));
    CHECK(std::abs(c[0].col - kSourceCol) <= 2);  // the narrow plume peaks at its source
  }
}

TEST_CASE("an albedo artefact correlates with brightness; a shoreline candidate sits among screened pixels", "[plume]") {
  Scene s;
  // A dark patch the filter reads as enhancement: field follows the brightness drop.
  for (int r = 90; r < 100; ++r)
    for (int c = 80; c < 95; ++c) {
      s.brightness(r, c) -= 3;
      s.field(r, c) += 150;
      s.denoised(r, c) += 150;
      s.labels(r, c) = 2;
    }
  // A candidate along water: a band of screened pixels beside it.
  s.blob(15, 96, 3, 120, 3);
  for (int r = 0; r < kRows; ++r)
    for (int c = 100; c < 106; ++c) {
      s.screened(r, c) = 1;
      s.field(r, c) = std::nanf("");
    }
  const auto cs = plume::find_candidates(s.fields(), {});
  const auto& albedo = with_label(cs, 2);
  const auto& shore = with_label(cs, 3);
  const auto& plume = with_label(cs, 1);
  CHECK(std::abs(albedo.features.brightness_r) > 0.8);
  CHECK(std::abs(plume.features.brightness_r) < 0.3);
  CHECK(shore.features.screened_fraction > 0.2);
  CHECK(plume.features.screened_fraction < 0.05);
}

TEST_CASE("candidates closer than the merge distance merge into the better one", "[plume]") {
  Scene s;
  s.blob(60, 22, 1, 300, 2);  // a piece just upwind of the source (joined by the dilation)
  s.blob(64, 80, 2, 300, 3);  // on the plume, downwind, beyond the dilation
  auto cs = plume::find_candidates(s.fields(), {});
  REQUIRE(cs.size() == 2);  // the first piece is part of the plume's candidate
  plume::DetectionOptions o;
  o.merge_distance = 60 * 60;  // 60 pixels
  plume::score_and_merge(cs, o, 60);
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].merged == 1);
  CHECK(std::find(cs[0].labels.begin(), cs[0].labels.end(), 1) != cs[0].labels.end());
}

TEST_CASE("the spectral check tells the gas's absorption from a broadband change", "[plume]") {
  std::vector<double> wl, k;
  for (int b = 0; b < 40; ++b) {
    wl.push_back(2100 + 10 * b);
    k.push_back(-1e-4 * (1 + std::sin(b * 1.3) * std::sin(b * 0.4)));  // line structure
  }
  std::vector<double> gas(40), gain(40), surface(40);
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0, 2e-4);
  for (std::size_t b = 0; b < 40; ++b) {
    const double broadband = -0.05 + 1e-4 * (wl[b] - 2300);
    gas[b] = 500 * k[b] + broadband + 0.2 * noise(rng);
    gain[b] = -500 * k[b] + broadband + 0.2 * noise(rng);
    surface[b] = broadband + 3e-3 * std::cos(b * 0.21) + noise(rng);  // a smooth mineral slope
  }
  CHECK(plume::spectral_correlation(gas, k, wl) > 0.9);
  CHECK(plume::spectral_correlation(gain, k, wl) < -0.9);
  CHECK(std::abs(plume::spectral_correlation(surface, k, wl)) < 0.5);
  CHECK(std::isnan(plume::spectral_correlation({1, 2, 3}, {1, 2, 3}, {1, 2, 3})));
}

TEST_CASE("the score's fit separates what separates, with the signs of the evidence", "[plume]") {
  std::vector<std::array<double, plume::kScoreTerms>> x;
  std::vector<int> y;
  std::mt19937 rng(11);
  std::normal_distribution<double> n(0, 1);
  for (int i = 0; i < 400; ++i) {
    const int plume = i % 4 == 0;
    std::array<double, plume::kScoreTerms> t{};
    t[0] = (plume ? 3.0 : 1.0) + 0.5 * n(rng);  // log_sum_z
    t[6] = std::abs((plume ? 0.1 : 0.4) + 0.2 * n(rng));  // |brightness_r|
    t[8] = (plume ? 0.6 : 0.0) + 0.3 * n(rng);  // spectral_r
    x.push_back(t);
    y.push_back(plume);
  }
  const plume::ScoreModel m = plume::fit_score_model(x, y);
  CHECK(m.weights[0] > 0);
  CHECK(m.weights[6] < 0);
  CHECK(m.weights[8] > 0);
  int right = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    double z = m.intercept;
    for (std::size_t j = 0; j < x[i].size(); ++j) z += m.weights[j] * x[i][j];
    right += (z > 0) == (y[i] == 1);
  }
  CHECK(right > 380);
}
