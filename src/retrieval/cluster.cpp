#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/retrieval/cluster.hpp>
#include <limits>
#include <vector>

namespace hyperplume::retrieval {
namespace {
constexpr std::size_t kChunk = 1 << 14;  // pixels per partial sum
}

Raster<std::int32_t> kmeans_segmentation(const RadianceCube& cube, const ClusterParams& p) {
  const int rows = cube.rows(), cols = cube.cols(), nb = cube.bands();
  const std::size_t npix = static_cast<std::size_t>(rows) * cols;  // in the cube's pixel order
  const int nc = std::min(p.components, nb);
  auto spectrum = [&](std::size_t i) { return cube.data() + i * nb; };
  auto value = [&](std::size_t i, int b) { return static_cast<double>(spectrum(i)[b]); };
  std::vector<std::uint8_t> valid(npix);
  for (std::size_t i = 0; i < npix; ++i) {
    bool ok = true;
    for (int b = 0; ok && b < nb; ++b) ok = std::isfinite(spectrum(i)[b]);
    valid[i] = ok;
  }

  // Mean and covariance over fixed chunks, reduced in order.
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(nb);
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(nb, nb);
  double n = 0;
  for (std::size_t c0 = 0; c0 < npix; c0 += kChunk) {
    Eigen::VectorXd s = Eigen::VectorXd::Zero(nb);
    double m = 0;
    for (std::size_t i = c0; i < std::min(npix, c0 + kChunk); ++i)
      if (valid[i]) {
        for (int b = 0; b < nb; ++b) s[b] += value(i, b);
        ++m;
      }
    mean += s;
    n += m;
  }
  if (n < p.clusters) throw InputError("cluster segmentation: fewer valid pixels than clusters");
  mean /= n;
  for (std::size_t c0 = 0; c0 < npix; c0 += kChunk) {
    Eigen::MatrixXd part = Eigen::MatrixXd::Zero(nb, nb);
    Eigen::VectorXd d(nb);
    for (std::size_t i = c0; i < std::min(npix, c0 + kChunk); ++i)
      if (valid[i]) {
        for (int b = 0; b < nb; ++b) d[b] = value(i, b) - mean[b];
        part.selfadjointView<Eigen::Lower>().rankUpdate(d);
      }
    cov += part;
  }
  cov = Eigen::MatrixXd(cov.selfadjointView<Eigen::Lower>()) / (n - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  Eigen::MatrixXd axes(nb, nc);
  for (int k = 0; k < nc; ++k) {
    Eigen::VectorXd v = eig.eigenvectors().col(nb - 1 - k);  // descending variance
    Eigen::Index imax = 0;
    v.cwiseAbs().maxCoeff(&imax);
    if (v[imax] < 0) v = -v;
    axes.col(k) = v;
  }

  // Scores and their bounding box.
  std::vector<float> score(npix * nc, 0.0f);
  std::vector<double> lo(nc, std::numeric_limits<double>::max()),
      hi(nc, std::numeric_limits<double>::lowest());
  for (std::size_t i = 0; i < npix; ++i) {
    if (!valid[i]) continue;
    for (int k = 0; k < nc; ++k) {
      double s = 0;
      for (int b = 0; b < nb; ++b) s += (value(i, b) - mean[b]) * axes(b, k);
      score[i * nc + k] = static_cast<float>(s);
      lo[k] = std::min(lo[k], s);
      hi[k] = std::max(hi[k], s);
    }
  }
  const int K = p.clusters;
  std::vector<double> centre(static_cast<std::size_t>(K) * nc);
  for (int c = 0; c < K; ++c)
    for (int k = 0; k < nc; ++k)
      centre[static_cast<std::size_t>(c * nc + k)] = lo[k] + c * (hi[k] - lo[k]) / (K - 1);

  std::vector<std::int32_t> label(npix, -1);
  for (int it = 0; it < p.max_iterations; ++it) {
    std::size_t moved = 0;
    for (std::size_t i = 0; i < npix; ++i) {
      if (!valid[i]) continue;
      int best = 0;
      double bestd = std::numeric_limits<double>::max();
      for (int c = 0; c < K; ++c) {
        double d = 0;
        for (int k = 0; k < nc; ++k)
          d += std::abs(static_cast<double>(score[i * nc + k]) -
                        centre[static_cast<std::size_t>(c * nc + k)]);
        if (d < bestd) {
          bestd = d;
          best = c;
        }
      }
      moved += label[i] != best;
      label[i] = best;
    }
    if (moved == 0) break;
    std::vector<double> sum(centre.size(), 0.0), count(static_cast<std::size_t>(K), 0.0);
    for (std::size_t c0 = 0; c0 < npix; c0 += kChunk) {
      std::vector<double> ps(centre.size(), 0.0), pc(static_cast<std::size_t>(K), 0.0);
      for (std::size_t i = c0; i < std::min(npix, c0 + kChunk); ++i) {
        if (label[i] < 0) continue;
        const auto c = static_cast<std::size_t>(label[i]);
        for (int k = 0; k < nc; ++k) ps[c * nc + k] += static_cast<double>(score[i * nc + k]);
        pc[c] += 1;
      }
      for (std::size_t j = 0; j < sum.size(); ++j) sum[j] += ps[j];
      for (std::size_t j = 0; j < count.size(); ++j) count[j] += pc[j];
    }
    for (int c = 0; c < K; ++c)
      if (count[static_cast<std::size_t>(c)] > 0)
        for (int k = 0; k < nc; ++k)
          centre[static_cast<std::size_t>(c * nc + k)] =
              sum[static_cast<std::size_t>(c * nc + k)] / count[static_cast<std::size_t>(c)];
  }
  Raster<std::int32_t> out(rows, cols);
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < rows; ++r) out(r, c) = label[static_cast<std::size_t>(c) * rows + r];
  return out;
}

}  // namespace hyperplume::retrieval
