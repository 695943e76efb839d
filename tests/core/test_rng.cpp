#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/rng.hpp>

using namespace hyperplume;

TEST_CASE("counter-based draws depend only on key and counter", "[core]") {
  const CounterRng a(42, stream_id("noise")), b(42, stream_id("noise")), c(43, stream_id("noise"));
  CHECK(a.uniform(12345) == b.uniform(12345));
  CHECK(a.uniform(12345) != c.uniform(12345));
  CHECK(a.uniform(1) != a.uniform(2));
  CHECK(a.substream(3).uniform(0) == b.substream(3).uniform(0));
  CHECK(a.substream(3).uniform(0) != a.substream(4).uniform(0));
}

TEST_CASE("uniform and normal draws have the right moments", "[core]") {
  const CounterRng rng(1, 2);
  const int n = 200000;
  double su = 0, sz = 0, szz = 0, sz4 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform(static_cast<std::uint64_t>(i));
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    su += u;
    const auto [z1, z2] = rng.normal_pair(static_cast<std::uint64_t>(i), 9);
    sz += z1 + z2;
    szz += z1 * z1 + z2 * z2;
    sz4 += std::pow(z1, 4) + std::pow(z2, 4);
  }
  CHECK(su / n == Approx(0.5).margin(0.003));
  CHECK(sz / (2 * n) == Approx(0.0).margin(0.005));
  CHECK(szz / (2 * n) == Approx(1.0).margin(0.01));
  CHECK(sz4 / (2 * n) == Approx(3.0).margin(0.06));  // Gaussian kurtosis
}
