#include <algorithm>
#include <barrier>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/image/tv_chambolle.hpp>
#include <vector>

namespace hyperplume::image {

namespace {
// p = (p − τ g) / (1 + τ/w |g|) along one row, and |g|. Restrict-qualified so the compiler
// vectorises it without runtime alias checks (the row buffers never overlap p).
template <class T>
void project_row(T* __restrict__ p0, T* __restrict__ p1, const T* __restrict__ g0,
                 const T* __restrict__ g1, T* __restrict__ norm, int w, T tau, T tau_w) {
  for (int c = 0; c < w; ++c) {
    const T n = std::sqrt(g0[c] * g0[c] + g1[c] * g1[c]);
    norm[c] = n;
    const T denom = T(1) + tau_w * n;
    p0[c] = (p0[c] - tau * g0[c]) / denom;
    p1[c] = (p1[c] - tau * g1[c]) / denom;
  }
}
}  // namespace

template <class T>
Raster<T> tv_chambolle(const Raster<T>& f, double weight, const TvOptions& o, TvResult* result,
                       TvDual<T>* warm) {
  if (!(weight > 0)) throw InputError("TV denoising needs a positive weight");
  const int H = static_cast<int>(f.rows()), W = static_cast<int>(f.cols());
  Raster<T> out(H, W);
  if (H == 0 || W == 0) return out;
  // The dual field p = (p0, p1); the gradient and divergence are formed on the fly.
  Raster<T> p0, p1;
  const bool warm_started =
      warm && warm->weight > 0 && warm->p0.rows() == H && warm->p0.cols() == W;
  if (warm_started) {
    const T scale = static_cast<T>(weight / warm->weight);
    p0 = std::move(warm->p0) * scale;
    p1 = std::move(warm->p1) * scale;
  } else {
    p0 = Raster<T>::Zero(H, W);
    p1 = Raster<T>::Zero(H, W);
  }
  const T tau = T(0.25), tau_w = static_cast<T>(0.25 / weight);
  constexpr int kBlockRows = 16;
  const int blocks = (H + kBlockRows - 1) / kBlockRows;
  // Σd² and Σ|g| per row, summed in row order: the energy does not depend on the threads.
  std::vector<double> row_d2(static_cast<std::size_t>(H)), row_norm(row_d2.size());

  // The inner loops carry no branches and no reductions, so they vectorise; each row's sum
  // is taken afterwards over a row buffer in a fixed order.
  auto row_sum = [](const T* x, int n, bool square) {
    double s[4] = {0, 0, 0, 0};
    int c = 0;
    for (; c + 4 <= n; c += 4)
      for (int k = 0; k < 4; ++k) {
        const auto v = static_cast<double>(x[c + k]);
        s[k] += square ? v * v : v;
      }
    for (; c < n; ++c) {
      const auto v = static_cast<double>(x[c]);
      s[0] += square ? v * v : v;
    }
    return (s[0] + s[1]) + (s[2] + s[3]);
  };

  // Primal row r: out = f + d with d the negative divergence of the current p, in
  // scikit-image's order: d = −(p0 + p1), += p0 of the row above, += p1 of the column to
  // the left. Reads p rows r − 1 and r, so it must run before those rows are updated.
  auto primal_row = [&](int r, T* d) {
    const T* pr0 = &p0(r, 0);
    const T* pr1 = &p1(r, 0);
    for (int c = 0; c < W; ++c) d[c] = -(pr0[c] + pr1[c]);
    if (r > 0) {
      const T* up0 = &p0(r - 1, 0);
      for (int c = 0; c < W; ++c) d[c] += up0[c];
    }
    for (int c = 1; c < W; ++c) d[c] += pr1[c - 1];
    const T* fr = &f(r, 0);
    T* o_r = &out(r, 0);
    for (int c = 0; c < W; ++c) o_r[c] = fr[c] + d[c];
    row_d2[static_cast<std::size_t>(r)] = row_sum(d, W, true);
  };
  // Dual row r: forward differences g of out (zero on the last row / column), |g|, and the
  // projection p = (p − τ g) / (1 + τ/w |g|). Needs out rows r and r + 1.
  auto dual_row = [&](int r, T* g0, T* g1, T* norm) {
    const T* o_r = &out(r, 0);
    if (r + 1 < H) {
      const T* o_dn = &out(r + 1, 0);
      for (int c = 0; c < W; ++c) g0[c] = o_dn[c] - o_r[c];
    } else {
      std::fill(g0, g0 + W, T(0));
    }
    for (int c = 0; c + 1 < W; ++c) g1[c] = o_r[c + 1] - o_r[c];
    g1[W - 1] = T(0);
    project_row(&p0(r, 0), &p1(r, 0), g0, g1, norm, W, tau, tau_w);
    row_norm[static_cast<std::size_t>(r)] = row_sum(norm, W, false);
  };
  // One sweep reads f and p once and writes p and out once (the stencil is memory-bound).
  // A block's first row is made beforehand (phase 1), since the block above updates the p
  // row it reads; then (phase 2) each block walks down: the primal of the next row from the
  // not-yet-updated p, then the dual of this row.
  struct Scratch {
    std::vector<T> d, g0, g1, norm;
    explicit Scratch(int w)
        : d(static_cast<std::size_t>(w)), g0(d.size()), g1(d.size()), norm(d.size()) {}
  };
  auto first_row = [&](int b, Scratch& s) { primal_row(b * kBlockRows, s.d.data()); };
  auto sweep = [&](int b, Scratch& s) {
    const int r1 = std::min(H, (b + 1) * kBlockRows);
    for (int r = b * kBlockRows; r < r1; ++r) {
      if (r + 1 < r1) primal_row(r + 1, s.d.data());
      dual_row(r, s.g0.data(), s.g1.data(), s.norm.data());
    }
  };

  // The stopping rule is relative to the energy of a cold start's first iteration (p = 0,
  // so out = f): w·mean|∇f|. A warm start keeps that reference, or it would stop later.
  double e0 = 0, e_prev = 0;
  if (warm_started) {
    double n = 0;
    for (int r = 0; r < H; ++r)
      for (int c = 0; c < W; ++c) {
        const T g0 = r + 1 < H ? f(r + 1, c) - f(r, c) : T(0);
        const T g1 = c + 1 < W ? f(r, c + 1) - f(r, c) : T(0);
        n += static_cast<double>(std::sqrt(g0 * g0 + g1 * g1));
      }
    e0 = weight * n / (static_cast<double>(H) * W);
  }
  int iteration = 0;
  bool stop = false;
  auto converged = [&]() noexcept {
    double d = 0, n = 0;
    for (int r = 0; r < H; ++r) {
      d += row_d2[static_cast<std::size_t>(r)];
      n += row_norm[static_cast<std::size_t>(r)];
    }
    const double e = (d + weight * n) / (static_cast<double>(H) * W);
    if (iteration == 0) {
      if (!warm_started) e0 = e;
      e_prev = e;
    } else if (std::abs(e_prev - e) < o.eps * e0) {
      stop = true;
    } else {
      e_prev = e;
    }
    ++iteration;
    if (iteration >= o.max_iterations) stop = true;
  };
  const int threads = std::max(1, std::min(o.threads, blocks));
  if (threads == 1) {
    Scratch scratch(W);
    while (!stop) {
      for (int b = 0; b < blocks; ++b) first_row(b, scratch);
      for (int b = 0; b < blocks; ++b) sweep(b, scratch);
      converged();
    }
  } else {
    // A team that meets at two barriers per iteration; member t sweeps blocks t, t + T, …
    // The members only do arithmetic on buffers that exist before the team starts (their
    // scratch is allocated here), so none can throw and leave the others at a barrier.
    std::vector<Scratch> scratch(static_cast<std::size_t>(threads), Scratch(W));
    std::barrier<> between_phases(threads);
    std::barrier end_of_iteration(threads, converged);
    run_team(threads, [&](int t) {
      Scratch& own = scratch[static_cast<std::size_t>(t)];
      while (!stop) {
        for (int b = t; b < blocks; b += threads) first_row(b, own);
        between_phases.arrive_and_wait();
        for (int b = t; b < blocks; b += threads) sweep(b, own);
        end_of_iteration.arrive_and_wait();
      }
    });
  }
  if (result) result->iterations = iteration;
  if (warm) *warm = TvDual<T>{std::move(p0), std::move(p1), weight};
  return out;
}

template Raster<float> tv_chambolle(const Raster<float>&, double, const TvOptions&, TvResult*,
                                    TvDual<float>*);
template Raster<double> tv_chambolle(const Raster<double>&, double, const TvOptions&, TvResult*,
                                     TvDual<double>*);

}  // namespace hyperplume::image
