#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/geolocation_glt.hpp>
#include <limits>
#include <vector>

namespace hyperplume::geo {
namespace {

constexpr double kDeg = 3.14159265358979323846 / 180.0;

struct Swath {
  const Raster<double>& lat;
  const Raster<double>& lon;
  bool valid(Eigen::Index r, Eigen::Index c) const {
    return r >= 0 && c >= 0 && r < lat.rows() && c < lat.cols() && std::isfinite(lat(r, c)) &&
           std::isfinite(lon(r, c));
  }
  // The step to the next pixel along one axis, centred where both neighbours exist.
  bool step(Eigen::Index r, Eigen::Index c, Eigen::Index dr, Eigen::Index dc, double& dlon,
            double& dlat) const {
    const bool ahead = valid(r + dr, c + dc), behind = valid(r - dr, c - dc);
    if (ahead && behind) {
      dlon = 0.5 * (lon(r + dr, c + dc) - lon(r - dr, c - dc));
      dlat = 0.5 * (lat(r + dr, c + dc) - lat(r - dr, c - dc));
    } else if (ahead) {
      dlon = lon(r + dr, c + dc) - lon(r, c);
      dlat = lat(r + dr, c + dc) - lat(r, c);
    } else if (behind) {
      dlon = lon(r, c) - lon(r - dr, c - dc);
      dlat = lat(r, c) - lat(r - dr, c - dc);
    } else {
      return false;
    }
    return true;
  }
  // The point's position in the pixel's own (row, column) steps, on a local metric plane
  // (longitude scaled by cos lat); the largest of |row offset| and |column offset|, which is
  // at most 0.5 inside the footprint. Infinity where the footprint is undefined.
  double footprint_norm(Eigen::Index r, Eigen::Index c, double plon, double plat) const {
    double a_lon = 0, a_lat = 0, b_lon = 0, b_lat = 0;
    if (!step(r, c, 1, 0, a_lon, a_lat) || !step(r, c, 0, 1, b_lon, b_lat))
      return std::numeric_limits<double>::infinity();
    const double k = std::cos(lat(r, c) * kDeg);
    const double ax = a_lon * k, ay = a_lat, bx = b_lon * k, by = b_lat;
    const double px = (plon - lon(r, c)) * k, py = plat - lat(r, c);
    const double det = ax * by - ay * bx;
    if (det == 0) return std::numeric_limits<double>::infinity();
    const double u = (px * by - py * bx) / det, v = (ax * py - ay * px) / det;
    return std::max(std::abs(u), std::abs(v));
  }
};

}  // namespace

Glt glt_from_geolocation(const Raster<double>& lat, const Raster<double>& lon, double cell_deg) {
  if (lat.rows() != lon.rows() || lat.cols() != lon.cols())
    throw InternalError("latitude and longitude arrays differ in shape");
  if (!(cell_deg > 0)) throw InternalError("GLT cell size must be positive");
  const Swath sw{lat, lon};
  double lon0 = std::numeric_limits<double>::infinity(), lon1 = -lon0, lat0 = lon0, lat1 = -lon0;
  for (Eigen::Index r = 0; r < lat.rows(); ++r)
    for (Eigen::Index c = 0; c < lat.cols(); ++c)
      if (sw.valid(r, c)) {
        lon0 = std::min(lon0, lon(r, c));
        lon1 = std::max(lon1, lon(r, c));
        lat0 = std::min(lat0, lat(r, c));
        lat1 = std::max(lat1, lat(r, c));
      }
  if (!std::isfinite(lon0)) throw InputError("no pixel has a finite latitude and longitude", {});
  const double d = cell_deg;
  lon0 -= 0.5 * d;
  lon1 += 0.5 * d;
  lat0 -= 0.5 * d;
  lat1 += 0.5 * d;
  const auto nx = static_cast<Eigen::Index>(std::ceil((lon1 - lon0) / d));
  const auto ny = static_cast<Eigen::Index>(std::ceil((lat1 - lat0) / d));
  Glt g;
  g.x = Raster<std::int32_t>::Zero(ny, nx);
  g.y = Raster<std::int32_t>::Zero(ny, nx);
  g.transform.gt = {lon0, d, 0.0, lat1, 0.0, -d};
  auto centre_lon = [&](Eigen::Index i) { return lon0 + (static_cast<double>(i) + 0.5) * d; };
  auto centre_lat = [&](Eigen::Index j) { return lat1 - (static_cast<double>(j) + 0.5) * d; };
  auto distance2 = [&](Eigen::Index r, Eigen::Index c, double plon, double plat) {
    const double k = std::cos(plat * kDeg);
    const double dx = (lon(r, c) - plon) * k, dy = lat(r, c) - plat;
    return dx * dx + dy * dy;
  };

  // Each pixel centre claims its cell; the nearest claim wins (ties: the first in file order).
  Raster<double> best = Raster<double>::Constant(ny, nx, std::numeric_limits<double>::infinity());
  for (Eigen::Index r = 0; r < lat.rows(); ++r)
    for (Eigen::Index c = 0; c < lat.cols(); ++c) {
      if (!sw.valid(r, c)) continue;
      const auto i = static_cast<Eigen::Index>((lon(r, c) - lon0) / d);
      const auto j = static_cast<Eigen::Index>((lat1 - lat(r, c)) / d);
      if (i < 0 || j < 0 || i >= nx || j >= ny) continue;
      const double d2 = distance2(r, c, centre_lon(i), centre_lat(j));
      if (d2 < best(j, i)) {
        best(j, i) = d2;
        g.x(j, i) = static_cast<std::int32_t>(c + 1);
        g.y(j, i) = static_cast<std::int32_t>(r + 1);
      }
    }

  // A cell no centre fell in takes the pixel, among the claimants of the cells around it and
  // their neighbours, whose footprint holds its centre most centrally.
  const Raster<std::int32_t> claimed_x = g.x, claimed_y = g.y;
  constexpr Eigen::Index kReach = 2;
  std::vector<std::pair<Eigen::Index, Eigen::Index>> candidates;
  for (Eigen::Index j = 0; j < ny; ++j)
    for (Eigen::Index i = 0; i < nx; ++i) {
      if (claimed_x(j, i) != 0) continue;
      candidates.clear();
      for (Eigen::Index jj = std::max<Eigen::Index>(0, j - kReach);
           jj <= std::min(ny - 1, j + kReach); ++jj)
        for (Eigen::Index ii = std::max<Eigen::Index>(0, i - kReach);
             ii <= std::min(nx - 1, i + kReach); ++ii)
          if (claimed_x(jj, ii) != 0)
            for (Eigen::Index dr = -1; dr <= 1; ++dr)
              for (Eigen::Index dc = -1; dc <= 1; ++dc)
                candidates.emplace_back(claimed_y(jj, ii) - 1 + dr, claimed_x(jj, ii) - 1 + dc);
      if (candidates.empty()) continue;
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      const double plon = centre_lon(i), plat = centre_lat(j);
      double norm = 0.5 + 1e-9;  // inside the footprint, edges included
      for (const auto& [r, c] : candidates) {
        if (!sw.valid(r, c)) continue;
        const double n = sw.footprint_norm(r, c, plon, plat);
        if (n <= norm) {
          norm = n;
          g.x(j, i) = static_cast<std::int32_t>(c + 1);
          g.y(j, i) = static_cast<std::int32_t>(r + 1);
        }
      }
    }
  return g;
}

}  // namespace hyperplume::geo
