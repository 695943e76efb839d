#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/retrieval/matched_filter.hpp>
#include <limits>

namespace hyperplume::retrieval {

const char* column_status_name(ColumnStatus s) {
  switch (s) {
    case ColumnStatus::ok:
      return "ok";
    case ColumnStatus::loaded:
      return "loaded";
    case ColumnStatus::pseudo_inverse:
      return "pseudo_inverse";
    case ColumnStatus::too_few_pixels:
      return "too_few_pixels";
    case ColumnStatus::degenerate:
      return "degenerate";
    case ColumnStatus::no_pixels:
      return "no_pixels";
  }
  return "?";
}

double BandNoise::sigma(std::size_t band, double radiance) const {
  return a[band] * std::sqrt(std::max(0.0, b[band] + radiance)) + c[band];
}

double hypergas_scale(std::span<const double> k) {
  double kstar = -std::numeric_limits<double>::infinity();
  for (double v : k)
    if (v < 0) kstar = std::max(kstar, v);
  if (!std::isfinite(kstar))
    throw InputError("unit spectrum has no negative value: the HyperGas scaling is undefined");
  const double s = kstar > -1 ? -1.0 / kstar : -kstar;
  return std::round(s * 10.0) / 10.0;
}

namespace {
using MatrixXd = Eigen::MatrixXd;
using VectorXd = Eigen::VectorXd;

// Solves C y = d for several right-hand sides with the most stable factorisation needed.
struct Solver {
  Eigen::LLT<MatrixXd> llt;
  MatrixXd pinv;
  bool use_pinv = false;

  ColumnStatus factor(const MatrixXd& c, const MatchedFilterParams& p, double& rcond,
                      double& loading) {
    const Eigen::Index n = c.rows();
    const double scale = c.trace() / static_cast<double>(n);
    loading = 0;
    llt.compute(c);
    if (llt.info() == Eigen::Success && (rcond = llt.rcond()) >= p.min_rcond)
      return ColumnStatus::ok;
    for (double rel = p.loading_start; rel <= p.loading_max; rel *= 10.0) {
      MatrixXd loaded = c;
      loaded.diagonal().array() += rel * scale;
      llt.compute(loaded);
      if (llt.info() == Eigen::Success && (rcond = llt.rcond()) >= p.min_rcond) {
        loading = rel;
        return ColumnStatus::loaded;
      }
    }
    Eigen::SelfAdjointEigenSolver<MatrixXd> eig(c);
    const VectorXd ev = eig.eigenvalues();
    const double cutoff = 1e-15 * ev.cwiseAbs().maxCoeff() * static_cast<double>(n);
    VectorXd inv = ev.unaryExpr([&](double v) { return std::abs(v) > cutoff ? 1.0 / v : 0.0; });
    pinv = eig.eigenvectors() * inv.asDiagonal() * eig.eigenvectors().transpose();
    use_pinv = true;
    rcond = ev.maxCoeff() > 0 ? std::max(0.0, ev.minCoeff()) / ev.maxCoeff() : 0.0;
    return ColumnStatus::pseudo_inverse;
  }
  VectorXd solve(const VectorXd& d) const {
    return use_pinv ? VectorXd(pinv * d) : VectorXd(llt.solve(d));
  }
};
}  // namespace

namespace {
// The pixels of a column to retrieve and those entering the statistics.
struct ColumnRows {
  std::vector<Eigen::Index> use, bg;
};

ColumnQa sparse_column(const ColumnBlock& X, const ColumnRows& rows,
                       std::span<const std::uint8_t> background, std::span<const double> k,
                       const MatchedFilterParams& p, ColumnQa qa, std::span<float> alpha,
                       std::span<float> sigma) {
  const Eigen::Index nb = X.cols();
  const auto& use_rows = rows.use;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const Eigen::Map<const VectorXd> kv(k.data(), nb);
  const auto n = static_cast<Eigen::Index>(use_rows.size());
  MatrixXd x(n, nb);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index b = 0; b < nb; ++b) x(i, b) = X(use_rows[static_cast<std::size_t>(i)], b);
  std::vector<char> in_bg(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i)
    in_bg[static_cast<std::size_t>(i)] =
        background[static_cast<std::size_t>(use_rows[static_cast<std::size_t>(i)])];
  VectorXd a = VectorXd::Zero(n), ratio = VectorXd::Ones(n);
  double sig = 0;
  for (int it = 0; it < p.sparse_iterations; ++it) {
    // Background: the radiance with the current plume estimate removed.
    VectorXd mu = VectorXd::Zero(nb);
    double m = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      if (in_bg[static_cast<std::size_t>(i)]) {
        mu += x.row(i).transpose();
        m += 1;
      }
    mu /= m;
    const VectorXd t = kv.cwiseProduct(mu);
    MatrixXd resid(static_cast<Eigen::Index>(m), nb);
    for (Eigen::Index i = 0, j = 0; i < n; ++i)
      if (in_bg[static_cast<std::size_t>(i)])
        resid.row(j++) = x.row(i) - mu.transpose() - (a[i] * ratio[i]) * t.transpose();
    MatrixXd cov = MatrixXd::Zero(nb, nb);
    cov.selfadjointView<Eigen::Lower>().rankUpdate(resid.transpose(), 1.0 / (m - 1));
    cov = MatrixXd(cov.selfadjointView<Eigen::Lower>());
    if (!(cov.trace() > 0)) {
      qa.status = ColumnStatus::degenerate;
      for (Eigen::Index r : use_rows)
        alpha[static_cast<std::size_t>(r)] = sigma[static_cast<std::size_t>(r)] = nan;
      return qa;
    }
    Solver solver;
    qa.status = solver.factor(cov, p, qa.rcond, qa.loading);
    const VectorXd w = solver.solve(t);
    const double norm = t.dot(w);
    sig = 1.0 / std::sqrt(norm);
    const double mu2 = mu.squaredNorm();
    for (Eigen::Index i = 0; i < n; ++i) {
      ratio[i] = std::max(1e-6, x.row(i).dot(mu) / mu2);
      const double proj = (x.row(i).transpose() - mu).dot(w);
      const double lambda =
          p.sparse_threshold * std::sqrt(norm) / (1.0 + a[i] / sig);  // reweighted L1
      a[i] = std::max(0.0, (proj - lambda) / (ratio[i] * norm));
    }
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    alpha[static_cast<std::size_t>(use_rows[static_cast<std::size_t>(i)])] =
        static_cast<float>(a[i]);
    sigma[static_cast<std::size_t>(use_rows[static_cast<std::size_t>(i)])] =
        static_cast<float>(sig / ratio[i]);
  }
  return qa;
}
}  // namespace

ColumnQa matched_filter_column(const ColumnBlock& X, std::span<const std::uint8_t> use,
                               std::span<const std::uint8_t> background, std::span<const double> k,
                               const BandNoise* noise, const MatchedFilterParams& p,
                               std::span<float> alpha, std::span<float> sigma) {
  const Eigen::Index rows = X.rows(), nb = X.cols();
  ColumnRows split;
  for (Eigen::Index r = 0; r < rows; ++r) {
    if (use[static_cast<std::size_t>(r)]) split.use.push_back(r);
    if (background[static_cast<std::size_t>(r)]) split.bg.push_back(r);
  }
  const auto& use_rows = split.use;
  const auto& bg_rows = split.bg;
  ColumnQa qa;
  qa.valid_pixels = static_cast<std::int32_t>(use_rows.size());
  qa.background_pixels = static_cast<std::int32_t>(bg_rows.size());
  const float fill = std::numeric_limits<float>::quiet_NaN();
  auto write_fill = [&](float value) {
    for (Eigen::Index r : use_rows) {
      alpha[static_cast<std::size_t>(r)] = value;
      sigma[static_cast<std::size_t>(r)] = fill;
    }
  };
  if (use_rows.empty()) return qa;  // no_pixels
  if (bg_rows.size() < 2) {
    qa.status = ColumnStatus::too_few_pixels;
    write_fill(p.zero_when_too_few ? 0.0f : fill);
    return qa;
  }
  if (p.distribution == RadianceDistribution::sparse)
    return sparse_column(X, split, background, k, p, qa, alpha, sigma);
  const bool lognormal = p.distribution == RadianceDistribution::lognormal;

  auto transform = [&](float v) {
    return lognormal ? (v > 0 ? std::log(static_cast<double>(v)) : 0.0) : static_cast<double>(v);
  };
  // Background statistics in float64.
  const auto nbg = static_cast<Eigen::Index>(bg_rows.size());
  MatrixXd xb(nbg, nb);
  for (Eigen::Index i = 0; i < nbg; ++i)
    for (Eigen::Index b = 0; b < nb; ++b)
      xb(i, b) = transform(X(bg_rows[static_cast<std::size_t>(i)], b));
  const VectorXd mu = xb.colwise().mean();
  xb.rowwise() -= mu.transpose();
  MatrixXd cov = MatrixXd::Zero(nb, nb);
  cov.selfadjointView<Eigen::Lower>().rankUpdate(xb.transpose(),
                                                 1.0 / static_cast<double>(nbg - 1));
  cov = MatrixXd(cov.selfadjointView<Eigen::Lower>());
  if (!(cov.trace() > 0) || !std::isfinite(cov.trace())) {
    qa.status = ColumnStatus::degenerate;
    write_fill(fill);
    return qa;
  }

  const Eigen::Map<const VectorXd> kv(k.data(), nb);
  VectorXd d;
  double out_scale = 1.0;
  if (p.form == TargetForm::textbook) {
    d = lognormal ? VectorXd(kv) : VectorXd(kv.cwiseProduct(mu));
  } else {
    d = lognormal ? VectorXd(p.hypergas_scale * kv - mu)
                  : VectorXd(p.hypergas_scale * kv.cwiseProduct(mu) - mu);
    out_scale = p.hypergas_scale;
  }
  Solver solver;
  qa.status = solver.factor(cov, p, qa.rcond, qa.loading);
  const VectorXd cd = solver.solve(d);
  const double norm = d.dot(cd);
  if (!(std::abs(norm) > 0) || !std::isfinite(norm)) {
    qa.status = ColumnStatus::degenerate;
    write_fill(fill);
    return qa;
  }
  const VectorXd w = cd * (out_scale / norm);  // alpha = w^T (f(x) - mu)

  // Uncertainty: the background covariance with the column's mean instrument noise
  // replaced by the pixel's own, propagated through w.
  const double total_var = w.dot(cov * w);
  VectorXd w2 = w.cwiseAbs2();
  auto noise_var = [&](Eigen::Index r) {
    double v = 0;
    for (Eigen::Index b = 0; b < nb; ++b) {
      const double l = X(r, b);
      double s = noise->sigma(static_cast<std::size_t>(b), l);
      if (lognormal) s /= std::max(l, 1e-6);
      v += w2[b] * s * s;
    }
    return v;
  };
  double mean_noise_var = 0;
  if (noise) {
    for (Eigen::Index r : bg_rows) mean_noise_var += noise_var(r);
    mean_noise_var /= static_cast<double>(bg_rows.size());
  }
  const bool albedo = p.albedo_correction && !lognormal;
  const double mu2 = mu.squaredNorm();
  for (Eigen::Index r : use_rows) {
    double a = 0, xmu = 0;
    for (Eigen::Index b = 0; b < nb; ++b) {
      a += w[b] * (transform(X(r, b)) - mu[b]);
      xmu += static_cast<double>(X(r, b)) * mu[b];
    }
    const double ratio = albedo ? xmu / mu2 : 1.0;
    const double var =
        noise ? std::max(noise_var(r), total_var - mean_noise_var + noise_var(r)) : total_var;
    const bool ok = ratio > 0;
    alpha[static_cast<std::size_t>(r)] = ok ? static_cast<float>(a / ratio) : fill;
    sigma[static_cast<std::size_t>(r)] = ok ? static_cast<float>(std::sqrt(var) / ratio) : fill;
  }
  return qa;
}

}  // namespace hyperplume::retrieval
