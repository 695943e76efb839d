#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <hyperplume/image/connected_components.hpp>
#include <hyperplume/image/trimmed_stats.hpp>
#include <hyperplume/plume/detection.hpp>
#include <hyperplume/plume/plume_picker.hpp>
#include <map>
#include <numeric>

namespace hyperplume::plume {

using Index = Eigen::Index;

const std::array<const char*, kScoreTerms> kScoreTermNames = {
    "log_sum_z",  "log_peak_z", "log_pixels",   "elongation",  "wind_alignment",
    "downwind_z", "brightness_r", "screened_fraction", "spectral_r"};

namespace {
double clip(double v, double lo, double hi, double neutral) {
  return std::isfinite(v) ? std::clamp(v, lo, hi) : neutral;
}
}  // namespace

std::array<double, kScoreTerms> score_terms(const CandidateFeatures& f) {
  return {std::log1p(clip(f.sum_z, 0, 1e4, 0)),
          std::log1p(clip(f.peak_z, 0, 1e3, 0)),
          std::log(std::max(1, f.pixels)),
          clip(f.elongation, 0, 1, 0),
          clip(f.elongation, 0, 1, 0) * clip(f.wind_alignment, 0, 1, 0),
          clip(f.downwind_z, -10, 10, 0),
          std::abs(clip(f.brightness_r, -1, 1, 0)),
          clip(f.screened_fraction, 0, 1, 0),
          clip(f.spectral_r, -1, 1, 0)};
}

double candidate_score(const CandidateFeatures& f, const ScoreModel& m) {
  const auto t = score_terms(f);
  double z = m.intercept;
  for (int i = 0; i < kScoreTerms; ++i) z += m.weights[static_cast<std::size_t>(i)] * t[static_cast<std::size_t>(i)];
  return 1.0 / (1.0 + std::exp(-z));
}

ScoreModel ScoreModel::standard() {
  // Fitted by `hyperplume validate` on the full benchmark (docs/validation.md).
  ScoreModel m;
  m.intercept = -8.595;
  m.weights = {0, 0, 1.265, 0.474, 1.406, 0.002, -2.570, 0, 0};
  return m;
}

namespace {
// The scene's robust noise of a field (finite values).
double robust_noise(const Raster<float>& f) {
  std::vector<double> v;
  v.reserve(static_cast<std::size_t>(f.size()));
  for (Index i = 0; i < f.size(); ++i)
    if (std::isfinite(f.data()[i])) v.push_back(static_cast<double>(f.data()[i]));
  return image::robust_std(std::move(v));
}

double median_of(const Raster<float>& f) {
  std::vector<double> v;
  for (Index i = 0; i < f.size(); ++i)
    if (std::isfinite(f.data()[i])) v.push_back(static_cast<double>(f.data()[i]));
  if (v.empty()) return kNaN;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

struct Box {
  int r0, r1, c0, c1;  // inclusive
};

Box box_of(const std::vector<std::int64_t>& pixels, int cols) {
  Box b{INT32_MAX, -1, INT32_MAX, -1};
  for (auto i : pixels) {
    const int r = static_cast<int>(i / cols), c = static_cast<int>(i % cols);
    b.r0 = std::min(b.r0, r);
    b.r1 = std::max(b.r1, r);
    b.c0 = std::min(b.c0, c);
    b.c1 = std::max(b.c1, c);
  }
  return b;
}

Box grown(Box b, int by, int rows, int cols) {
  return {std::max(0, b.r0 - by), std::min(rows - 1, b.r1 + by), std::max(0, b.c0 - by),
          std::min(cols - 1, b.c1 + by)};
}

// The mean wind over the candidate (east, north); NaN without one.
std::pair<double, double> mean_wind(const DetectionFields& in, const std::vector<std::int64_t>& pixels) {
  if (!in.wind_east || !in.wind_north) return {kNaN, kNaN};
  double u = 0, v = 0;
  int n = 0;
  for (auto i : pixels) {
    const auto a = static_cast<double>(in.wind_east->data()[i]), b = static_cast<double>(in.wind_north->data()[i]);
    if (std::isfinite(a) && std::isfinite(b)) {
      u += a;
      v += b;
      ++n;
    }
  }
  return n ? std::pair{u / n, v / n} : std::pair{kNaN, kNaN};
}

// Elongation and the major axis (grid steps: x east, y south) of the enhancement-weighted
// pixels.
struct Shape {
  double elongation = kNaN, axis_x = kNaN, axis_y = kNaN;
};
Shape shape_of(const Raster<float>& f, const std::vector<std::int64_t>& pixels, int cols) {
  double w = 0, mx = 0, my = 0;
  for (auto i : pixels) {
    const double a = static_cast<double>(std::max(0.0f, f.data()[i]));
    w += a;
    mx += a * static_cast<double>(i % cols);
    my += a * static_cast<double>(i / cols);
  }
  Shape s;
  if (!(w > 0)) return s;
  mx /= w;
  my /= w;
  double sxx = 0, syy = 0, sxy = 0;
  for (auto i : pixels) {
    const double a = static_cast<double>(std::max(0.0f, f.data()[i]));
    const double dx = static_cast<double>(i % cols) - mx, dy = static_cast<double>(i / cols) - my;
    sxx += a * dx * dx;
    syy += a * dy * dy;
    sxy += a * dx * dy;
  }
  const double tr = sxx + syy, det = sxx * syy - sxy * sxy;
  const double disc = std::sqrt(std::max(0.0, tr * tr / 4 - det));
  const double l1 = tr / 2 + disc, l2 = std::max(0.0, tr / 2 - disc);
  if (!(l1 > 0)) return s;
  s.elongation = 1 - std::sqrt(l2 / l1);
  // Eigenvector of l1.
  double ax = sxy, ay = l1 - sxx;
  if (std::hypot(ax, ay) < 1e-12 * l1) {
    ax = sxx >= syy ? 1 : 0;
    ay = sxx >= syy ? 0 : 1;
  }
  const double n = std::hypot(ax, ay);
  s.axis_x = ax / n;
  s.axis_y = ay / n;
  return s;
}

// Pearson r of the field and the brightness over the box.
double brightness_correlation(const Raster<float>& f, const Raster<float>& b, const Box& box) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  int n = 0;
  for (int r = box.r0; r <= box.r1; ++r)
    for (int c = box.c0; c <= box.c1; ++c) {
      const double x = static_cast<double>(f(r, c)), y = static_cast<double>(b(r, c));
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      ++n;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  if (n < 10) return kNaN;
  const double cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n;
  return vx > 0 && vy > 0 ? cov / std::sqrt(vx * vy) : kNaN;
}

// Share of the box's pixels (the candidate's neighbourhood) that are screened or empty.
double screened_share(const DetectionFields& in, const Box& box) {
  int n = 0, bad = 0;
  for (int r = box.r0; r <= box.r1; ++r)
    for (int c = box.c0; c <= box.c1; ++c) {
      ++n;
      const bool screened = in.screened && (*in.screened)(r, c) != 0;
      bad += screened || !std::isfinite((*in.field)(r, c));
    }
  return n ? static_cast<double>(bad) / n : kNaN;
}

// The source: of the pixels at least half the denoised peak, the farthest upwind (the
// peak itself without wind).
std::int64_t upwind_source(const Raster<float>& den, const std::vector<std::int64_t>& pixels, int cols,
                           double wind_east, double wind_north) {
  std::int64_t peak = pixels.front();
  for (auto i : pixels)
    if (den.data()[i] > den.data()[peak]) peak = i;
  const double speed = std::hypot(wind_east, wind_north);
  if (!(speed > 0)) return peak;
  const double ux = wind_east / speed, uy = -wind_north / speed;  // grid steps: x east, y south
  const double half = 0.5 * static_cast<double>(den.data()[peak]);
  std::int64_t best = peak;
  double best_s = 1e300;
  for (auto i : pixels) {
    if (!(static_cast<double>(den.data()[i]) >= half)) continue;
    const double s = static_cast<double>(i % cols) * ux + static_cast<double>(i / cols) * uy;
    if (s < best_s - 1e-9 || (std::abs(s - best_s) <= 1e-9 && den.data()[i] > den.data()[best])) {
      best_s = s;
      best = i;
    }
  }
  return best;
}
}  // namespace

std::vector<Candidate> find_candidates(const DetectionFields& in, const DetectionOptions& o) {
  const Raster<float>& labels = *in.labels;
  const Raster<float>& field = *in.field;
  const Raster<float>& den = *in.denoised;
  const int rows = static_cast<int>(labels.rows()), cols = static_cast<int>(labels.cols());
  const double noise = robust_noise(field), den_noise = robust_noise(den), den_median = median_of(den);

  // Labels joined by a dilation by dist_max are one candidate (as the pick joins them).
  const Raster<std::uint8_t> occupied = (labels > 0.0f).cast<std::uint8_t>();
  const auto reach = static_cast<Index>(std::min(o.dist_max / in.pixel_size, double(rows + cols)));
  const image::Components clusters =
      image::label_components(image::dilate_square(occupied, reach), image::Connectivity::four);
  std::map<std::int32_t, Candidate> by_cluster;
  for (Index i = 0; i < labels.size(); ++i) {
    if (!(labels.data()[i] > 0)) continue;
    Candidate& c = by_cluster[clusters.labels.data()[i]];
    c.pixels.push_back(i);
    const int label = static_cast<int>(labels.data()[i]);
    if (std::find(c.labels.begin(), c.labels.end(), label) == c.labels.end()) c.labels.push_back(label);
  }

  std::vector<Candidate> out;
  for (auto& [cluster, c] : by_cluster) {
    if (static_cast<double>(c.pixels.size()) < o.min_pixels) continue;
    std::sort(c.labels.begin(), c.labels.end());
    CandidateFeatures& f = c.features;
    f.pixels = static_cast<int>(c.pixels.size());
    double sum = 0, peak = -1e300;
    int finite = 0;
    for (auto i : c.pixels) {
      if (std::isfinite(field.data()[i])) {
        sum += static_cast<double>(field.data()[i]);
        ++finite;
      }
      if (std::isfinite(den.data()[i])) peak = std::max(peak, static_cast<double>(den.data()[i]));
    }
    if (finite && noise > 0) f.sum_z = sum / (noise * std::sqrt(static_cast<double>(finite)));
    if (den_noise > 0 && peak > -1e300) f.peak_z = (peak - den_median) / den_noise;

    const auto [we, wn] = mean_wind(in, c.pixels);
    const Shape shape = shape_of(field, c.pixels, cols);
    f.elongation = shape.elongation;
    if (std::isfinite(we) && std::hypot(we, wn) > 0 && std::isfinite(shape.axis_x)) {
      const double speed = std::hypot(we, wn);
      f.wind_alignment = std::abs(shape.axis_x * we / speed + shape.axis_y * (-wn / speed));
    }
    const std::int64_t source = upwind_source(den, c.pixels, cols, std::isfinite(we) ? we : 0,
                                              std::isfinite(wn) ? wn : 0);
    c.row = static_cast<int>(source / cols);
    c.col = static_cast<int>(source % cols);
    if (std::isfinite(we))
      f.downwind_z = downwind_signal(field, c.row, c.col, we, wn, 3 * o.dist_max / in.pixel_size, 45, noise).z;

    const Box box = box_of(c.pixels, cols);
    const int pad = std::max(3, std::max(box.r1 - box.r0, box.c1 - box.c0) / 2 + 1);
    const Box around = grown(box, pad, rows, cols);
    if (in.brightness) f.brightness_r = brightness_correlation(field, *in.brightness, around);
    f.screened_fraction = screened_share(in, grown(box, 3, rows, cols));
    c.score = candidate_score(f, o.model);
    out.push_back(std::move(c));
  }
  return out;
}

void score_and_merge(std::vector<Candidate>& cs, const DetectionOptions& o, double pixel_size) {
  for (auto& c : cs) c.score = candidate_score(c.features, o.model);
  std::stable_sort(cs.begin(), cs.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.row != b.row ? a.row < b.row : a.col < b.col;
  });
  const double reach = o.merge_distance / pixel_size;  // pixels
  std::vector<Candidate> kept;
  for (auto& c : cs) {
    auto near = std::find_if(kept.begin(), kept.end(), [&](const Candidate& k) {
      return std::hypot(k.row - c.row, k.col - c.col) <= reach;
    });
    if (near != kept.end()) {
      near->merged += 1 + c.merged;
      continue;
    }
    kept.push_back(std::move(c));
  }
  cs = std::move(kept);
}

double spectral_correlation(const std::vector<double>& deficit, const std::vector<double>& k,
                            const std::vector<double>& wl) {
  std::vector<int> use;
  for (std::size_t b = 0; b < deficit.size(); ++b)
    if (std::isfinite(deficit[b]) && std::isfinite(k[b]) && std::isfinite(wl[b])) use.push_back(static_cast<int>(b));
  const auto n = static_cast<Index>(use.size());
  if (n < 6) return kNaN;
  double mean_wl = 0;
  for (int b : use) mean_wl += wl[static_cast<std::size_t>(b)];
  mean_wl /= static_cast<double>(n);
  Eigen::MatrixXd basis(n, 3);
  Eigen::VectorXd d(n), a(n);
  for (Index i = 0; i < n; ++i) {
    const auto b = static_cast<std::size_t>(use[static_cast<std::size_t>(i)]);
    const double t = (wl[b] - mean_wl) / 100.0;
    basis.row(i) << 1, t, t * t;
    d(i) = deficit[b];
    a(i) = k[b];
  }
  const auto qr = basis.colPivHouseholderQr();
  const Eigen::VectorXd rd = d - basis * qr.solve(d), ra = a - basis * qr.solve(a);
  const double nd = rd.norm(), na = ra.norm();
  if (!(nd > 0) || !(na > 0)) return kNaN;
  return rd.dot(ra) / (nd * na);
}

namespace {
// Ridge-regularised Newton on the standardised terms flagged in `use`; beta[0] the intercept.
Eigen::VectorXd newton_logistic(const Eigen::MatrixXd& X, const Eigen::VectorXd& Y, const std::vector<bool>& use,
                                double ridge) {
  const Index p = X.cols(), n = X.rows();
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  Eigen::MatrixXd penalty = ridge * static_cast<double>(std::max<Index>(n, 1)) * Eigen::MatrixXd::Identity(p, p);
  penalty(0, 0) = 0;
  for (Index j = 0; j < p; ++j)
    if (!use[static_cast<std::size_t>(j)]) penalty(j, j) = 1e12;  // held at 0
  for (int it = 0; it < 50; ++it) {
    const Eigen::VectorXd eta = X * beta;
    Eigen::VectorXd mu(n), w(n);
    for (Index i = 0; i < n; ++i) {
      mu(i) = 1 / (1 + std::exp(-eta(i)));
      w(i) = std::max(1e-9, mu(i) * (1 - mu(i)));
    }
    const Eigen::VectorXd grad = X.transpose() * (Y - mu) - penalty * beta;
    const Eigen::MatrixXd hess = X.transpose() * w.asDiagonal() * X + penalty;
    const Eigen::VectorXd step = hess.ldlt().solve(grad);
    beta += step;
    if (step.lpNorm<Eigen::Infinity>() < 1e-9) break;
  }
  for (Index j = 0; j < p; ++j)
    if (!use[static_cast<std::size_t>(j)]) beta(j) = 0;
  return beta;
}
}  // namespace

ScoreModel fit_score_model(const std::vector<std::array<double, kScoreTerms>>& x, const std::vector<int>& y,
                           double ridge, const std::array<int, kScoreTerms>& signs) {
  const auto n = static_cast<Index>(x.size());
  constexpr Index p = kScoreTerms + 1;
  // Standardised terms (ddof 0), so one ridge suits them all; the model is mapped back at the end.
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(p - 1), sd = Eigen::VectorXd::Ones(p - 1);
  for (Index j = 0; j < p - 1; ++j) {
    double s = 0, ss = 0;
    for (const auto& r : x) s += r[static_cast<std::size_t>(j)];
    mean(j) = n ? s / static_cast<double>(n) : 0;
    for (const auto& r : x) ss += std::pow(r[static_cast<std::size_t>(j)] - mean(j), 2);
    sd(j) = n > 0 && ss > 0 ? std::sqrt(ss / static_cast<double>(n)) : 1;
  }
  Eigen::MatrixXd X(n, p);
  Eigen::VectorXd Y(n);
  for (Index i = 0; i < n; ++i) {
    X(i, 0) = 1;
    for (Index j = 1; j < p; ++j) X(i, j) = (x[static_cast<std::size_t>(i)][static_cast<std::size_t>(j - 1)] - mean(j - 1)) / sd(j - 1);
    Y(i) = y[static_cast<std::size_t>(i)] ? 1 : 0;
  }
  // A term whose weight comes out against its required sign is left out and the rest fitted
  // again, until every weight agrees with the evidence it stands for.
  std::vector<bool> use(static_cast<std::size_t>(p), true);
  Eigen::VectorXd beta;
  for (int round = 0; round <= kScoreTerms; ++round) {
    beta = newton_logistic(X, Y, use, ridge);
    bool dropped = false;
    for (Index j = 1; j < p; ++j) {
      const int sign = signs[static_cast<std::size_t>(j - 1)];
      if (use[static_cast<std::size_t>(j)] && sign * beta(j) < 0) {
        use[static_cast<std::size_t>(j)] = false;
        dropped = true;
      }
    }
    if (!dropped) break;
  }
  ScoreModel m;
  m.intercept = beta(0);
  for (Index j = 1; j < p; ++j) {
    m.weights[static_cast<std::size_t>(j - 1)] = beta(j) / sd(j - 1);
    m.intercept -= beta(j) * mean(j - 1) / sd(j - 1);
  }
  return m;
}

}  // namespace hyperplume::plume
