#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/geolocation_glt.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

namespace {
// The synthetic scene's own GLT is built from its analytic swath model (the cell's
// fractional pixel, then the nearest of the 3 x 3 pixels around it); the geolocation GLT
// sees only the lat/lon arrays, as a sensor's reader would.
struct Comparison {
  long both = 0, same = 0, neighbour = 0, only_one = 0;
};

Comparison compare(const Glt& a, const Glt& b) {
  Comparison k;
  for (Eigen::Index j = 0; j < a.x.rows(); ++j)
    for (Eigen::Index i = 0; i < a.x.cols(); ++i) {
      const bool ha = a.x(j, i) != 0, hb = b.x(j, i) != 0;
      if (ha != hb) ++k.only_one;
      if (!(ha && hb)) continue;
      ++k.both;
      const int dr = std::abs(a.y(j, i) - b.y(j, i)), dc = std::abs(a.x(j, i) - b.x(j, i));
      if (dr == 0 && dc == 0) ++k.same;
      else if (dr <= 1 && dc <= 1) ++k.neighbour;
    }
  return k;
}
}  // namespace

TEST_CASE("a GLT from lat/lon arrays names the pixels the swath model's GLT names", "[geo]") {
  auto opts = test::small_campaign_options("unused");
  opts.rows = 64;
  opts.cols = 40;
  const auto mem = test::render_scene(opts, 0);
  const auto& geom = mem.scene->geometry();
  const Glt& truth = geom.glt;
  const double d = truth.transform.gt[1];
  const Glt g = geo::glt_from_geolocation(geom.lat, geom.lon, d);
  REQUIRE(g.x.rows() == truth.x.rows());
  REQUIRE(g.x.cols() == truth.x.cols());
  for (int k = 0; k < 6; ++k) CHECK(g.transform.gt[static_cast<std::size_t>(k)] == Approx(truth.transform.gt[static_cast<std::size_t>(k)]).margin(1e-12));
  const Comparison k = compare(g, truth);
  const long cells = static_cast<long>(truth.x.size());
  INFO("cells " << cells << ", both " << k.both << ", same " << k.same << ", neighbour "
                << k.neighbour << ", only one " << k.only_one);
  CHECK(k.both > cells / 3);
  // Each cell names the same pixel or one beside it (a cell centre on a footprint edge).
  CHECK(k.same + k.neighbour == k.both);
  CHECK(static_cast<double>(k.same) > 0.97 * static_cast<double>(k.both));
  // The swath's outline: cells only one of the two names lie on its edge.
  CHECK(static_cast<double>(k.only_one) < 0.02 * static_cast<double>(cells));
}

TEST_CASE("a GLT from lat/lon arrays never names a pixel without geolocation", "[geo]") {
  auto opts = test::small_campaign_options("unused");
  const auto mem = test::render_scene(opts, 0);
  Raster<double> lat = mem.scene->geometry().lat, lon = mem.scene->geometry().lon;
  lat(10, 12) = std::nan("");
  lon(30, 5) = std::nan("");
  const Glt g = geo::glt_from_geolocation(lat, lon, mem.scene->geometry().glt.transform.gt[1]);
  long named = 0;
  for (Eigen::Index j = 0; j < g.x.rows(); ++j)
    for (Eigen::Index i = 0; i < g.x.cols(); ++i) {
      CHECK_FALSE((g.y(j, i) == 11 && g.x(j, i) == 13));
      CHECK_FALSE((g.y(j, i) == 31 && g.x(j, i) == 6));
      named += g.x(j, i) != 0;
    }
  CHECK(named > 0);
  Raster<double> none = Raster<double>::Constant(4, 4, std::nan(""));
  CHECK_THROWS_AS(geo::glt_from_geolocation(none, none, 0.001), InputError);
}
