#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/retrieval/matched_filter.hpp>
#include <hyperplume/retrieval/window_retrieval.hpp>
#include <limits>
#include <vector>

using namespace hyperplume;
using namespace hyperplume::retrieval;
using Block = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {
// A small column: 8 pixels x 3 bands of radiance with structure.
Block small_column() {
  Block x(8, 3);
  const float v[8][3] = {{10.0f, 8.0f, 6.0f}, {10.5f, 8.1f, 6.3f}, {9.6f, 7.7f, 5.8f},
                         {11.0f, 8.9f, 6.6f}, {10.2f, 8.3f, 6.0f}, {9.9f, 7.6f, 6.1f},
                         {10.7f, 8.2f, 6.5f}, {10.1f, 7.9f, 5.7f}};
  for (int r = 0; r < 8; ++r)
    for (int b = 0; b < 3; ++b) x(r, b) = v[r][b];
  return x;
}

// Approximately normal draws (sum of 12 uniforms) from a fixed LCG: reproducible test data.
struct Gauss {
  explicit Gauss(std::uint64_t seed) : state(seed) {}
  double operator()() {
    double s = 0;
    for (int i = 0; i < 12; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      s += static_cast<double>(state >> 11) * 0x1.0p-53;
    }
    return s - 6.0;
  }
  std::uint64_t state;
};

double det3(const double m[3][3]) {
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
         m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
         m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}
}  // namespace

TEST_CASE("the HyperGas profile reproduces a hand-computed column", "[retrieval]") {
  const Block x = small_column();
  const std::vector<double> k{-2e-3, -9e-3, -4e-3};
  const double s = hypergas_scale(k);
  CHECK(s == 500.0);  // k* = -2e-3 > -1: s = round(1 / 2e-3, 1)

  // By hand: mean, unbiased covariance, inverse by cofactors, the SPy target-mean filter.
  double mu[3] = {0, 0, 0}, c[3][3] = {};
  for (int r = 0; r < 8; ++r)
    for (int b = 0; b < 3; ++b) mu[b] += x(r, b) / 8.0;
  for (int r = 0; r < 8; ++r)
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) c[i][j] += (x(r, i) - mu[i]) * (x(r, j) - mu[j]) / 7.0;
  const double det = det3(c);
  double inv[3][3];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      double m[2][2];
      int mi = 0;
      for (int a = 0; a < 3; ++a) {
        if (a == j) continue;
        int mj = 0;
        for (int b = 0; b < 3; ++b) {
          if (b == i) continue;
          m[mi][mj++] = c[a][b];
        }
        ++mi;
      }
      inv[i][j] = ((i + j) % 2 ? -1 : 1) * (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det;
    }
  double d[3], cd[3] = {0, 0, 0}, dcd = 0;
  for (int b = 0; b < 3; ++b) d[b] = s * k[static_cast<std::size_t>(b)] * mu[b] - mu[b];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) cd[i] += inv[i][j] * d[j];
  for (int i = 0; i < 3; ++i) dcd += d[i] * cd[i];

  MatchedFilterParams p;
  p.form = TargetForm::hypergas;
  p.hypergas_scale = s;
  p.albedo_correction = false;
  const std::vector<std::uint8_t> all(8, 1);
  std::vector<float> alpha(8), sigma(8);
  const ColumnQa qa = matched_filter_column(x, all, all, k, nullptr, p, alpha, sigma);
  CHECK(qa.status == ColumnStatus::ok);
  CHECK(qa.background_pixels == 8);
  for (int r = 0; r < 8; ++r) {
    double num = 0;
    for (int b = 0; b < 3; ++b) num += cd[b] * (x(r, b) - mu[b]);
    const double expected = num / dcd * s;
    CHECK(alpha[static_cast<std::size_t>(r)] == Approx(expected).epsilon(1e-6).margin(1e-6));
  }
}

TEST_CASE("the textbook filter is unbiased for an injected target and its noise is as stated",
          "[retrieval]") {
  // 400 pixels, 5 bands: Gaussian background; the target K*mu added with known alpha to half.
  const int n = 400, nb = 5;
  Block x(n, nb);
  const double mu[5] = {10, 9, 8, 7, 6}, k[5] = {-0.01, -0.05, -0.02, -0.08, -0.03};
  Gauss gauss(12345);
  std::vector<std::uint8_t> use(n, 1), bg(n, 1);
  for (int r = 0; r < n; ++r) {
    const double common = gauss();
    for (int b = 0; b < nb; ++b)
      x(r, b) = static_cast<float>(mu[b] * (1 + 0.02 * common) + 0.05 * gauss());
    if (r % 2) {
      for (int b = 0; b < nb; ++b)
        x(r, b) = static_cast<float>(x(r, b) * std::exp(k[b] * 2.0));  // alpha = 2
      bg[static_cast<std::size_t>(r)] = 0;
    }
  }
  std::vector<float> alpha(n), sigma(n);
  const std::vector<double> kv(k, k + nb);
  const ColumnQa qa = matched_filter_column(x, use, bg, kv, nullptr, {}, alpha, sigma);
  REQUIRE(qa.status == ColumnStatus::ok);
  double in = 0, out = 0, out2 = 0;
  for (int r = 0; r < n; ++r) {
    if (r % 2)
      in += alpha[static_cast<std::size_t>(r)] / (n / 2);
    else {
      out += alpha[static_cast<std::size_t>(r)] / (n / 2);
      out2 += alpha[static_cast<std::size_t>(r)] * alpha[static_cast<std::size_t>(r)] / (n / 2);
    }
  }
  CHECK(in == Approx(2.0).margin(0.1));
  CHECK(out == Approx(0.0).margin(0.05));
  CHECK(std::sqrt(out2 - out * out) == Approx(sigma[0]).epsilon(0.15));
}

TEST_CASE("degenerate columns are flagged, never crash and never give silent zeros",
          "[retrieval]") {
  const std::vector<double> k{-0.01, -0.02, -0.03, -0.04, -0.05};
  std::vector<float> alpha(6, 123.0f), sigma(6);
  const MatchedFilterParams p;
  SECTION("nothing to retrieve") {
    const Block x = Block::Constant(6, 5, std::numeric_limits<float>::quiet_NaN());
    const std::vector<std::uint8_t> none(6, 0);
    CHECK(matched_filter_column(x, none, none, k, nullptr, p, alpha, sigma).status ==
          ColumnStatus::no_pixels);
    CHECK(alpha[0] == 123.0f);
  }
  SECTION("one background pixel") {
    Block x = Block::Random(6, 5).array() + 5.0f;
    std::vector<std::uint8_t> use(6, 1), bg(6, 0);
    bg[2] = 1;
    CHECK(matched_filter_column(x, use, bg, k, nullptr, p, alpha, sigma).status ==
          ColumnStatus::too_few_pixels);
    CHECK(std::isnan(alpha[0]));
    MatchedFilterParams hg = p;
    hg.zero_when_too_few = true;  // HyperGas's choice, only in its profile
    matched_filter_column(x, use, bg, k, nullptr, hg, alpha, sigma);
    CHECK(alpha[0] == 0.0f);
  }
  SECTION("fewer pixels than bands: loaded or pseudo-inverse, finite, flagged") {
    Block x = Block::Random(6, 5).array() + 5.0f;
    x.conservativeResize(3, 5);
    const std::vector<std::uint8_t> all(3, 1);
    std::vector<float> a(3), s(3);
    const ColumnQa qa = matched_filter_column(x, all, all, k, nullptr, p, a, s);
    CHECK((qa.status == ColumnStatus::loaded || qa.status == ColumnStatus::pseudo_inverse));
    CHECK(qa.loading >= 0);
    for (float v : a) CHECK(std::isfinite(v));
  }
  SECTION("constant radiance") {
    const Block x = Block::Constant(6, 5, 4.0f);
    const std::vector<std::uint8_t> all(6, 1);
    CHECK(matched_filter_column(x, all, all, k, nullptr, p, alpha, sigma).status ==
          ColumnStatus::degenerate);
    CHECK(std::isnan(alpha[0]));
  }
  SECTION("a unit spectrum with no absorption has no HyperGas scale") {
    CHECK_THROWS_AS(hypergas_scale(std::vector<double>{0.0, 0.1}), InputError);
  }
}

TEST_CASE("every column gets a QA record, whatever its content", "[retrieval]") {
  RadianceCube cube(20, 4, 5);
  for (int c = 0; c < 4; ++c)
    for (int r = 0; r < 20; ++r)
      for (int b = 0; b < 5; ++b)
        cube.at(r, c, b) = c == 1 ? std::numeric_limits<float>::quiet_NaN()
                                  : 5.0f + 0.1f * static_cast<float>((r * 7 + b * 3 + c) % 11);
  const std::vector<double> k{-0.01, -0.02, -0.03, -0.04, -0.05};
  WindowRetrievalInput in;
  in.cube = &cube;
  in.band_begin = 0;
  in.band_end = 5;
  in.k = k;
  in.threads = 2;
  const auto out = retrieve_window(in);
  REQUIRE(out.qa.size() == 4);
  CHECK(out.qa[1].status == ColumnStatus::no_pixels);
  CHECK(out.qa[0].status != ColumnStatus::no_pixels);
  CHECK(std::isnan(out.alpha(3, 1)));
  CHECK(std::isfinite(out.alpha(3, 0)));
}

TEST_CASE("per-column targets follow spectral smile", "[retrieval]") {
  // Two columns whose absorption features sit on different bands (a shifted band grid):
  // each column's own target recovers the injected alpha; the other column's does not.
  const int rows = 300, nb = 6;
  RadianceCube cube(rows, 2, nb);
  const std::vector<std::vector<double>> k{{-0.01, -0.08, -0.02, -0.01, -0.06, -0.01},
                                           {-0.08, -0.02, -0.01, -0.06, -0.01, -0.01}};
  Gauss gauss(7);
  for (int c = 0; c < 2; ++c)
    for (int r = 0; r < rows; ++r)
      for (int b = 0; b < nb; ++b) {
        double v = 10.0 * (1 + 0.01 * gauss()) + 0.02 * gauss();
        if (r % 10 == 0)
          v *= std::exp(k[static_cast<std::size_t>(c)][static_cast<std::size_t>(b)] *
                        1.5);  // alpha = 1.5
        cube.at(r, c, b) = static_cast<float>(v);
      }
  Raster<std::uint8_t> plume = Raster<std::uint8_t>::Zero(rows, 2);
  for (int r = 0; r < rows; r += 10) plume(r, 0) = plume(r, 1) = 1;
  WindowRetrievalInput in;
  in.cube = &cube;
  in.band_begin = 0;
  in.band_end = nb;
  in.k_per_column = &k;
  in.plume = &plume;
  const auto good = retrieve_window(in);
  const std::vector<std::vector<double>> swapped{k[1], k[0]};
  in.k_per_column = &swapped;
  const auto bad = retrieve_window(in);
  double g0 = 0, g1 = 0, b1 = 0;
  for (int r = 0; r < rows; r += 10) {
    g0 += good.alpha(r, 0) / (rows / 10);
    g1 += good.alpha(r, 1) / (rows / 10);
    b1 += bad.alpha(r, 1) / (rows / 10);
  }
  CHECK(g0 == Approx(1.5).margin(0.1));
  CHECK(g1 == Approx(1.5).margin(0.1));
  CHECK(std::abs(b1 - 1.5) > 0.5);
}
