#include <cmath>
#include <hyperplume/emission/ime.hpp>
#include <hyperplume/geo/planar_geometry.hpp>
#include <limits>

namespace hyperplume::emission {

double farthest_hull_distance(const std::vector<double>& px, const std::vector<double>& py,
                              double sx, double sy) {
  std::vector<geo::Point2> points(px.size());
  for (std::size_t i = 0; i < px.size(); ++i) points[i] = {px[i], py[i]};
  const auto hull = geo::convex_hull(std::move(points));
  if (hull.size() < 3) return std::numeric_limits<double>::quiet_NaN();
  double best = 0;
  for (const auto& p : hull) best = std::max(best, std::hypot(p.x - sx, p.y - sy));
  return best;
}

Ime integrated_mass_enhancement(const Raster<double>& column_mass, double res, int source_row,
                                int source_col) {
  Ime out;
  std::vector<double> cols, rows;
  for (Eigen::Index r = 0; r < column_mass.rows(); ++r)
    for (Eigen::Index c = 0; c < column_mass.cols(); ++c) {
      const double v = column_mass(r, c);
      if (!std::isfinite(v)) continue;
      out.mass += v;
      ++out.pixels;
      cols.push_back(static_cast<double>(c));
      rows.push_back(static_cast<double>(r));
    }
  const double area = res * res;
  out.mass *= area;
  out.l_eff = std::sqrt(static_cast<double>(out.pixels) * area);
  out.l_ime = farthest_hull_distance(cols, rows, source_col, source_row) * res;
  return out;
}

}  // namespace hyperplume::emission
