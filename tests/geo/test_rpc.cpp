#include <catch2/catch.hpp>
#include <hyperplume/geo/rpc.hpp>
#include <vector>

#include "support/pushbroom.hpp"

using namespace hyperplume;

TEST_CASE("an RPC fitted to a pushbroom with terrain parallax reproduces it", "[geo]") {
  const test::Pushbroom pb;
  const geo::RpcFit fit =
      geo::fit_rpc(pb.rpc_samples(0, 400, 40, 0, 300, 30, {-100.0, 300.0, 700.0, 1100.0, 1500.0}));
  CHECK(fit.max_residual < 1e-3);
  // Between the samples, and at heights between the layers.
  for (double h : {0.0, 950.0})
    for (double line : {13.3, 207.9, 391.2})
      for (double samp : {5.5, 151.1, 297.0}) {
        const auto [e, n] = pb.ground0(line, samp);
        const auto [lon, lat] = pb.lonlat(e, n);
        const auto [l, s] = pb.image_of(lat, lon, h);
        const auto [fl, fs] = fit.rpc.image_of(lat, lon, h);
        CHECK(std::abs(fl - l) < 1e-3);
        CHECK(std::abs(fs - s) < 1e-3);
      }
  // Parallax is there: 1000 m of height moves the image by tan(18°) km = 10.8 pixels.
  const auto [l0, s0] = fit.rpc.image_of(46.31, 7.41, 0);
  const auto [l1, s1] = fit.rpc.image_of(46.31, 7.41, 1000);
  CHECK(std::hypot(l1 - l0, s1 - s0) == Approx(1000 * std::tan(18 * test::Pushbroom::kRad) / 30).epsilon(1e-3));
}
