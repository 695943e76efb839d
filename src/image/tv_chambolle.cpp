#include <barrier>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/image/tv_chambolle.hpp>
#include <thread>
#include <vector>

namespace hyperplume::image {

template <class T>
Raster<T> tv_chambolle(const Raster<T>& f, double weight, const TvOptions& o, TvResult* result) {
  if (!(weight > 0)) throw InputError("TV denoising needs a positive weight");
  const int H = static_cast<int>(f.rows()), W = static_cast<int>(f.cols());
  Raster<T> out(H, W);
  if (H == 0 || W == 0) return out;
  // The dual field p = (p0, p1); the gradient and divergence are formed on the fly.
  Raster<T> p0 = Raster<T>::Zero(H, W), p1 = Raster<T>::Zero(H, W);
  const T tau = T(0.25), tau_w = static_cast<T>(0.25 / weight);
  constexpr int kBlockRows = 16;
  const int blocks = (H + kBlockRows - 1) / kBlockRows;
  std::vector<double> d_sum(static_cast<std::size_t>(blocks)), n_sum(d_sum.size());

  // Phase 1: out = f + d with d the negative divergence of p (zero at the first iteration,
  // when p is zero), and Σ d².
  auto primal = [&](int b) {
    double s = 0;
    for (int r = b * kBlockRows; r < std::min(H, (b + 1) * kBlockRows); ++r) {
      const T* pr0 = &p0(r, 0);
      const T* pr1 = &p1(r, 0);
      const T* up0 = r > 0 ? &p0(r - 1, 0) : nullptr;
      const T* fr = &f(r, 0);
      T* o_r = &out(r, 0);
      for (int c = 0; c < W; ++c) {
        T d = -(pr0[c] + pr1[c]);
        if (up0) d += up0[c];
        if (c > 0) d += pr1[c - 1];
        o_r[c] = fr[c] + d;
        s += static_cast<double>(d) * static_cast<double>(d);
      }
    }
    d_sum[static_cast<std::size_t>(b)] = s;
  };
  // Phase 2: forward differences g of out (zero on the last row / column), |g|, and the
  // projection p = (p − τ g) / (1 + τ/w |g|).
  auto dual = [&](int b) {
    double s = 0;
    for (int r = b * kBlockRows; r < std::min(H, (b + 1) * kBlockRows); ++r) {
      const T* o_r = &out(r, 0);
      const T* o_dn = r + 1 < H ? &out(r + 1, 0) : nullptr;
      T* pr0 = &p0(r, 0);
      T* pr1 = &p1(r, 0);
      for (int c = 0; c < W; ++c) {
        const T g0 = o_dn ? o_dn[c] - o_r[c] : T(0);
        const T g1 = c + 1 < W ? o_r[c + 1] - o_r[c] : T(0);
        const T n = std::sqrt(g0 * g0 + g1 * g1);
        s += static_cast<double>(n);
        const T denom = T(1) + tau_w * n;
        pr0[c] = (pr0[c] - tau * g0) / denom;
        pr1[c] = (pr1[c] - tau * g1) / denom;
      }
    }
    n_sum[static_cast<std::size_t>(b)] = s;
  };

  double e0 = 0, e_prev = 0;
  int iteration = 0;
  bool stop = false;
  auto converged = [&]() noexcept {
    double d = 0, n = 0;
    for (int b = 0; b < blocks; ++b) {
      d += d_sum[static_cast<std::size_t>(b)];
      n += n_sum[static_cast<std::size_t>(b)];
    }
    const double e = (d + weight * n) / (static_cast<double>(H) * W);
    if (iteration == 0) {
      e0 = e_prev = e;
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
    while (!stop) {
      for (int b = 0; b < blocks; ++b) primal(b);
      for (int b = 0; b < blocks; ++b) dual(b);
      converged();
    }
  } else {
    std::barrier<> between_phases(threads);
    std::barrier end_of_iteration(threads, converged);
    auto team = [&](int t) {
      while (!stop) {
        for (int b = t; b < blocks; b += threads) primal(b);
        between_phases.arrive_and_wait();
        for (int b = t; b < blocks; b += threads) dual(b);
        end_of_iteration.arrive_and_wait();
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(team, t);
    team(0);
    for (auto& th : pool) th.join();
  }
  if (result) result->iterations = iteration;
  return out;
}

template Raster<float> tv_chambolle(const Raster<float>&, double, const TvOptions&, TvResult*);
template Raster<double> tv_chambolle(const Raster<double>&, double, const TvOptions&, TvResult*);

}  // namespace hyperplume::image
