#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/image/j_invariance.hpp>
#include <hyperplume/image/tv_chambolle.hpp>
#include <vector>

using namespace hyperplume;

namespace {
// A test image: two smooth blobs and a step on a slope, plus seeded Gaussian noise.
Raster<double> test_image(int h, int w, double noise, std::uint64_t seed) {
  const CounterRng rng(seed, stream_id("tv-test"));
  Raster<double> img(h, w);
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const double b1 = std::exp(-((r - 12.0) * (r - 12.0) + (c - 15.0) * (c - 15.0)) / 40.0);
      const double b2 = 0.6 * std::exp(-((r - 30.0) * (r - 30.0) + (c - 40.0) * (c - 40.0)) / 90.0);
      const double step = c > w / 2 && r > h / 2 ? 0.5 : 0.0;
      img(r, c) =
          b1 + b2 + step + 0.002 * r +
          noise * rng.normal(static_cast<std::uint64_t>(r) * 1000 + static_cast<std::uint64_t>(c));
    }
  return img;
}

// scikit-image's denoise_tv_chambolle written out the way numpy does it: whole arrays,
// explicit divergence and gradient arrays, energy after every step.
Raster<double> reference_tv(const Raster<double>& f, double weight, double eps = 2e-4,
                            int max_iter = 200) {
  const int H = static_cast<int>(f.rows()), W = static_cast<int>(f.cols());
  std::vector<Raster<double>> p(2, Raster<double>::Zero(H, W)), g(2, Raster<double>::Zero(H, W));
  Raster<double> d = Raster<double>::Zero(H, W), out = f;
  double e_init = 0, e_prev = 0;
  for (int i = 0; i < max_iter; ++i) {
    if (i > 0) {
      d = -(p[0] + p[1]);
      d.bottomRows(H - 1) += p[0].topRows(H - 1);
      d.rightCols(W - 1) += p[1].leftCols(W - 1);
      out = f + d;
    } else {
      out = f;
    }
    double e = d.square().sum();
    g[0].topRows(H - 1) = out.bottomRows(H - 1) - out.topRows(H - 1);
    g[1].leftCols(W - 1) = out.rightCols(W - 1) - out.leftCols(W - 1);
    Raster<double> norm = (g[0].square() + g[1].square()).sqrt();
    e += weight * norm.sum();
    norm = norm * (0.25 / weight) + 1.0;
    for (int k = 0; k < 2; ++k) p[k] = (p[k] - 0.25 * g[k]) / norm;
    e /= static_cast<double>(H) * W;
    if (i == 0) {
      e_init = e_prev = e;
    } else if (std::abs(e_prev - e) < eps * e_init) {
      break;
    } else {
      e_prev = e;
    }
  }
  return out;
}

double std_dev(const Raster<double>& x) { return std::sqrt((x - x.mean()).square().mean()); }
}  // namespace

TEST_CASE("Chambolle TV equals a straightforward scikit-image transcription", "[image]") {
  const Raster<double> img = test_image(37, 53, 0.1, 1);
  for (const double w : {0.02, 0.1, 0.4}) {
    image::TvResult info;
    const Raster<double> mine = image::tv_chambolle(img, w, {}, &info);
    const Raster<double> ref = reference_tv(img, w);
    CHECK((mine - ref).abs().maxCoeff() < 1e-5);
    CHECK(info.iterations > 1);
    // Smoothing lowers the total variation and keeps the mean (TV is mean-preserving).
    CHECK(std::abs(mine.mean() - img.mean()) < 1e-9);
    // Thread count changes nothing, bit for bit.
    CHECK((image::tv_chambolle(img, w, {2e-4, 200, 3}).array() == mine.array()).all());
    // float32, as HyperGas's fields are: close to the float64 reference.
    const Raster<float> f32 = image::tv_chambolle<float>(img.cast<float>(), w);
    CHECK((f32.cast<double>() - ref).abs().maxCoeff() < 1e-3);
  }
  // The iteration limit is honoured.
  image::TvResult capped;
  image::tv_chambolle(img, 0.1, {1e-12, 7, 1}, &capped);
  CHECK(capped.iterations == 7);
  CHECK_THROWS(image::tv_chambolle(img, 0.0));
}

TEST_CASE("the 4-neighbour mean mirrors at the edges", "[image]") {
  Raster<double> img(3, 4);
  img << 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12;
  const Raster<double> m = image::neighbour_mean(img);
  CHECK(m(0, 0) == Approx((5 + 5 + 2 + 2) / 4.0));    // up mirrors to row 1, left to col 1
  CHECK(m(1, 1) == Approx((2 + 10 + 5 + 7) / 4.0));   // interior
  CHECK(m(2, 3) == Approx((8 + 8 + 11 + 11) / 4.0));  // bottom-right corner
}

TEST_CASE("golden-section weight search matches the 50-point grid's loss within 1 %", "[image]") {
  for (const double noise : {0.05, 0.15, 0.4}) {
    const Raster<double> img = test_image(48, 56, noise, 7);
    const double s = std_dev(img);
    std::vector<double> grid;
    for (int i = 0; i < 50; ++i) grid.push_back(s / 10 + (3 * s - s / 10) * i / 49.0);
    const auto by_grid = image::grid_search_weight(img, grid);
    const auto by_golden = image::golden_section_weight(img, s / 10, 3 * s, 12);
    INFO("noise " << noise << ": grid w " << by_grid.weight << " loss " << by_grid.loss
                  << "; golden w " << by_golden.weight << " loss " << by_golden.loss);
    CHECK(by_grid.solves == 50);
    CHECK(by_golden.solves <= 12);
    CHECK(by_golden.loss <= by_grid.loss * 1.01);
    // Warm starts (the default profile): the weight found, scored by a cold solve as the
    // grid scores it, is as good.
    image::TvOptions warm;
    warm.warm_start = true;
    const auto by_warm = image::golden_section_weight(img, s / 10, 3 * s, 12, warm);
    const double cold_loss =
        image::j_invariant_loss(img, image::neighbour_mean(img), by_warm.weight);
    INFO("warm golden w " << by_warm.weight << " cold loss " << cold_loss);
    CHECK(by_warm.solves <= 12);
    CHECK(cold_loss <= by_grid.loss * 1.01);
  }
}

TEST_CASE("J-invariant denoising: every pixel from a solve that did not see it", "[image]") {
  const Raster<double> img = test_image(24, 28, 0.1, 3);
  const Raster<double> out = image::denoise_invariant(img, 0.1);
  // Pixel (2, 0) belongs to mask 8: it equals the TV of the image with mask 8 interpolated.
  const Raster<double> interp = image::neighbour_mean(img);
  Raster<double> in = img;
  for (int r = 2; r < 24; r += 4)
    for (int c = 0; c < 28; c += 4) in(r, c) = interp(r, c);
  CHECK(out(2, 0) == image::tv_chambolle(in, 0.1)(2, 0));
  // Denoising reduces the error against the noise-free image.
  const Raster<double> clean = test_image(24, 28, 0.0, 3);
  CHECK((out - clean).square().mean() < 0.5 * (img - clean).square().mean());
}

TEST_CASE("Chambolle TV is bit-identical for 1 to 4 threads", "[image]") {
  const Raster<double> img = test_image(100, 37, 0.1, 5);  // 7 blocks of 16 rows, one short
  image::TvOptions o;
  image::TvResult first;
  const Raster<double> one = image::tv_chambolle(img, 0.1, o, &first);
  for (const int threads : {2, 3, 4}) {
    INFO(threads << " threads");
    o.threads = threads;
    image::TvResult r;
    const Raster<double> many = image::tv_chambolle(img, 0.1, o, &r);
    CHECK(r.iterations == first.iterations);
    CHECK((many == one).all());
  }
}
