#include <algorithm>
#include <cmath>
#include <hyperplume/synth/puff_plume.hpp>
#include <vector>

namespace hyperplume::synth {
namespace {
double phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

struct Puff {
  double east, north, sigma, mass;
};
}  // namespace

double add_puff_plume(const SwathGeometry& swath, geo::EastNorth src, const PuffParams& p,
                      const CounterRng& rng, Raster<double>& mass) {
  const double speed = std::hypot(p.wind_u, p.wind_v);
  if (p.emission_kg_h <= 0 || speed <= 0) return 0.0;
  // Release step: puffs no farther apart than a third of their initial size.
  const double dt = std::min(5.0, p.initial_sigma / 3.0 / speed);
  const auto steps = static_cast<std::size_t>(std::ceil(p.max_age / dt));
  const double sigma_w = p.turbulence * speed, tl = p.lagrangian_time;
  const double decay = std::exp(-dt / tl), kick = sigma_w * std::sqrt(1.0 - decay * decay);

  // Wind history over the release window (index 0 = overpass, going back in time),
  // then each puff's displacement = integral of the wind from its release to now.
  std::vector<double> du(steps + 1), dv(steps + 1);
  double fu = sigma_w * rng.normal(0, 1), fv = sigma_w * rng.normal(0, 2);
  du[0] = dv[0] = 0;
  for (std::size_t k = 1; k <= steps; ++k) {
    const auto [z1, z2] = rng.normal_pair(k, 3);
    fu = fu * decay + kick * z1;
    fv = fv * decay + kick * z2;
    du[k] = du[k - 1] + (p.wind_u + fu) * dt;
    dv[k] = dv[k - 1] + (p.wind_v + fv) * dt;
  }

  // Old puffs are wide; merge neighbours (mass-weighted) while they sit well inside one
  // another, which keeps the cost bounded without changing the field noticeably.
  std::vector<Puff> puffs;
  const double m = p.emission_kg_h / 3600.0 * dt;
  Puff acc{0, 0, 0, 0};
  double acc_first_e = 0, acc_first_n = 0;
  for (std::size_t k = 1; k <= steps; ++k) {
    const double age = (static_cast<double>(k) - 0.5) * dt;
    const double x = age / tl;
    const double sigma = std::sqrt(p.initial_sigma * p.initial_sigma +
                                   2.0 * sigma_w * sigma_w * tl * tl * (x - 1.0 + std::exp(-x)));
    const double e = src.east + 0.5 * (du[k] + du[k - 1]),
                 n = src.north + 0.5 * (dv[k] + dv[k - 1]);
    if (acc.mass == 0) {
      acc_first_e = e;
      acc_first_n = n;
    }
    acc.east += m * e;
    acc.north += m * n;
    acc.sigma += m * sigma;
    acc.mass += m;
    const bool last = k == steps;
    if (last || std::hypot(e - acc_first_e, n - acc_first_n) > 0.25 * sigma) {
      puffs.push_back({acc.east / acc.mass, acc.north / acc.mass, acc.sigma / acc.mass, acc.mass});
      acc = {0, 0, 0, 0};
    }
  }

  double landed = 0;
  const int rows = swath.rows(), cols = swath.cols();
  std::vector<double> wr, wc;
  for (const Puff& pf : puffs) {
    const auto [rc, cc] = swath.pixel_of(pf.east, pf.north);
    const double sr = pf.sigma / swath.along_gsd();
    const double col_gsd = swath.cross_gsd(std::clamp(cc, 0.0, cols - 1.0));
    const double sc = pf.sigma / col_gsd;
    const int r0 = std::max(0, static_cast<int>(std::floor(rc - 4 * sr))),
              r1 = std::min(rows - 1, static_cast<int>(std::ceil(rc + 4 * sr)));
    const int c0 = std::max(0, static_cast<int>(std::floor(cc - 4 * sc))),
              c1 = std::min(cols - 1, static_cast<int>(std::ceil(cc + 4 * sc)));
    if (r0 > r1 || c0 > c1) continue;
    wr.resize(static_cast<std::size_t>(r1 - r0 + 1));
    wc.resize(static_cast<std::size_t>(c1 - c0 + 1));
    for (int r = r0; r <= r1; ++r)
      wr[static_cast<std::size_t>(r - r0)] = phi((r + 0.5 - rc) / sr) - phi((r - 0.5 - rc) / sr);
    for (int c = c0; c <= c1; ++c)
      wc[static_cast<std::size_t>(c - c0)] = phi((c + 0.5 - cc) / sc) - phi((c - 0.5 - cc) / sc);
    for (int c = c0; c <= c1; ++c) {
      const double area = swath.along_gsd() * swath.cross_gsd(c);  // each column's own footprint
      for (int r = r0; r <= r1; ++r) {
        const double frac =
            wr[static_cast<std::size_t>(r - r0)] * wc[static_cast<std::size_t>(c - c0)];
        mass(r, c) += pf.mass * frac / area;
        landed += pf.mass * frac;
      }
    }
  }
  return landed;
}

}  // namespace hyperplume::synth
