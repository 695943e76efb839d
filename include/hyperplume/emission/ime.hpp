#pragma once
// Integrated mass enhancement (IME) of a plume on its grid and the lengths that go with it.
#include <cstddef>
#include <hyperplume/core/raster.hpp>
#include <vector>

namespace hyperplume::emission {

struct Ime {
  double mass = 0;         // kg: sum of column mass x pixel area over the plume
  std::size_t pixels = 0;  // valid plume pixels
  double l_eff = 0;        // m: square root of the plume area
  double l_ime = 0;        // m: farthest convex-hull vertex from the source (NaN if degenerate)
};

// column_mass: kg m-2, NaN outside the plume; res: pixel side (m); the source pixel.
Ime integrated_mass_enhancement(const Raster<double>& column_mass, double res, int source_row,
                                int source_col);

// Largest distance from (sx, sy) to the convex hull of the points (= to any point); NaN if
// the points are fewer than 3 or collinear (no hull, as Qhull refuses them).
double farthest_hull_distance(const std::vector<double>& px, const std::vector<double>& py,
                              double sx, double sy);

}  // namespace hyperplume::emission
