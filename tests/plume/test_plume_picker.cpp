// Plume picking on crafted a-priori masks over a small synthetic north-up UTM grid (60 m
// pixels, lon/lat from a local equirectangular mapping at 32 N), and the Carbon Mapper mask
// on crafted fields.
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/plume/plume_picker.hpp>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

using namespace hyperplume;
using plume::PickOptions;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kRadius = 6371e3;
constexpr double kMetresPerDegree = kRadius * std::numbers::pi / 180;
constexpr double kLat0 = 32.0, kLon0 = -103.5;

// A grid and its coordinates; not copyable because PlumeGrid points at lon/lat.
struct TestGrid {
  Raster<double> lon, lat;
  plume::PlumeGrid grid;
  double pixel;

  // rotation_deg turns the lon/lat field relative to the raster (x, y stay north-up).
  TestGrid(int H, int W, double pixel_m = 60, double rotation_deg = 0)
      : lon(H, W), lat(H, W), pixel(pixel_m) {
    const double rot = rotation_deg * std::numbers::pi / 180;
    for (int c = 0; c < W; ++c) grid.x.push_back(500000 + (c + 0.5) * pixel_m);
    for (int r = 0; r < H; ++r) grid.y.push_back(3540000 - (r + 0.5) * pixel_m);
    for (int r = 0; r < H; ++r)
      for (int c = 0; c < W; ++c) {
        const double e0 = (c - W / 2.0) * pixel_m, n0 = (H / 2.0 - r) * pixel_m;
        const double east = e0 * std::cos(rot) - n0 * std::sin(rot);
        const double north = e0 * std::sin(rot) + n0 * std::cos(rot);
        lat(r, c) = kLat0 + north / kMetresPerDegree;
        lon(r, c) = kLon0 + east / (kMetresPerDegree * std::cos(kLat0 * std::numbers::pi / 180));
      }
    grid.longitude = &lon;
    grid.latitude = &lat;
  }
  TestGrid(const TestGrid&) = delete;
  TestGrid& operator=(const TestGrid&) = delete;

  // The centre of pixel (r, c) moved east / north by metres.
  std::pair<double, double> marker(int r, int c, double east = 0, double north = 0) const {
    return {lon(r, c) + east / (kMetresPerDegree * std::cos(kLat0 * std::numbers::pi / 180)),
            lat(r, c) + north / kMetresPerDegree};
  }
};

void paint(Raster<float>& labels, float value, int r0, int r1, int c0, int c1) {
  for (int r = r0; r <= r1; ++r)
    for (int c = c0; c <= c1; ++c) labels(r, c) = value;
}

plume::PickedPlume pick(const Raster<float>& labels, const TestGrid& g, int r, int c,
                        const PickOptions& options, double east = 0, double north = 0) {
  const auto [lon, lat] = g.marker(r, c, east, north);
  return plume::pick_plume(labels, g.grid, lon, lat, options);
}

PickOptions profile(bool hypergas) {
  PickOptions o;
  o.hypergas = hypergas;
  return o;
}

double haversine(double lon1, double lat1, double lon2, double lat2) {
  const double k = std::numbers::pi / 180;
  const double a =
      std::pow(std::sin((lat2 - lat1) * k / 2), 2) +
      std::cos(lat1 * k) * std::cos(lat2 * k) * std::pow(std::sin((lon2 - lon1) * k / 2), 2);
  return 2 * kRadius * std::atan2(std::sqrt(a), std::sqrt(1 - a));
}

}  // namespace

TEST_CASE("dilation by dist_max joins labels up to 2 niter pixels apart", "[plume]") {
  const TestGrid g(60, 60);  // 180 m / 60 m: niter = 3 on each side
  for (const bool hypergas : {false, true}) {
    for (const int gap : {6, 7}) {
      Raster<float> labels = Raster<float>::Zero(60, 60);
      paint(labels, 1, 10, 20, 30, 31);  // three collinear vertical bars
      paint(labels, 2, 23, 33, 30, 31);  // 2 px below label 1
      paint(labels, 3, 34 + gap, 44 + gap, 30, 31);
      const auto picked = pick(labels, g, 15, 30, profile(hypergas));
      INFO("hypergas " << hypergas << ", gap " << gap);
      CHECK(picked.row == 15);
      CHECK(picked.col == 30);
      if (gap == 6) {
        CHECK(picked.labels == std::vector<int>{1, 2, 3});
        CHECK(picked.mask.cast<int>().sum() == 66);
      } else {
        CHECK(picked.labels == std::vector<int>{1, 2});
        CHECK(picked.mask.cast<int>().sum() == 44);
        CHECK(picked.mask(45, 30) == 0);
      }
      CHECK(picked.mask(25, 31) == 1);
    }
  }
}

TEST_CASE("the azimuth chain drops a crossing label and keeps the one beyond it", "[plume]") {
  const TestGrid g(60, 60);
  Raster<float> labels = Raster<float>::Zero(60, 60);
  paint(labels, 1, 10, 25, 30, 31);  // target: vertical
  paint(labels, 2, 17, 18, 33, 48);  // horizontal, 1 px right of label 1: nearest
  paint(labels, 3, 28, 40, 30, 31);  // vertical, 2 px below label 1
  for (const bool hypergas : {false, true}) {
    INFO("hypergas " << hypergas);
    const auto picked = pick(labels, g, 12, 31, profile(hypergas));
    CHECK(picked.labels == std::vector<int>{1, 3});
    CHECK(picked.mask(17, 40) == 0);
    CHECK(picked.mask(35, 30) == 1);
    // All three are within reach: a lax chain keeps them.
    PickOptions lax = profile(hypergas);
    lax.azimuth_diff_max = 100;
    CHECK(pick(labels, g, 12, 31, lax).labels == std::vector<int>{1, 2, 3});
  }
  // A touching crossing label is always kept, and then the chain continues from it: label 3
  // is compared with label 2, not with the target's label.
  paint(labels, 2, 17, 18, 32, 48);
  CHECK(pick(labels, g, 12, 31, profile(false)).labels == std::vector<int>{1, 2});
}

TEST_CASE("a marker on background snaps to the nearest pixel of the nearest label", "[plume]") {
  const TestGrid g(60, 60);
  Raster<float> labels = Raster<float>::Zero(60, 60);
  paint(labels, 1, 20, 25, 20, 27);
  for (const bool hypergas : {false, true}) {
    INFO("hypergas " << hypergas);
    const auto west = pick(labels, g, 22, 17, profile(hypergas), 10, 0);
    CHECK(west.row == 22);
    CHECK(west.col == 20);
    CHECK(west.longitude == g.lon(22, 20));
    CHECK(west.latitude == g.lat(22, 20));
    CHECK(west.labels == std::vector<int>{1});
    CHECK(west.mask.cast<int>().sum() == 48);
    const auto south = pick(labels, g, 30, 23, profile(hypergas), 0, 10);
    CHECK(south.row == 25);
    CHECK(south.col == 23);
    CHECK(south.latitude == g.lat(25, 23));
  }
}

TEST_CASE("the nearest label is by great circle by default, by degrees for HyperGas", "[plume]") {
  // At 32 N a degree of longitude is shorter than one of latitude: 6 px east is nearer in
  // metres (360 m vs 420 m) but farther in degrees than 7 px north.
  const TestGrid g(60, 60);
  Raster<float> labels = Raster<float>::Zero(60, 60);
  paint(labels, 1, 30, 40, 26, 27);
  paint(labels, 2, 15, 23, 19, 21);
  PickOptions near = profile(false);
  near.dist_max = 60;  // keep the two labels apart
  const auto metres = pick(labels, g, 30, 20, near);
  CHECK(metres.row == 30);
  CHECK(metres.col == 26);
  CHECK(metres.labels == std::vector<int>{1});
  near.hypergas = true;
  const auto degrees = pick(labels, g, 30, 20, near);
  CHECK(degrees.row == 23);
  CHECK(degrees.col == 20);
  CHECK(degrees.labels == std::vector<int>{2});
}

TEST_CASE("a marker beyond the snap radius fails", "[plume]") {
  const TestGrid g(30, 30);
  Raster<float> labels = Raster<float>::Zero(30, 30);
  paint(labels, 1, 8, 12, 0, 5);
  CHECK_THROWS_AS(pick(labels, g, 10, 0, profile(false), -60), InputError);  // 60 m west
  const auto inside = pick(labels, g, 10, 0, profile(false), -45);           // 45 m: still snaps
  CHECK(inside.row == 10);
  CHECK(inside.col == 0);
  CHECK_THROWS_AS(plume::pick_plume(labels, g.grid, kLon0 + 1, kLat0, profile(false)), InputError);
}

TEST_CASE("azimuths wrap at 180 by default but not for HyperGas", "[plume]") {
  const TestGrid g(60, 60);
  Raster<float> labels = Raster<float>::Zero(60, 60);
  for (int r = 10; r <= 33; ++r) {
    const int east = (33 - r) / 8;  // leans east going north: ~5 deg
    paint(labels, 1, r, r, 20 + east, 21 + east);
    const int west = (r - 10) / 8;  // leans west going north: ~175 deg
    paint(labels, 2, r, r, 26 + west, 27 + west);
  }
  const auto wrapped = pick(labels, g, 30, 20, profile(false));
  CHECK(wrapped.labels == std::vector<int>{1, 2});
  const auto unwrapped = pick(labels, g, 30, 20, profile(true));
  CHECK(unwrapped.labels == std::vector<int>{1});
  CHECK(unwrapped.mask.cast<int>().sum() == 48);
  PickOptions lax = profile(true);
  lax.azimuth_diff_max = 179;
  CHECK(pick(labels, g, 30, 20, lax).labels == std::vector<int>{1, 2});
}

TEST_CASE("a NaN target moves to a label by default and fails for HyperGas", "[plume]") {
  const TestGrid g(60, 60);
  Raster<float> labels = Raster<float>::Zero(60, 60);
  paint(labels, 1, 20, 25, 20, 27);
  paint(labels, kNaN, 18, 26, 14, 16);
  const auto moved = pick(labels, g, 22, 15, profile(false));
  CHECK(moved.row == 22);
  CHECK(moved.col == 20);
  CHECK(moved.labels == std::vector<int>{1});
  CHECK_THROWS_AS(pick(labels, g, 22, 15, profile(true)), InputError);
}

TEST_CASE("a scene without labels fails when the marker needs moving", "[plume]") {
  const TestGrid g(20, 20);
  const Raster<float> labels = Raster<float>::Zero(20, 20);
  CHECK_THROWS_AS(pick(labels, g, 5, 5, profile(false)), InputError);
  CHECK_THROWS_AS(pick(labels, g, 5, 5, profile(true)), InputError);
}

TEST_CASE("the snapped pixel is the brute-force great-circle nearest", "[plume]") {
  const TestGrid g(40, 50, 60, 17);  // lon/lat turned against the raster
  const Raster<float> labels = Raster<float>::Ones(40, 50);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> row(0, 39), col(0, 49);
  std::uniform_real_distribution<double> offset(-30, 30);
  for (int trial = 0; trial < 200; ++trial) {
    const auto [lon, lat] = g.marker(row(rng), col(rng), offset(rng), offset(rng));
    int best_r = -1, best_c = -1;
    double best = INFINITY;
    for (int r = 0; r < 40; ++r)
      for (int c = 0; c < 50; ++c) {
        const double d = haversine(lon, lat, g.lon(r, c), g.lat(r, c));
        if (d < best) best = d, best_r = r, best_c = c;
      }
    const auto picked = plume::pick_plume(labels, g.grid, lon, lat, profile(false));
    INFO("trial " << trial);
    CHECK(picked.row == best_r);
    CHECK(picked.col == best_c);
  }
}

TEST_CASE("Carbon Mapper mask keeps blobs near the target, drops far and tiny ones", "[plume]") {
  // 60 m: crop half-width 41 -> 20 px (rows 30..69); threshold window 16 -> 8 px (42..57).
  Raster<float> field = Raster<float>::Zero(100, 100);
  paint(field, 10, 52, 54, 53, 56);  // 12 px, 3-6 px from the target
  paint(field, 10, 49, 50, 65, 67);  // 6 px, nearest exactly 15 px away: kept
  paint(field, 10, 52, 54, 68, 70);  // 6 px in the crop, nearest 18 px away: dropped
  paint(field, 10, 45, 46, 45, 46);  // 4 px: too small
  paint(field, 10, 56, 56, 44, 48);  // 5 px: just big enough
  paint(field, 10, 75, 80, 50, 52);  // outside the crop
  field(44, 44) = kNaN;              // NaN is neither a threshold value nor a plume pixel
  const auto mask = plume::carbon_mapper_mask(field, 50, 50, 60);
  CHECK(mask.cast<int>().sum() == 12 + 6 + 5);
  CHECK(mask(53, 55) == 1);
  CHECK(mask(50, 65) == 1);
  CHECK(mask(53, 68) == 0);
  CHECK(mask(45, 45) == 0);
  CHECK(mask(56, 44) == 1);
  CHECK(mask(77, 51) == 0);

  // Near the edge the crop shrinks: rows/cols 5 -> half-width 2, so a blob 3 px away is out.
  Raster<float> edge = Raster<float>::Zero(100, 100);
  paint(edge, 10, 5, 6, 8, 10);
  CHECK(plume::carbon_mapper_mask(edge, 5, 5, 60).cast<int>().sum() == 0);
  CHECK(plume::carbon_mapper_mask(edge, 50, 10, 60).cast<int>().sum() == 0);  // control: no blob
  paint(edge, 10, 50, 51, 12, 14);
  CHECK(plume::carbon_mapper_mask(edge, 50, 10, 60).cast<int>().sum() == 6);  // same blob, found
  CHECK_THROWS_AS(plume::carbon_mapper_mask(edge, 100, 5, 60), InputError);
}

TEST_CASE("Carbon Mapper threshold is the 90th percentile of the inner window", "[plume]") {
  // Inner window rows/cols 42..57 hold 0..255 in raster order; the crop elsewhere is below.
  // Linear interpolation puts the threshold at 229.5: values 230..255 remain, one blob
  // in the window's last rows. A patch at 229.25 (outside the window) tells 'linear' from
  // 'lower'.
  Raster<float> field = Raster<float>::Constant(100, 100, -1);
  for (int r = 42; r <= 57; ++r)
    for (int c = 42; c <= 57; ++c) field(r, c) = static_cast<float>((r - 42) * 16 + (c - 42));
  paint(field, 229.25f, 60, 61, 50, 52);
  const auto mask = plume::carbon_mapper_mask(field, 50, 50, 60);
  CHECK(mask.cast<int>().sum() == 26);
  CHECK(mask(60, 51) == 0);
  CHECK(mask(56, 47) == 0);  // 229
  CHECK(mask(56, 48) == 1);  // 230
}

TEST_CASE("a marker farther than the label distance limit from every label fails", "[plume]") {
  const TestGrid g(60, 60);
  Raster<float> labels = Raster<float>::Zero(60, 60);
  paint(labels, 1, 20, 25, 20, 27);
  for (const bool hypergas : {false, true}) {
    INFO("hypergas " << hypergas);
    PickOptions o = profile(hypergas);
    // No limit (HyperGas): 4 px west of the label is moved into it.
    const auto far = pick(labels, g, 22, 16, o);
    CHECK(far.col == 20);
    CHECK(far.label_distance == Approx(240).margin(1));
    o.label_max_distance = 180;
    try {
      pick(labels, g, 22, 16, o);
      FAIL("a marker 240 m from the label was moved into it");
    } catch (const InputError& e) {
      CHECK_THAT(e.what(), Catch::Matchers::Contains("240 m from the nearest a-priori plume label") &&
                               Catch::Matchers::Contains("limit of 180 m"));
    }
    const auto near = pick(labels, g, 22, 18, o);  // 120 m: within the limit
    CHECK(near.col == 20);
    CHECK(near.label_distance == Approx(120).margin(1));
    const auto inside = pick(labels, g, 22, 23, o, 20, 0);  // on the label: no move
    CHECK(inside.col == 23);
    CHECK(inside.label_distance == 0);
  }
}

TEST_CASE("plumes with the same pixels are found, the first one kept", "[plume]") {
  const TestGrid g(60, 60);
  Raster<float> labels = Raster<float>::Zero(60, 60);
  paint(labels, 1, 10, 15, 10, 15);
  paint(labels, 2, 40, 45, 40, 45);
  const PickOptions o = profile(false);
  const auto a = pick(labels, g, 12, 12, o);
  const auto b = pick(labels, g, 42, 42, o);
  const auto a_again = pick(labels, g, 14, 11, o);     // another pixel of label 1
  const auto a_from_outside = pick(labels, g, 12, 8, o);  // moved into label 1
  CHECK(plume::first_identical_plume({&a, &b, &a_again, &b, &a_from_outside}) ==
        std::vector<int>{-1, -1, 0, 1, 0});
  CHECK(plume::first_identical_plume({}).empty());
}

TEST_CASE("the signal downwind of a source: a cone along the wind against the noise", "[plume]") {
  Raster<float> f = Raster<float>::Zero(30, 30);
  for (int c = 15; c < 25; ++c) f(15, c) = 100;    // a plume blowing east from (15, 15)
  for (int r = 5; r < 15; ++r) f(r, 15) = -300;    // a negative streak north of it
  const auto east = plume::downwind_signal(f, 15, 15, 5, 0, 6, 45, 50);
  CHECK(east.sum == Approx(700));  // the source pixel and six pixels east; the cone holds more
  CHECK(east.z == Approx(700 / (50 * std::sqrt(static_cast<double>(east.pixels)))));
  CHECK(plume::downwind_signal(f, 15, 15, 0, 5, 6, 45, 50).z < -3);  // wind to the north
  CHECK(plume::downwind_signal(f, 15, 15, -5, 0, 6, 45, 50).sum == Approx(100));  // west: only the source
  CHECK(std::isnan(plume::downwind_signal(f, 15, 15, 0, 0, 6, 45, 50).z));  // no wind, no test
}
