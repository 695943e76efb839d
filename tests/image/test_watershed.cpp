// Gaussian filter, marker watershed and tobac feature detection: the kernels of the a-priori
// plume mask, each against an independent hand computation.
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/image/feature_detection.hpp>
#include <hyperplume/image/gaussian_filter.hpp>
#include <hyperplume/image/watershed.hpp>
#include <limits>
#include <vector>

using namespace hyperplume;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// scipy 'reflect' by repeated mirroring at the two edges (the library uses a modulo form).
int mirror(int i, int n) {
  while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
  return i;
}

std::vector<double> normalised_gaussian(double sigma, int radius) {
  std::vector<double> w;
  double total = 0;
  for (int x = -radius; x <= radius; ++x) total += std::exp(-x * x / (2 * sigma * sigma));
  for (int x = -radius; x <= radius; ++x)
    w.push_back(std::exp(-x * x / (2 * sigma * sigma)) / total);
  return w;
}

// The full 2-D correlation with the outer-product kernel, in double.
Raster<double> direct_gaussian(const Raster<float>& in, double sigma, int radius) {
  const auto w = normalised_gaussian(sigma, radius);
  const int H = static_cast<int>(in.rows()), W = static_cast<int>(in.cols());
  Raster<double> out(H, W);
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c) {
      double sum = 0;
      for (int i = -radius; i <= radius; ++i)
        for (int j = -radius; j <= radius; ++j)
          sum += w[i + radius] * w[j + radius] * in(mirror(r + i, H), mirror(c + j, W));
      out(r, c) = sum;
    }
  return out;
}

Raster<float> noise(int H, int W, std::uint64_t seed) {
  const CounterRng rng(seed, stream_id("watershed-test"));
  Raster<float> out(H, W);
  for (int i = 0; i < H * W; ++i) out.data()[i] = static_cast<float>(rng.normal(i));
  return out;
}

Raster<float> bump(int H, int W, double row, double col, double amplitude, double width) {
  Raster<float> out(H, W);
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c)
      out(r, c) =
          static_cast<float>(amplitude * std::exp(-((r - row) * (r - row) + (c - col) * (c - col)) /
                                                  (2 * width * width)));
  return out;
}

}  // namespace

TEST_CASE("gaussian filter equals the direct 2-D reflect convolution", "[image]") {
  SECTION("sigma 1, radius 4") {
    const Raster<float> in = noise(23, 17, 1);
    const Raster<float> out = image::gaussian_filter(in, 1.0);
    const Raster<double> ref = direct_gaussian(in, 1.0, 4);
    for (int i = 0; i < in.size(); ++i) CHECK(out.data()[i] == Approx(ref.data()[i]).margin(1e-6));
  }
  SECTION("sigma 1.3 gives radius int(4*1.3 + 0.5) = 5") {
    CHECK(image::gaussian_kernel(1.3).size() == 11);
    const Raster<float> in = noise(12, 31, 2);
    const Raster<float> out = image::gaussian_filter(in, 1.3);
    const Raster<double> ref = direct_gaussian(in, 1.3, 5);
    for (int i = 0; i < in.size(); ++i) CHECK(out.data()[i] == Approx(ref.data()[i]).margin(1e-6));
  }
  SECTION("lines shorter than the radius mirror again and again") {
    const Raster<float> in = noise(3, 2, 3);
    const Raster<float> out = image::gaussian_filter(in, 1.0);
    const Raster<double> ref = direct_gaussian(in, 1.0, 4);
    for (int i = 0; i < in.size(); ++i) CHECK(out.data()[i] == Approx(ref.data()[i]).margin(1e-6));
  }
}

TEST_CASE("gaussian filter: reflect edge, unit sum, NaN spreads over the 9 x 9 window", "[image]") {
  const auto w = normalised_gaussian(1.0, 4);
  Raster<float> edge = Raster<float>::Zero(9, 9);
  edge.row(0).setOnes();
  const Raster<float> out = image::gaussian_filter(edge, 1.0);
  // Row 0 sees itself and its mirror image at row −1; constant rows keep their value.
  CHECK(out(0, 4) == Approx(w[4] + w[3]).margin(1e-7));
  CHECK(out(0, 0) == Approx(w[4] + w[3]).margin(1e-7));
  CHECK(out(1, 4) == Approx(w[3] + w[2]).margin(1e-7));
  CHECK(out(4, 4) == Approx(w[0]).margin(1e-7));
  CHECK(out.cast<double>().sum() == Approx(9.0).epsilon(1e-6));  // mass stays in the grid

  Raster<float> holed = Raster<float>::Ones(21, 21);
  holed(10, 10) = kNaN;
  const Raster<float> smoothed = image::gaussian_filter(holed, 1.0);
  for (int r = 0; r < 21; ++r)
    for (int c = 0; c < 21; ++c) {
      const bool near = std::abs(r - 10) <= 4 && std::abs(c - 10) <= 4;
      CHECK(std::isnan(smoothed(r, c)) == near);
    }
  CHECK(smoothed(0, 0) == Approx(1.0).epsilon(1e-6));
}

TEST_CASE("watershed: two basins split at the ridge, ties go to the first seeded marker",
          "[image]") {
  SECTION("2-D basins") {
    // Columns: basin 1 around column 1, basin 2 around column 7; column 5 is only reached
    // from column 6 (level 2) before column 4 (level 3) is popped.
    const float profile[9] = {1, 0, 1, 2, 3, 5, 2, 0, 1};
    Raster<float> image(5, 9);
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 9; ++c) image(r, c) = profile[c];
    Raster<std::int32_t> markers = Raster<std::int32_t>::Zero(5, 9);
    markers(2, 1) = 1;
    markers(2, 7) = 2;
    Raster<std::uint8_t> mask = Raster<std::uint8_t>::Ones(5, 9);
    const auto labels = image::watershed(image, markers, mask);
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 9; ++c) CHECK(labels(r, c) == (c <= 4 ? 1 : 2));

    // Cut the grid at column 4 and drop marker 2 by putting it outside the mask: the right
    // part is unreachable and stays 0, as do the pixels outside the mask.
    mask.col(4).setZero();
    mask(2, 7) = 0;
    const auto cut = image::watershed(image, markers, mask);
    for (int r = 0; r < 5; ++r)
      for (int c = 0; c < 9; ++c) CHECK(cut(r, c) == (c < 4 ? 1 : 0));
  }
  SECTION("a symmetric ridge goes to the marker seeded first in raster order") {
    Raster<float> image(1, 9);
    image << 1, 0, 1, 2, 3, 2, 1, 0, 1;
    const Raster<std::uint8_t> mask = Raster<std::uint8_t>::Ones(1, 9);
    Raster<std::int32_t> markers = Raster<std::int32_t>::Zero(1, 9);
    markers(0, 1) = 1;
    markers(0, 7) = 2;
    Raster<std::int32_t> expected(1, 9);
    expected << 1, 1, 1, 1, 1, 2, 2, 2, 2;
    CHECK((image::watershed(image, markers, mask) == expected).all());
    markers(0, 1) = 2;  // raster order, not label order, decides
    markers(0, 7) = 1;
    expected << 2, 2, 2, 2, 2, 1, 1, 1, 1;
    CHECK((image::watershed(image, markers, mask) == expected).all());
  }
  SECTION("a plateau behind two equal passes floods at the pass level and is shared") {
    // With the level carried over the pass (skimage >= 0.19) both fronts advance in turns; if
    // the plateau were queued at its own value 0, marker 1 would take all of it.
    Raster<float> image(1, 8);
    image << 0, 5, 0, 0, 0, 0, 5, 0;
    Raster<std::int32_t> markers = Raster<std::int32_t>::Zero(1, 8);
    markers(0, 0) = 1;
    markers(0, 7) = 2;
    Raster<std::int32_t> expected(1, 8);
    expected << 1, 1, 1, 1, 2, 2, 2, 2;
    CHECK((image::watershed(image, markers, Raster<std::uint8_t>::Ones(1, 8)) == expected).all());
  }
}

TEST_CASE("feature detection: regions need more than n_min_threshold 8-connected pixels",
          "[image]") {
  Raster<float> field = Raster<float>::Zero(12, 30);
  for (int c = 1; c <= 5; ++c) field(2, c) = 10;          // 5 pixels: rejected
  for (int k = 0; k < 6; ++k) field(3 + k, 10 + k) = 10;  // 6 pixels, diagonal only: kept
  field(6, 13) = 12;                                      // its maximum
  for (int c = 20; c <= 25; ++c) field(8, c) = 10;        // 6 pixels, no single maximum
  const auto features = image::detect_features_smoothed(field, {5.0}, 5);
  REQUIRE(features.size() == 2);
  CHECK(features[0].id == 1);
  CHECK(features[0].row == 6);
  CHECK(features[0].col == 13);
  CHECK(features[0].pixels == 6);
  CHECK(features[0].peak == 12.0);
  CHECK(features[1].id == 2);
  CHECK(features[1].row == 8);
  CHECK(features[1].col == 20);  // first maximum in raster order
  CHECK(features[1].threshold_index == 0);
  CHECK(image::detect_features_smoothed(field, {5.0}, 6).empty());      // 6 pixels, not > 6
  CHECK(image::detect_features_smoothed(field, {5.0}, 4).size() == 3);  // the 5-pixel line too
}

TEST_CASE("feature detection: sub-features above the high threshold replace their parent",
          "[image]") {
  const int H = 48, W = 64;
  // Two peaks 12 px apart joined by a saddle (~2.2) above the low threshold, and a lone bump
  // above the low threshold only.
  Raster<float> field =
      bump(H, W, 14, 20, 100, 2) + bump(H, W, 14, 32, 100, 2) + bump(H, W, 36, 50, 30, 2);
  const std::vector<double> thresholds = {50.0, 1.0};  // given unsorted on purpose
  const auto features = image::feature_detection_multithreshold(field, thresholds);
  REQUIRE(features.size() == 3);
  // Survivors of the low threshold first, then the high-threshold features by label.
  CHECK(features[0].threshold_index == 0);
  CHECK(features[0].threshold == 1.0);
  CHECK(features[0].row == 36);
  CHECK(features[0].col == 50);
  CHECK(features[1].threshold_index == 1);
  CHECK(features[1].threshold == 50.0);
  CHECK(features[1].row == 14);
  CHECK(features[1].col == 20);
  CHECK(features[2].threshold_index == 1);
  CHECK(features[2].row == 14);
  CHECK(features[2].col == 32);
  for (int k = 0; k < 3; ++k) CHECK(features[k].id == k + 1);
  // The peak value is the smoothed one: below the raw 100.
  CHECK(features[1].peak < 100.0);
  CHECK(features[1].peak > 70.0);

  // Without the high threshold the joined pair is a single low-threshold feature.
  const auto low_only = image::feature_detection_multithreshold(field, {1.0});
  REQUIRE(low_only.size() == 2);
  CHECK(low_only[0].row == 14);
  CHECK((low_only[0].col == 20 || low_only[0].col == 32));
  CHECK(low_only[0].pixels > 2 * features[1].pixels);
  CHECK(low_only[1].row == 36);
}

TEST_CASE("feature detection: nothing is seeded within 4 px of NaN", "[image]") {
  Raster<float> field = bump(30, 30, 15, 10, 100, 2);
  field.col(7).setConstant(kNaN);
  const auto features = image::feature_detection_multithreshold(field, {1.0});
  REQUIRE(features.size() == 1);
  CHECK(features[0].row == 15);
  CHECK(features[0].col == 12);  // the peak at column 10 is smoothed into NaN
}
