#pragma once
// Planar geometry for plume picking: convex hulls, minimum-area enclosing rectangles and
// polygon distances, with the semantics of the GEOS operations HyperGas relies on (shapely's
// convex_hull, minimum_rotated_rectangle and Polygon.distance). Units are whatever the points
// are in (degrees of lon/lat or metres).
#include <vector>

namespace hyperplume::geo {

struct Point2 {
  double x, y;
};

// Andrew's monotone chain. Counter-clockwise, starting at the lowest-x (then lowest-y)
// point, without repeated or collinear vertices. Fewer than three distinct points, or all
// collinear, give the one or two extreme points.
std::vector<Point2> convex_hull(std::vector<Point2> points);

struct OrientedRectangle {
  Point2 centre;
  double long_side, short_side;
  double long_axis_angle;  // radians, atan2(dy, dx) of the long side, in (-pi/2, pi/2]
};

// Minimum-area enclosing rectangle of a convex hull as returned by convex_hull (rotating
// calipers over the hull edges; GEOS's MinimumAreaRectangle, i.e. shapely >= 2.0.1's
// minimum_rotated_rectangle). The first hull edge of minimum area wins; a square takes that
// edge's direction as its long axis, as GEOS's first rectangle side does. A degenerate hull
// (one or two points) gives a zero-width rectangle along the segment instead of failing.
OrientedRectangle minimum_area_rectangle(const std::vector<Point2>& hull);

// Distance between two polygons given by their rings (closing edge implied; rings may be
// self-intersecting), as GEOS measures Polygon–Polygon distance: 0 if any edges cross or
// touch, or if a vertex of one lies inside the other by the even-odd (ray crossing) rule;
// otherwise the smallest segment-to-segment distance.
double polygon_distance(const std::vector<Point2>& ring_a, const std::vector<Point2>& ring_b);

}  // namespace hyperplume::geo
