#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/planar_geometry.hpp>
#include <limits>
#include <numbers>

namespace hyperplume::geo {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double cross(const Point2& o, const Point2& a, const Point2& b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

int sign(double v) { return (v > 0) - (v < 0); }

// (-pi/2, pi/2]: an axis has no direction.
double fold_axis_angle(double angle) {
  while (angle <= -std::numbers::pi / 2) angle += std::numbers::pi;
  while (angle > std::numbers::pi / 2) angle -= std::numbers::pi;
  return angle;
}

// For p known to be collinear with segment ab.
bool within_box(const Point2& a, const Point2& b, const Point2& p) {
  return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
         p.y <= std::max(a.y, b.y);
}

// Closed segments, so touching counts; degenerate (point) segments work too.
bool segments_intersect(const Point2& a, const Point2& b, const Point2& c, const Point2& d) {
  const int o1 = sign(cross(a, b, c)), o2 = sign(cross(a, b, d));
  const int o3 = sign(cross(c, d, a)), o4 = sign(cross(c, d, b));
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  return (o1 == 0 && within_box(a, b, c)) || (o2 == 0 && within_box(a, b, d)) ||
         (o3 == 0 && within_box(c, d, a)) || (o4 == 0 && within_box(c, d, b));
}

double point_segment_distance_sq(const Point2& p, const Point2& a, const Point2& b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double length_sq = dx * dx + dy * dy;
  double t = length_sq > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length_sq : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

// Even-odd rule with a ray towards +x. Points on the boundary may go either way: the
// segment distances that follow are 0 for them anyway.
bool inside_even_odd(const Point2& p, const std::vector<Point2>& ring) {
  bool inside = false;
  const std::size_t n = ring.size();
  for (std::size_t k = 0; k < n; ++k) {
    const Point2& a = ring[k];
    const Point2& b = ring[(k + 1) % n];
    if ((a.y > p.y) == (b.y > p.y)) continue;
    const double x_cross = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
    if (p.x < x_cross) inside = !inside;
  }
  return inside;
}

struct Box {
  double x0, y0, x1, y1;
};

Box segment_box(const Point2& a, const Point2& b) {
  return {std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
}

double box_gap_sq(const Box& p, const Box& q) {
  const double gx = std::max({0.0, p.x0 - q.x1, q.x0 - p.x1});
  const double gy = std::max({0.0, p.y0 - q.y1, q.y0 - p.y1});
  return gx * gx + gy * gy;
}

}  // namespace

std::vector<Point2> convex_hull(std::vector<Point2> points) {
  std::erase_if(points, [](const Point2& p) { return !std::isfinite(p.x) || !std::isfinite(p.y); });
  std::sort(points.begin(), points.end(), [](const Point2& a, const Point2& b) {
    return a.x < b.x || (a.x == b.x && a.y < b.y);
  });
  points.erase(
      std::unique(points.begin(), points.end(),
                  [](const Point2& a, const Point2& b) { return a.x == b.x && a.y == b.y; }),
      points.end());
  const std::size_t n = points.size();
  if (n < 3) return points;
  std::vector<Point2> hull(2 * n);
  std::size_t k = 0;
  // cross <= 0 pops collinear points too, so every hull vertex is a strict corner.
  for (std::size_t i = 0; i < n; ++i) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  const std::size_t lower_size = k + 1;
  for (std::size_t i = n - 1; i-- > 0;) {
    while (k >= lower_size && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  hull.resize(k - 1);  // the last point repeats the first
  return hull;
}

OrientedRectangle minimum_area_rectangle(const std::vector<Point2>& hull) {
  const std::size_t n = hull.size();
  if (n == 0) throw InputError("minimum_area_rectangle: empty hull");
  if (n == 1) return {hull[0], 0.0, 0.0, 0.0};
  if (n == 2) {
    const double dx = hull[1].x - hull[0].x, dy = hull[1].y - hull[0].y;
    return {{(hull[0].x + hull[1].x) / 2, (hull[0].y + hull[1].y) / 2},
            std::hypot(dx, dy),
            0.0,
            fold_axis_angle(std::atan2(dy, dx))};
  }
  // Each hull edge in turn lies on a rectangle side. Walking the edges counter-clockwise, the
  // vertices furthest ahead along the edge, furthest from it, and furthest behind it only ever
  // move forward, so one pass with three pointers finds all the rectangles.
  const auto next = [n](std::size_t k) { return (k + 1) % n; };
  std::size_t ahead = 1, far = 1, behind = 1;
  double best_area = kInf;
  OrientedRectangle best{};
  for (std::size_t i = 0; i < n; ++i) {
    const Point2& origin = hull[i];
    const double ex = hull[next(i)].x - origin.x, ey = hull[next(i)].y - origin.y;
    const double length = std::hypot(ex, ey);
    const double ux = ex / length, uy = ey / length;  // along the edge
    const double nx = -uy, ny = ux;                   // inwards, the hull being CCW
    const auto along = [&](std::size_t k) {
      return (hull[k].x - origin.x) * ux + (hull[k].y - origin.y) * uy;
    };
    const auto across = [&](std::size_t k) {
      return (hull[k].x - origin.x) * nx + (hull[k].y - origin.y) * ny;
    };
    for (std::size_t step = 0; step < n && along(next(ahead)) >= along(ahead); ++step)
      ahead = next(ahead);
    if (i == 0) far = ahead;
    for (std::size_t step = 0; step < n && across(next(far)) >= across(far); ++step)
      far = next(far);
    if (i == 0) behind = far;
    for (std::size_t step = 0; step < n && along(next(behind)) <= along(behind); ++step)
      behind = next(behind);

    const double s_max = along(ahead), s_min = along(behind), height = across(far);
    const double width = s_max - s_min;
    const double area = width * height;
    if (!(area < best_area)) continue;
    best_area = area;
    const double s_mid = (s_max + s_min) / 2, t_mid = height / 2;
    best.centre = {origin.x + ux * s_mid + nx * t_mid, origin.y + uy * s_mid + ny * t_mid};
    if (width >= height) {
      best.long_side = width;
      best.short_side = height;
      best.long_axis_angle = fold_axis_angle(std::atan2(uy, ux));
    } else {
      best.long_side = height;
      best.short_side = width;
      best.long_axis_angle = fold_axis_angle(std::atan2(ny, nx));
    }
  }
  return best;
}

double polygon_distance(const std::vector<Point2>& ring_a, const std::vector<Point2>& ring_b) {
  if (ring_a.empty() || ring_b.empty()) throw InputError("polygon_distance: empty ring");
  // Without crossing edges a ring lies wholly on one side of the other ring's boundary, so
  // its first vertex decides containment (GEOS tests just that one point as well).
  if (inside_even_odd(ring_a.front(), ring_b) || inside_even_odd(ring_b.front(), ring_a))
    return 0.0;
  const std::size_t na = ring_a.size(), nb = ring_b.size();
  std::vector<Box> boxes_b(nb);
  for (std::size_t j = 0; j < nb; ++j) boxes_b[j] = segment_box(ring_b[j], ring_b[(j + 1) % nb]);
  double best_sq = kInf;
  for (std::size_t i = 0; i < na; ++i) {
    const Point2& a0 = ring_a[i];
    const Point2& a1 = ring_a[(i + 1) % na];
    const Box box_a = segment_box(a0, a1);
    for (std::size_t j = 0; j < nb; ++j) {
      // Disjoint boxes cannot intersect, and cannot beat the best distance if this far.
      if (box_gap_sq(box_a, boxes_b[j]) >= best_sq) continue;
      const Point2& b0 = ring_b[j];
      const Point2& b1 = ring_b[(j + 1) % nb];
      if (segments_intersect(a0, a1, b0, b1)) return 0.0;
      best_sq = std::min(
          {best_sq, point_segment_distance_sq(a0, b0, b1), point_segment_distance_sq(a1, b0, b1),
           point_segment_distance_sq(b0, a0, a1), point_segment_distance_sq(b1, a0, a1)});
    }
  }
  return std::sqrt(best_sq);
}

}  // namespace hyperplume::geo
