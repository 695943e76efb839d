// The a-priori plume mask on synthetic fields: known blobs in correlated noise, pure noise,
// two segmentation classes with their own thresholds, and the small-object rule.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/image/trimmed_stats.hpp>
#include <hyperplume/image/feature_detection.hpp>
#include <hyperplume/image/gaussian_filter.hpp>
#include <hyperplume/image/watershed.hpp>
#include <hyperplume/plume/a_priori_mask.hpp>
#include <limits>
#include <map>
#include <set>
#include <vector>

using namespace hyperplume;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// White noise smoothed with σ = 1 px and scaled back to unit std: like a denoised field,
// neighbouring pixels are correlated.
Raster<float> correlated_noise(int H, int W, std::uint64_t seed) {
  const CounterRng rng(seed, stream_id("a-priori-mask-test"));
  Raster<float> white(H, W);
  for (int i = 0; i < H * W; ++i) white.data()[i] = static_cast<float>(rng.normal(i));
  Raster<float> smooth = image::gaussian_filter(white, 1.0);
  const double mean = smooth.cast<double>().mean();
  const double std = std::sqrt((smooth.cast<double>() - mean).square().mean());
  return ((smooth.cast<double>() - mean) / std).cast<float>();
}

struct Blob {
  int row, col;
  double amplitude, width;
};

void add_blob(Raster<float>& field, const Blob& b) {
  for (int r = 0; r < field.rows(); ++r)
    for (int c = 0; c < field.cols(); ++c) {
      const double d2 = (r - b.row) * (r - b.row) + (c - b.col) * (c - b.col);
      field(r, c) += static_cast<float>(b.amplitude * std::exp(-d2 / (2 * b.width * b.width)));
    }
}

// The procedure of the spec written out on full-size rasters, as HyperGas runs it (the
// library works on each class's bounding box).
Raster<float> reference_mask(const Raster<float>& field, const Raster<float>& segmentation,
                             double sigma_threshold) {
  std::vector<float> classes;
  for (int i = 0; i < segmentation.size(); ++i) {
    const float s = segmentation.data()[i];
    if (!std::isnan(s) && std::find(classes.begin(), classes.end(), s) == classes.end())
      classes.push_back(s);
  }
  Raster<std::int32_t> sum = Raster<std::int32_t>::Zero(field.rows(), field.cols());
  int max_label = 0;
  for (const float s : classes) {
    const Raster<float> ds = (segmentation == s).select(field, kNaN);
    std::vector<double> values;
    for (int i = 0; i < ds.size(); ++i)
      if (!std::isnan(ds.data()[i])) values.push_back(ds.data()[i]);
    const auto stats = image::trimmed_stats(values);
    if (stats.std == 0) continue;
    const double low = stats.mean + 2 * stats.std;
    const auto features = image::feature_detection_multithreshold(
        ds, {low, stats.mean + 3 * stats.std}, {5, sigma_threshold});
    if (features.empty()) continue;
    Raster<std::uint8_t> valid(ds.rows(), ds.cols());
    for (int i = 0; i < ds.size(); ++i) valid.data()[i] = ds.data()[i] > low;
    Raster<std::int32_t> markers = Raster<std::int32_t>::Zero(ds.rows(), ds.cols());
    for (const auto& f : features) markers(f.row, f.col) = valid(f.row, f.col) ? f.id : 0;
    const auto labels = image::watershed(-ds, markers, valid);
    const int offset = max_label;
    for (int i = 0; i < labels.size(); ++i)
      if (labels.data()[i] > 0) {
        sum.data()[i] = labels.data()[i] + offset;
        max_label = std::max(max_label, sum.data()[i]);
      }
  }
  std::map<int, int> count;
  for (int i = 0; i < sum.size(); ++i) ++count[sum.data()[i]];
  std::map<int, float> renumber;
  float next = 0;
  for (const auto& [label, n] : count) renumber[label] = n > 5 ? next++ : kNaN;
  Raster<float> mask(field.rows(), field.cols());
  for (int i = 0; i < mask.size(); ++i)
    mask.data()[i] = std::isnan(field.data()[i]) ? kNaN : renumber[sum.data()[i]];
  return mask;
}

std::map<int, int> label_sizes(const Raster<float>& mask) {
  std::map<int, int> sizes;
  for (int i = 0; i < mask.size(); ++i)
    if (!std::isnan(mask.data()[i])) ++sizes[static_cast<int>(mask.data()[i])];
  return sizes;
}

}  // namespace

TEST_CASE("a-priori mask: each blob gets its own label, NaN outside the swath stays NaN",
          "[plume]") {
  const int H = 160, W = 200;
  Raster<float> field = correlated_noise(H, W, 1);
  const std::vector<Blob> blobs = {{40, 50, 15, 3}, {110, 80, 12, 4}, {70, 150, 10, 5}};
  for (const Blob& b : blobs) add_blob(field, b);
  Raster<float> segmentation = Raster<float>::Ones(H, W);
  field.leftCols(8).setConstant(kNaN);  // outside the swath
  segmentation.leftCols(8).setConstant(kNaN);
  field.bottomRows(5).setConstant(kNaN);
  segmentation.bottomRows(5).setConstant(kNaN);

  const Raster<float> mask = plume::a_priori_mask(field, segmentation);

  int nan_inside = 0;
  for (int i = 0; i < mask.size(); ++i) {
    if (std::isnan(field.data()[i])) CHECK(std::isnan(mask.data()[i]));
    nan_inside += !std::isnan(field.data()[i]) && std::isnan(mask.data()[i]);
  }
  const auto sizes = label_sizes(mask);
  REQUIRE(sizes.count(0) == 1);
  const int n_labels = static_cast<int>(sizes.size()) - 1;
  CHECK(sizes.rbegin()->first == n_labels);  // renumbered 0…N without gaps
  for (const auto& [label, size] : sizes) CHECK(size >= 6);
  CHECK(sizes.at(0) > 0.9 * (H - 5) * (W - 8));
  UNSCOPED_INFO("labels " << n_labels << ", small objects (NaN) " << nan_inside);

  std::set<int> blob_labels;
  for (const Blob& b : blobs) {
    std::set<int> inside;  // positive labels within one width of the centre
    for (int r = 0; r < H; ++r)
      for (int c = 0; c < W; ++c)
        if ((r - b.row) * (r - b.row) + (c - b.col) * (c - b.col) <= b.width * b.width &&
            mask(r, c) > 0)
          inside.insert(static_cast<int>(mask(r, c)));
    REQUIRE(inside.size() == 1);
    const int label = *inside.begin();
    CHECK(mask(b.row, b.col) == label);
    blob_labels.insert(label);
    // The label stays on its blob: no pixel farther than 3 widths + 6 px.
    double farthest = 0;
    for (int r = 0; r < H; ++r)
      for (int c = 0; c < W; ++c)
        if (mask(r, c) == label) farthest = std::max(farthest, std::hypot(r - b.row, c - b.col));
    UNSCOPED_INFO("blob at " << b.row << "," << b.col << ": label " << label << ", "
                             << sizes.at(label) << " px, farthest " << farthest);
    CHECK(farthest <= 3 * b.width + 6);
  }
  CHECK(blob_labels.size() == 3);  // three different labels
}

TEST_CASE("a-priori mask: working on class bounding boxes changes nothing", "[plume]") {
  // Three classes in rectangles (values not in sorted order of appearance), a no-data strip,
  // and blobs on the class borders and the grid edge, where the smoothing's NaN and reflect
  // rules decide what is seeded.
  const int H = 90, W = 120;
  Raster<float> field = correlated_noise(H, W, 5);
  for (const Blob& b : std::vector<Blob>{{20, 47, 8, 2},
                                         {30, 53, 9, 2},
                                         {44, 80, 8, 2},
                                         {70, 2, 9, 2},
                                         {87, 100, 8, 2},
                                         {60, 30, 6, 3}})
    add_blob(field, b);
  Raster<float> segmentation(H, W);
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c) segmentation(r, c) = c < 50 ? 5.0f : r < 45 ? 2.0f : 1.0f;
  segmentation.block(10, 0, 3, W).setConstant(kNaN);
  field.block(10, 0, 3, W).setConstant(kNaN);
  field(50, 60) = kNaN;  // a gap inside a class

  for (const double sigma : {1.0, 2.0}) {
    plume::APrioriMaskOptions options;
    options.sigma_threshold = sigma;
    const Raster<float> mask = plume::a_priori_mask(field, segmentation, options);
    const Raster<float> expected = reference_mask(field, segmentation, sigma);
    int differ = 0;
    for (int i = 0; i < mask.size(); ++i)
      differ += !(mask.data()[i] == expected.data()[i] ||
                  (std::isnan(mask.data()[i]) && std::isnan(expected.data()[i])));
    CHECK(differ == 0);
    CHECK(label_sizes(mask).size() >= 4);  // background and at least 3 plumes
  }
}

TEST_CASE("a-priori mask: pure noise gives few and small labels", "[plume]") {
  const int H = 160, W = 200;
  const Raster<float> field = correlated_noise(H, W, 2);
  const Raster<float> mask = plume::a_priori_mask(field, Raster<float>::Ones(H, W));
  const auto sizes = label_sizes(mask);
  int large = 0, labelled = 0;
  for (const auto& [label, size] : sizes)
    if (label > 0) {
      labelled += size;
      large += size > 20;
    }
  UNSCOPED_INFO("labels " << sizes.size() - 1 << ", labelled px " << labelled << ", > 20 px "
                          << large);
  CHECK(large <= 2);
  CHECK(labelled < 0.01 * H * W);
}

TEST_CASE("a-priori mask: each segmentation class has its own thresholds", "[plume]") {
  // Class 3 (left) has unit noise and a weak blob; class 7 (right) has noise 5 times larger.
  // With thresholds from both classes together (σ ≈ 3.6) the weak blob would be missed; with
  // class 3's thresholds applied to class 7, a third of class 7 would be labelled.
  const int H = 120, W = 200;
  Raster<float> field = correlated_noise(H, W, 3);
  field.rightCols(100) *= 5.0f;
  add_blob(field, {60, 45, 5, 4});
  Raster<float> segmentation(H, W);
  segmentation.leftCols(100).setConstant(3.0f);
  segmentation.rightCols(100).setConstant(7.0f);
  segmentation.topRows(4).setConstant(kNaN);
  field.topRows(4).setConstant(kNaN);

  const Raster<float> mask = plume::a_priori_mask(field, segmentation);
  const float blob_label = mask(60, 45);
  REQUIRE(blob_label > 0);
  int right_labelled = 0;
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c) {
      if (mask(r, c) == blob_label) CHECK(c < 100);  // watershed stays in its class
      if (c >= 100) right_labelled += mask(r, c) > 0;
    }
  UNSCOPED_INFO("class 7 labelled px " << right_labelled);
  CHECK(right_labelled < 0.03 * (H - 4) * 100);
  CHECK(std::isnan(mask(0, 50)));
  CHECK(std::isnan(mask(3, 150)));
}

TEST_CASE("a-priori mask: an object under 6 px becomes NaN, not background", "[plume]") {
  // A single-pixel spike: smoothed, it is a feature of many pixels, but only the spike itself
  // exceeds μ + 2σ in the unsmoothed field, so its label has 1 px.
  const int H = 64, W = 64;
  const CounterRng rng(4, stream_id("a-priori-mask-spike"));
  Raster<float> field(H, W);
  for (int i = 0; i < H * W; ++i) field.data()[i] = static_cast<float>(rng.normal(i));
  field(30, 30) = 200;
  const Raster<float> mask = plume::a_priori_mask(field, Raster<float>::Constant(H, W, 2.0f));
  CHECK(std::isnan(mask(30, 30)));
  int nan_count = 0, positive = 0;
  for (int i = 0; i < mask.size(); ++i) {
    nan_count += std::isnan(mask.data()[i]);
    positive += mask.data()[i] > 0;
  }
  CHECK(nan_count <= 5);  // the spike and any noise pixels joined to it
  CHECK(positive == 0);
  CHECK(mask(0, 0) == 0.0f);

  // A constant class (HyperGas's water zeros, σ = 0) contributes nothing.
  const Raster<float> zeros =
      plume::a_priori_mask(Raster<float>::Zero(H, W), Raster<float>::Zero(H, W));
  CHECK((zeros == 0.0f).all());
}
