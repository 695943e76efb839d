// Convex hull, minimum-area rectangle and polygon distance against hand-built shapes whose
// answers are known, and the rotating calipers against a brute-force search.
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/planar_geometry.hpp>
#include <numbers>
#include <random>
#include <vector>

using namespace hyperplume;
using geo::Point2;

namespace {

constexpr double kPi = std::numbers::pi;

double signed_area(const std::vector<Point2>& ring) {
  double twice = 0;
  for (std::size_t k = 0; k < ring.size(); ++k) {
    const Point2& a = ring[k];
    const Point2& b = ring[(k + 1) % ring.size()];
    twice += a.x * b.y - a.y * b.x;
  }
  return twice / 2;
}

// Corners and a few inner points of a length x width rectangle centred on `centre`, its long
// side at `angle`.
std::vector<Point2> rotated_rectangle(Point2 centre, double length, double width, double angle) {
  const double ux = std::cos(angle), uy = std::sin(angle);
  std::vector<Point2> points;
  for (const double s : {-0.5, -0.2, 0.0, 0.3, 0.5})
    for (const double t : {-0.5, 0.1, 0.5}) {
      const double a = s * length, b = t * width;
      points.push_back({centre.x + a * ux - b * uy, centre.y + a * uy + b * ux});
    }
  return points;
}

double square(const Point2& origin, const Point2& p) {
  return (p.x - origin.x) * (p.x - origin.x) + (p.y - origin.y) * (p.y - origin.y);
}

// Smallest area over rectangles with a side on each hull edge, projecting every vertex.
double brute_force_min_area(const std::vector<Point2>& hull) {
  double best = INFINITY;
  for (std::size_t i = 0; i < hull.size(); ++i) {
    const Point2& a = hull[i];
    const Point2& b = hull[(i + 1) % hull.size()];
    const double len = std::sqrt(square(a, b));
    const double ux = (b.x - a.x) / len, uy = (b.y - a.y) / len;
    double s0 = INFINITY, s1 = -INFINITY, t0 = INFINITY, t1 = -INFINITY;
    for (const Point2& p : hull) {
      const double s = (p.x - a.x) * ux + (p.y - a.y) * uy;
      const double t = -(p.x - a.x) * uy + (p.y - a.y) * ux;
      s0 = std::min(s0, s), s1 = std::max(s1, s), t0 = std::min(t0, t), t1 = std::max(t1, t);
    }
    best = std::min(best, (s1 - s0) * (t1 - t0));
  }
  return best;
}

std::vector<Point2> box(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

}  // namespace

TEST_CASE("convex hull is counter-clockwise without collinear or repeated points", "[geo]") {
  // A 2 x 2 square with its edge midpoints, centre and a repeated corner.
  const auto hull = geo::convex_hull(
      {{1, 0}, {0, 0}, {2, 0}, {2, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}, {1, 1}, {2, 2}});
  REQUIRE(hull.size() == 4);
  CHECK(signed_area(hull) == Approx(4.0));
  CHECK(hull[0].x == 0);  // starts at the lowest x, then lowest y
  CHECK(hull[0].y == 0);
}

TEST_CASE("collinear and tiny inputs give the extreme points and a zero-width rectangle", "[geo]") {
  const auto line = geo::convex_hull({{1, 1}, {3, 3}, {0, 0}, {2, 2}, {2, 2}});
  REQUIRE(line.size() == 2);
  CHECK(line[0].x == 0);
  CHECK(line[1].x == 3);
  const auto along = geo::minimum_area_rectangle(line);
  CHECK(along.long_side == Approx(3 * std::sqrt(2.0)));
  CHECK(along.short_side == 0);
  CHECK(along.long_axis_angle == Approx(kPi / 4));
  CHECK(along.centre.x == Approx(1.5));

  // A vertical line points at +pi/2, never -pi/2.
  const auto vertical = geo::minimum_area_rectangle(geo::convex_hull({{5, 4}, {5, -1}, {5, 0}}));
  CHECK(vertical.long_axis_angle == Approx(kPi / 2));
  CHECK(vertical.long_side == Approx(5.0));

  const auto single = geo::convex_hull({{7, 8}, {7, 8}});
  REQUIRE(single.size() == 1);
  const auto point = geo::minimum_area_rectangle(single);
  CHECK(point.long_side == 0);
  CHECK(point.centre.x == 7);
  CHECK_THROWS_AS(geo::minimum_area_rectangle({}), InputError);
}

TEST_CASE("minimum-area rectangle of rotated rectangles recovers angle, sides and centre",
          "[geo]") {
  const Point2 centre{3.0, -2.0};
  for (const double degrees : {0.0, 5.0, 20.0, 45.0, 75.0, 90.0, 120.0, 135.0, 170.0, -30.0}) {
    const double angle = degrees * kPi / 180;
    const auto mrr =
        geo::minimum_area_rectangle(geo::convex_hull(rotated_rectangle(centre, 10, 4, angle)));
    double expected = angle;  // the axis folded into (-pi/2, pi/2]
    while (expected > kPi / 2) expected -= kPi;
    while (expected <= -kPi / 2) expected += kPi;
    INFO("rotation " << degrees << " deg");
    CHECK(mrr.long_side == Approx(10.0));
    CHECK(mrr.short_side == Approx(4.0));
    CHECK(mrr.long_axis_angle == Approx(expected).margin(1e-9));
    CHECK(mrr.centre.x == Approx(centre.x));
    CHECK(mrr.centre.y == Approx(centre.y));
  }
}

TEST_CASE("minimum-area rectangle is the area minimum, not the width minimum", "[geo]") {
  // A right triangle's minimum area rectangle lies along a leg (area = legs' product); the
  // minimum width one lies along the hypotenuse and is larger.
  const auto tri = geo::minimum_area_rectangle(geo::convex_hull({{0, 0}, {4, 0}, {0, 3}}));
  CHECK(tri.long_side * tri.short_side == Approx(12.0));

  // Square-ish cloud: a 5 x 5 lattice has a 4 x 4 axis-parallel rectangle.
  std::vector<Point2> lattice;
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) lattice.push_back({double(i), double(j)});
  const auto sq = geo::minimum_area_rectangle(geo::convex_hull(lattice));
  CHECK(sq.long_side == Approx(4.0));
  CHECK(sq.short_side == Approx(4.0));
  CHECK((sq.long_axis_angle == Approx(0.0).margin(1e-12) || sq.long_axis_angle == Approx(kPi / 2)));

  std::mt19937 rng(12345);
  std::normal_distribution<double> normal;
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<Point2> cloud;
    const double stretch = 1 + trial % 7;
    for (int k = 0; k < 40; ++k) cloud.push_back({stretch * normal(rng), normal(rng)});
    const auto hull = geo::convex_hull(cloud);
    REQUIRE(signed_area(hull) > 0);
    const auto mrr = geo::minimum_area_rectangle(hull);
    INFO("trial " << trial);
    CHECK(mrr.long_side * mrr.short_side == Approx(brute_force_min_area(hull)).epsilon(1e-12));
    CHECK(mrr.long_side >= mrr.short_side);
  }
}

TEST_CASE("polygon distance follows GEOS: touching, containment, even-odd rings", "[geo]") {
  const auto unit = box(0, 0, 1, 1);
  SECTION("disjoint squares") {
    CHECK(geo::polygon_distance(unit, box(4, 0, 5, 1)) == Approx(3.0));
    CHECK(geo::polygon_distance(unit, box(4, 5, 5, 6)) == Approx(5.0));  // corner to corner
    CHECK(geo::polygon_distance(unit, box(3, 5, 4, 6)) == Approx(std::sqrt(20.0)));
  }
  SECTION("touching along an edge or at a corner") {
    CHECK(geo::polygon_distance(unit, box(1, 0, 2, 1)) == 0);
    CHECK(geo::polygon_distance(unit, box(1, 1, 2, 2)) == 0);
    CHECK(geo::polygon_distance(unit, box(1, 0.5, 3, 4)) == 0);
  }
  SECTION("one inside the other, no edges crossing") {
    CHECK(geo::polygon_distance(box(-5, -5, 5, 5), unit) == 0);
    CHECK(geo::polygon_distance(unit, box(-5, -5, 5, 5)) == 0);
  }
  SECTION("self-intersecting bow tie: the lobes are inside, the notches outside") {
    // Edges: two diagonals crossing at (1, 1) and the verticals x = 0 and x = 2.
    const std::vector<Point2> bow_tie{{0, 0}, {2, 2}, {2, 0}, {0, 2}};
    CHECK(geo::polygon_distance(bow_tie, box(0.25, 0.95, 0.35, 1.05)) == 0);  // left lobe
    // Above the crossing, between the diagonals: outside by the even-odd rule although inside
    // the hull; the nearest corners are 0.7 / sqrt(2) from the diagonals.
    const double notch = geo::polygon_distance(bow_tie, box(0.95, 1.75, 1.05, 1.85));
    CHECK(notch == Approx(0.7 / std::sqrt(2.0)));
    // A ring crossing the bow tie's edge.
    CHECK(geo::polygon_distance(bow_tie, box(1.9, 0.5, 3, 0.6)) == 0);
  }
  CHECK_THROWS_AS(geo::polygon_distance({}, unit), InputError);
}
