#include <algorithm>
#include <cmath>
#include <hyperplume/synth/site.hpp>
#include <limits>
#include <numbers>

namespace hyperplume::synth {
namespace {
constexpr double kPi = std::numbers::pi;
std::uint64_t lattice_counter(std::int64_t i, std::int64_t j) {
  return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(i)) << 32) |
         static_cast<std::uint32_t>(j);
}
double smooth(double t) { return t * t * (3.0 - 2.0 * t); }
}  // namespace

double ValueNoise::lattice(std::int64_t i, std::int64_t j) const {
  return rng_.uniform(lattice_counter(i, j));
}

double ValueNoise::operator()(double east, double north) const {
  double sum = 0, norm = 0, amp = 1, freq = 1;
  for (int octave = 0; octave < 3; ++octave) {
    const double x = east / scale_ * freq + 17.3 * octave, y = north / scale_ * freq - 9.1 * octave;
    const double fx = std::floor(x), fy = std::floor(y);
    const auto i = static_cast<std::int64_t>(fx), j = static_cast<std::int64_t>(fy);
    const double tx = smooth(x - fx), ty = smooth(y - fy);
    const double v00 = lattice(i, j), v10 = lattice(i + 1, j), v01 = lattice(i, j + 1),
                 v11 = lattice(i + 1, j + 1);
    sum += amp * ((v00 * (1 - tx) + v10 * tx) * (1 - ty) + (v01 * (1 - tx) + v11 * tx) * ty);
    norm += amp;
    amp *= 0.5;
    freq *= 2.0;
  }
  return sum / norm;
}

Site::Site(std::uint64_t seed, double lat, double lon, double elevation, const SurfaceLibrary& lib,
           const std::vector<geo::EastNorth>& sources, double extent, double keep_clear,
           double relief)
    : frame_(lat, lon),
      rng_(seed, stream_id("site")),
      base_elevation_(elevation),
      relief_(relief),
      extent_(extent),
      landscape_(rng_.substream(1), 4000.0),
      brightness_(rng_.substream(2), 900.0),
      terrain_(rng_.substream(3), 6000.0),
      sources_(sources) {
  const CounterRng pick = rng_.substream(4);
  std::uint64_t counter = 0;
  // A site uses a handful of spectra per land class, as a real landscape does.
  const int per_class[kSurfaceClassCount] = {0, 8, 8, 6};
  for (int c = 1; c < kSurfaceClassCount; ++c) {
    const auto& m = lib.members(static_cast<SurfaceClass>(c));
    if (m.empty()) continue;
    for (int k = 0; k < per_class[c]; ++k)
      palette_[c].push_back(
          m[static_cast<std::size_t>(pick.uniform(counter++) * static_cast<double>(m.size()))]);
  }

  const CounterRng water = rng_.substream(5);
  counter = 0;
  auto u = [&] { return water.uniform(counter++); };
  auto clear_of_sources = [&](double e, double n, double r) {
    for (const auto& s : sources_)
      if (std::hypot(s.east - e, s.north - n) < r + keep_clear) return false;
    return true;
  };
  const int n_lakes = 1 + static_cast<int>(u() * 3.0);
  for (int attempt = 0; attempt < 200 && static_cast<int>(lakes_.size()) < n_lakes; ++attempt) {
    Lake lake{};
    lake.radius = extent * (0.04 + 0.08 * u());
    lake.east = (2 * u() - 1) * extent * 0.85;
    lake.north = (2 * u() - 1) * extent * 0.85;
    for (int h = 0; h < 3; ++h) {
      lake.amp[h] = 0.18 * u();
      lake.phase[h] = 2 * kPi * u();
    }
    if (clear_of_sources(lake.east, lake.north, 1.35 * lake.radius)) lakes_.push_back(lake);
  }
  if (u() < 0.5) {
    River r{};
    r.angle = kPi * u();
    r.offset = (2 * u() - 1) * extent * 0.6;
    r.amplitude = extent * (0.02 + 0.05 * u());
    r.wavelength = extent * (0.5 + u());
    r.phase = 2 * kPi * u();
    r.width = 60.0 + 140.0 * u();
    bool ok = true;
    for (const auto& s : sources_) {
      const double across = -s.east * std::sin(r.angle) + s.north * std::cos(r.angle);
      if (std::abs(across - r.offset) < r.amplitude + r.width + keep_clear) ok = false;
    }
    if (ok) rivers_.push_back(r);
  }
}

double Site::elevation(double east, double north) const {
  return base_elevation_ + relief_ * (terrain_(east, north) - 0.5);
}

bool Site::is_water(double east, double north) const {
  for (const Lake& l : lakes_) {
    const double de = east - l.east, dn = north - l.north;
    const double r = std::hypot(de, dn);
    if (r > l.radius * 1.6) continue;
    const double th = std::atan2(dn, de);
    const double shore = l.radius * (1.0 + l.amp[0] * std::cos(2 * th + l.phase[0]) +
                                     l.amp[1] * std::cos(3 * th + l.phase[1]) +
                                     l.amp[2] * std::cos(5 * th + l.phase[2]));
    if (r < shore) return true;
  }
  for (const River& r : rivers_) {
    const double along = east * std::cos(r.angle) + north * std::sin(r.angle);
    const double across = -east * std::sin(r.angle) + north * std::cos(r.angle);
    const double centre =
        r.offset + r.amplitude * std::sin(2 * kPi * along / r.wavelength + r.phase);
    if (std::abs(across - centre) < 0.5 * r.width) return true;
  }
  return false;
}

void Site::water_bounds(double& e0, double& n0, double& e1, double& n1) const {
  e0 = n0 = std::numeric_limits<double>::max();
  e1 = n1 = std::numeric_limits<double>::lowest();
  for (const Lake& l : lakes_) {
    const double r = l.radius * 1.6;
    e0 = std::min(e0, l.east - r);
    e1 = std::max(e1, l.east + r);
    n0 = std::min(n0, l.north - r);
    n1 = std::max(n1, l.north + r);
  }
  if (!rivers_.empty()) {  // rivers cross the whole site area
    const double r = 1.5 * extent_;
    e0 = std::min(e0, -r);
    e1 = std::max(e1, r);
    n0 = std::min(n0, -r);
    n1 = std::max(n1, r);
  }
}

bool Site::may_have_water(double e0, double n0, double e1, double n1) const {
  for (const Lake& l : lakes_) {
    const double r = l.radius * 1.6;
    if (l.east + r >= e0 && l.east - r <= e1 && l.north + r >= n0 && l.north - r <= n1) return true;
  }
  for (const River& r : rivers_) {
    const double reach = r.amplitude + r.width;
    int below = 0, above = 0;
    for (const double e : {e0, e1})
      for (const double n : {n0, n1}) {
        const double across = -e * std::sin(r.angle) + n * std::cos(r.angle) - r.offset;
        below += across < -reach;
        above += across > reach;
      }
    if (below < 4 && above < 4) return true;
  }
  return false;
}

SurfacePoint Site::surface(double east, double north) const {
  if (is_water(east, north)) return {SurfaceClass::water, -1, 1.0};
  // Jittered-grid Voronoi cells: fields and lots with straight-ish edges.
  const double gx = east / kCell, gy = north / kCell;
  const auto ci = static_cast<std::int64_t>(std::floor(gx)),
             cj = static_cast<std::int64_t>(std::floor(gy));
  const CounterRng cells = rng_.substream(6);
  double best = std::numeric_limits<double>::max();
  std::int64_t bi = 0, bj = 0;
  double bx = 0, by = 0;
  for (std::int64_t di = -1; di <= 1; ++di)
    for (std::int64_t dj = -1; dj <= 1; ++dj) {
      const std::int64_t i = ci + di, j = cj + dj;
      const auto [z1, z2] = cells.normal_pair(lattice_counter(i, j));
      const double px = static_cast<double>(i) + 0.5 + 0.3 * std::clamp(z1, -1.6, 1.6);
      const double py = static_cast<double>(j) + 0.5 + 0.3 * std::clamp(z2, -1.6, 1.6);
      const double d = (px - gx) * (px - gx) + (py - gy) * (py - gy);
      if (d < best) {
        best = d;
        bi = i;
        bj = j;
        bx = px * kCell;
        by = py * kCell;
      }
    }
  const CounterRng attrs = rng_.substream(7);
  const double u_urban = attrs.uniform(lattice_counter(bi, bj), 0);
  const double u_spec = attrs.uniform(lattice_counter(bi, bj), 1);
  const double u_bright = attrs.uniform(lattice_counter(bi, bj), 2);
  // Industrial ground around the facility, vegetation where the landscape field is high.
  double near = std::numeric_limits<double>::max();
  for (const auto& s : sources_) near = std::min(near, std::hypot(bx - s.east, by - s.north));
  SurfaceClass cls;
  if ((near < 1200.0 && u_urban < 0.7) || u_urban < 0.04)
    cls = SurfaceClass::urban;
  else if (landscape_(bx, by) > 0.56)
    cls = SurfaceClass::vegetation;
  else
    cls = SurfaceClass::soil;
  const auto& pal = palette_[static_cast<int>(cls)];
  const int spectrum =
      pal[static_cast<std::size_t>(u_spec * static_cast<double>(pal.size())) % pal.size()];
  const double brightness = (0.9 + 0.2 * u_bright) * (0.85 + 0.3 * brightness_(east, north));
  return {cls, spectrum, brightness};
}

}  // namespace hyperplume::synth
