#include <Eigen/Cholesky>
#include <Eigen/SVD>
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/cross_sectional_flux.hpp>
#include <numbers>
#include <vector>

using namespace hyperplume;
using emission::CsfOptions;

namespace {
constexpr double kRate = 1000.0 / 3600.0;  // kg/s
constexpr double kWind = 5.0;              // m/s

struct Pixels {
  Eigen::VectorXd x, y, mass;
  double source_x = 0, source_y = 0;
};

Pixels from_lists(const std::vector<double>& x, const std::vector<double>& y,
                  const std::vector<double>& m) {
  Pixels p;
  p.x = Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
  p.y = Eigen::Map<const Eigen::VectorXd>(y.data(), static_cast<Eigen::Index>(y.size()));
  p.mass = Eigen::Map<const Eigen::VectorXd>(m.data(), static_cast<Eigen::Index>(m.size()));
  return p;
}

// Steady Gaussian plume on a regular UTM-like grid, stacked x-major then y. The source sits
// off the pixel centres so that no transect runs exactly along pixel edges.
Pixels gaussian_plume(double direction_deg, double res, double length, double growth) {
  const double source_x = 500000 + 0.3 * res, source_y = 3500000 + 0.2 * res;
  const double ux = std::cos(direction_deg * std::numbers::pi / 180);
  const double uy = std::sin(direction_deg * std::numbers::pi / 180);
  std::vector<double> x, y, m;
  const int reach = static_cast<int>(length / res) + 15;
  for (int i = -reach; i <= reach; ++i)
    for (int j = -reach; j <= reach; ++j) {
      const double px = 500000 + i * res, py = 3500000 + j * res;
      const double down = (px - source_x) * ux + (py - source_y) * uy;
      const double across = -(px - source_x) * uy + (py - source_y) * ux;
      if (down < 0 || down > length) continue;
      const double sigma = 60 + growth * down;
      const double mass = kRate / (kWind * std::sqrt(2 * std::numbers::pi) * sigma) *
                          std::exp(-across * across / (2 * sigma * sigma));
      if (mass < 1e-8) continue;
      x.push_back(px);
      y.push_back(py);
      m.push_back(mass);
    }
  Pixels p = from_lists(x, y, m);
  p.source_x = source_x;
  p.source_y = source_y;
  return p;
}

emission::CsfGeometry run(const Pixels& p, double res, bool numpy_pinv) {
  CsfOptions options;
  options.numpy_pinv = numpy_pinv;
  options.path_length = !numpy_pinv;  // the hypergas profile's pair of settings
  return emission::cross_sectional_flux(p.x, p.y, p.mass, p.source_x, p.source_y, res, options);
}

double rate_ratio(const emission::CsfGeometry& g) { return kWind * g.mean_column() / kRate; }

// Distance of a station from the true plume axis.
double off_axis(const Pixels& p, double direction_deg, double x, double y) {
  const double a = direction_deg * std::numbers::pi / 180;
  return std::abs(-(x - p.source_x) * std::sin(a) + (y - p.source_y) * std::cos(a));
}

// Closed segment/segment intersection by orientations, independent of the kernel's clipping.
int orientation(double ax, double ay, double bx, double by, double cx, double cy) {
  const double v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return (v > 0) - (v < 0);
}
bool on_segment(double ax, double ay, double bx, double by, double cx, double cy) {
  return std::min(ax, bx) <= cx && cx <= std::max(ax, bx) && std::min(ay, by) <= cy &&
         cy <= std::max(ay, by);
}
bool segments_cross(const double* p, const double* q) {
  const int o1 = orientation(p[0], p[1], p[2], p[3], q[0], q[1]);
  const int o2 = orientation(p[0], p[1], p[2], p[3], q[2], q[3]);
  const int o3 = orientation(q[0], q[1], q[2], q[3], p[0], p[1]);
  const int o4 = orientation(q[0], q[1], q[2], q[3], p[2], p[3]);
  if (o1 != o2 && o3 != o4) return true;
  return (o1 == 0 && on_segment(p[0], p[1], p[2], p[3], q[0], q[1])) ||
         (o2 == 0 && on_segment(p[0], p[1], p[2], p[3], q[2], q[3])) ||
         (o3 == 0 && on_segment(q[0], q[1], q[2], q[3], p[0], p[1])) ||
         (o4 == 0 && on_segment(q[0], q[1], q[2], q[3], p[2], p[3]));
}
std::vector<int> brute_force_pixels(const Pixels& p, const emission::CsfLine& line, double res) {
  // Relative to the source, as the kernel works, so both see the same rounding.
  const double seg[4] = {line.x_start - p.source_x, line.y_start - p.source_y,
                         line.x_end - p.source_x, line.y_end - p.source_y};
  std::vector<int> hits;
  for (Eigen::Index k = 0; k < p.x.size(); ++k) {
    const double x0 = p.x(k) - p.source_x - res / 2, x1 = p.x(k) - p.source_x + res / 2;
    const double y0 = p.y(k) - p.source_y - res / 2, y1 = p.y(k) - p.source_y + res / 2;
    const bool inside = x0 <= seg[0] && seg[0] <= x1 && y0 <= seg[1] && seg[1] <= y1;
    const double edges[4][4] = {
        {x0, y0, x1, y0}, {x1, y0, x1, y1}, {x1, y1, x0, y1}, {x0, y1, x0, y0}};
    bool hit = inside;
    for (const auto& e : edges) hit = hit || segments_cross(seg, e);
    if (hit) hits.push_back(static_cast<int>(k));
  }
  return hits;
}
}  // namespace

TEST_CASE("CSF recovers the rate of an axis-aligned Gaussian plume within 2 %", "[emission]") {
  const double res = 60;
  for (const double direction : {0.0, 90.0, 180.0}) {
    const Pixels p = gaussian_plume(direction, res, 3000, 0.04);
    for (const bool numpy_pinv : {false, true}) {
      const auto g = run(p, res, numpy_pinv);
      INFO("direction " << direction << " numpy_pinv " << numpy_pinv << " ratio " << rate_ratio(g)
                        << " lines " << g.lines.size() << " with pixels " << g.lines_with_pixels());
      CHECK(rate_ratio(g) == Approx(1).epsilon(0.02));
      CHECK(g.lines_with_pixels() >= 18);
    }
  }
}

TEST_CASE("CSF on an oblique plume: path lengths are exact, pixel sides over-count", "[emission]") {
  // Transects that cross the pixel grid obliquely touch (|cos| + |sin|) / res pixels per metre
  // (spec §9 item 13): HyperGas's full-side weighting over-counts by that factor, the default
  // path-length weighting does not. The first transect (through the source) and the last
  // (through the farthest pixels) cut the plume ends and see only part of it, so they are
  // left out of the comparison.
  const double res = 60, direction = 30;
  const Pixels p = gaussian_plume(direction, res, 3000, 0.04);
  const double over =
      std::cos(direction * std::numbers::pi / 180) + std::sin(direction * std::numbers::pi / 180);
  for (const bool numpy_pinv : {false, true}) {
    const auto g = run(p, res, numpy_pinv);
    REQUIRE(g.lines.size() > 10);
    double interior = 0;
    for (std::size_t i = 1; i + 1 < g.lines.size(); ++i) interior += g.lines[i].column;
    interior *= kWind / kRate / static_cast<double>(g.lines.size() - 2);
    INFO("numpy_pinv " << numpy_pinv << " all lines " << rate_ratio(g) << " interior " << interior
                       << " first " << kWind * g.lines.front().column / kRate << " last "
                       << kWind * g.lines.back().column / kRate);
    CHECK(interior / (numpy_pinv ? over : 1.0) == Approx(1).epsilon(0.02));
    CHECK(kWind * g.lines.front().column / kRate < 0.7 * interior);
    CHECK(kWind * g.lines.back().column / kRate < 0.7 * interior);
  }
}

TEST_CASE("CSF geometry: stations, length and centre line of a straight plume", "[emission]") {
  const double res = 60, direction = 30, length = 3000;
  const Pixels p = gaussian_plume(direction, res, length, 0.04);
  const auto g = run(p, res, false);
  CHECK(g.theta == Approx(direction * std::numbers::pi / 180).margin(0.01));
  const auto stations = static_cast<double>(g.centre_x.size());
  CHECK(std::abs(stations - (g.length / (2.5 * res) + 1)) <= 0.5);
  CHECK(g.lines.size() == g.centre_x.size());
  // The farthest plume pixel centre lies within a pixel of the cut at `length`.
  CHECK(g.length == Approx(length).margin(res));
  CHECK(g.x_from == 0);
  for (std::size_t i = 0; i < g.centre_x.size(); ++i) {
    INFO("station " << i);
    CHECK(off_axis(p, direction, g.centre_x[i], g.centre_y[i]) < res);
  }
  // The first station is the source, transects are perpendicular to the axis and centred.
  CHECK(g.centre_x.front() == Approx(p.source_x).margin(1e-6));
  CHECK(g.centre_y.front() == Approx(p.source_y).margin(1e-6));
  const auto& mid = g.lines[g.lines.size() / 2];
  const double a = direction * std::numbers::pi / 180;
  const double along =
      (mid.x_end - mid.x_start) * std::cos(a) + (mid.y_end - mid.y_start) * std::sin(a);
  CHECK(std::abs(along) < 0.05 * std::hypot(mid.x_end - mid.x_start, mid.y_end - mid.y_start));
  CHECK(std::hypot(mid.x_end - mid.x_start, mid.y_end - mid.y_start) ==
        Approx(2 * 1.5 * g.extent).epsilon(1e-9));
}

TEST_CASE("numpy pinv truncates the metre-space ridge fit", "[emission]") {
  // A straight 3 km plume whose axis is 90 m to the side of the source and tilted slightly:
  // the exact ridge solution is the line, numpy's pinv drops the low-order directions.
  std::vector<double> xs, ys, ws;
  for (double X = 0; X <= 3000; X += 30)
    for (double n = -300; n <= 300; n += 30) {
      xs.push_back(X);
      ys.push_back(90 - 0.01 * X + n);
      ws.push_back(std::exp(-n * n / (2 * 100.0 * 100.0)));
    }
  const Pixels p = from_lists(xs, ys, ws);
  const Eigen::VectorXd& X = p.x;
  const Eigen::VectorXd& Y = p.y;
  const Eigen::VectorXd& w = p.mass;

  Eigen::Matrix4d normal = Eigen::Matrix4d::Zero();
  Eigen::Vector4d rhs = Eigen::Vector4d::Zero();
  for (Eigen::Index k = 0; k < X.size(); ++k) {
    const Eigen::Vector4d a(1, X(k), X(k) * X(k), X(k) * X(k) * X(k));
    normal += w(k) * a * a.transpose();
    rhs += w(k) * Y(k) * a;
  }
  normal.diagonal().array() += 0.1;
  const Eigen::JacobiSVD<Eigen::Matrix4d> svd(normal);
  const Eigen::Vector4d sigma = svd.singularValues();
  int truncated = 0;
  for (int i = 0; i < 4; ++i) truncated += sigma(i) <= 1e-15 * sigma(0);
  // Exact ridge solution in scaled unknowns: D M D is well conditioned.
  const Eigen::Vector4d d(1, 1 / 3000.0, 1 / 9e6, 1 / 2.7e10);
  const Eigen::Matrix4d scaled = d.asDiagonal() * normal * d.asDiagonal();
  const Eigen::Vector4d exact = d.cwiseProduct(scaled.ldlt().solve(d.cwiseProduct(rhs)));

  const auto compat = emission::fit_centre_polynomial(X, Y, w, 0.1, true);
  const auto fitted = emission::fit_centre_polynomial(X, Y, w, 0.1, false);
  const auto metres = compat.metre_coefficients();
  double worst = 0, worst_default = 0;
  for (double x = 0; x <= 3000; x += 10) {
    const double e = exact(0) + x * (exact(1) + x * (exact(2) + x * exact(3)));
    worst = std::max(worst, std::abs(compat(x) - e));
    worst_default = std::max(worst_default, std::abs(fitted(x) - e));
  }
  INFO("sigma " << sigma.transpose() << "\nexact " << exact.transpose() << "\ncompat " << metres[0]
                << " " << metres[1] << " " << metres[2] << " " << metres[3]
                << "\nmax |compat - exact| " << worst << " m, default " << worst_default << " m");
  CHECK(truncated == 2);
  CHECK(exact(0) == Approx(90).margin(0.5));
  CHECK(exact(1) == Approx(-0.01).margin(1e-3));
  CHECK(std::abs(metres[0]) < 1e-3);  // the intercept direction is gone
  CHECK(worst > 30);
  CHECK(worst_default < 0.5);  // its ridge acts on the scaled coefficients, not on metres
  // A short plume keeps more of the fit: the truncation depends on the plume length.
  Eigen::VectorXd Xs = X / 10.0;
  const auto compat_short = emission::fit_centre_polynomial(Xs, Y, w, 0.1, true);
  CHECK(std::abs(compat_short.b[0] - exact(0)) < std::abs(metres[0] - exact(0)));
}

TEST_CASE("CSF edge cases: empty lines, no positive pixel, plume behind the source", "[emission]") {
  const double res = 60;
  SECTION("lines that touch no pixel are NaN and not counted") {
    // One row of pixels with a 1.2 km gap; the fit passes through them so e ~ 0 and the
    // transects in the gap touch nothing.
    std::vector<double> x, y, m;
    for (int i = 0; i <= 40; ++i) {
      if (i > 10 && i < 31) continue;
      x.push_back(500000 + i * res + 0.3 * res);
      y.push_back(3500000);
      m.push_back(1e-4 * (1 + 0.01 * i));
    }
    Pixels p = from_lists(x, y, m);
    p.source_x = 500000;
    p.source_y = 3500000;
    const auto g = run(p, res, false);
    int empty = 0;
    double sum = 0;
    for (const auto& line : g.lines) {
      if (line.pixels.empty()) {
        CHECK(std::isnan(line.column));
        ++empty;
      } else {
        sum += line.column;
      }
    }
    CHECK(empty >= 5);
    CHECK(g.lines_with_pixels() == static_cast<int>(g.lines.size()) - empty);
    CHECK(g.mean_column() == Approx(sum / g.lines_with_pixels()));
  }
  SECTION("no positive column mass throws") {
    Pixels p = gaussian_plume(0, res, 1000, 0.04);
    p.mass = -p.mass;
    CHECK_THROWS_AS(run(p, res, false), InputError);
    p.mass.setZero();
    CHECK_THROWS_AS(run(p, res, true), InputError);
    CHECK_THROWS_AS(emission::cross_sectional_flux(Eigen::VectorXd(), Eigen::VectorXd(),
                                                   Eigen::VectorXd(), 0, 0, res),
                    InputError);
  }
  SECTION("strong pixels behind the source put the stations on X < 0") {
    // A short strong plume to the west and a long weak haze to the east: the centroid is east
    // (theta ~ 0) but the strong pixels are west.
    std::vector<double> x, y, m;
    for (int i = -40; i <= 40; ++i)
      for (int j = -2; j <= 2; ++j) {
        const double mass = i < 0 && i >= -3 ? 1.0 : (i > 0 ? 0.09 : 0.0);
        if (mass == 0) continue;
        x.push_back(500000 + i * res);
        y.push_back(3500000 + j * res);
        m.push_back(mass);
      }
    Pixels p = from_lists(x, y, m);
    p.source_x = 500000 + 0.25 * res;
    p.source_y = 3500000;
    const auto g = run(p, res, false);
    CHECK(std::cos(g.theta) > 0.99);
    CHECK(g.x_to == 0);
    CHECK(g.x_from == Approx(-3.25 * res).margin(1e-6));
    for (const double cx : g.centre_x) CHECK(cx <= p.source_x + 1e-6);
    // arc 0 is the far (west) end, the last station the source
    CHECK(g.centre_x.front() == Approx(p.source_x - 3.25 * res).margin(1));
    CHECK(g.centre_x.back() == Approx(p.source_x).margin(1e-6));
  }
}

TEST_CASE("mean_line_column applies the line pixel lists to other values", "[emission]") {
  const double res = 60;
  const Pixels p = gaussian_plume(30, res, 2000, 0.04);
  const auto g = run(p, res, false);
  const double v = 2.5e-5;
  double chord_sum = 0;
  for (const auto& line : g.lines)
    for (double l : line.lengths) chord_sum += l;
  const double mean_chords = chord_sum / g.lines_with_pixels();
  const Eigen::VectorXd constant = Eigen::VectorXd::Constant(p.x.size(), v);
  CHECK(emission::mean_line_column(g, constant) == Approx(v * mean_chords));
  CHECK(emission::mean_line_column(g, p.mass) == Approx(g.mean_column()).epsilon(1e-12));
  // NaN pixels drop out of the sums (numpy nansum): NaN everywhere gives 0, not NaN.
  const Eigen::VectorXd missing = Eigen::VectorXd::Constant(p.x.size(), std::nan(""));
  CHECK(emission::mean_line_column(g, missing) == 0);
  CHECK_THROWS_AS(emission::mean_line_column(g, Eigen::VectorXd::Zero(3)), InputError);
  emission::CsfGeometry none;
  CHECK(std::isnan(emission::mean_line_column(none, constant)));
}

TEST_CASE("transect pixel lists match a brute-force square/segment test", "[emission]") {
  const double res = 60;
  SECTION("dense plume") {
    const Pixels p = gaussian_plume(30, res, 3000, 0.04);
    const auto g = run(p, res, false);
    std::size_t hits = 0;
    for (const auto& line : g.lines) {
      CHECK(line.pixels == brute_force_pixels(p, line, res));
      hits += line.pixels.size();
    }
    CHECK(hits > 300);
  }
  SECTION("scattered pixels (coarsened bins)") {
    std::vector<double> x, y, m;
    for (int k = 0; k < 300; ++k) {
      // a deterministic scatter over ~20 km, a few pixels sharing edges
      x.push_back(500000 + res * ((k * 37) % 331) + (k % 3 == 0 ? res : 0));
      y.push_back(3500000 + res * ((k * 53) % 317));
      m.push_back(1e-4 * (1 + (k % 7)));
    }
    Pixels p = from_lists(x, y, m);
    p.source_x = 500000 + 0.5 * res;  // on pixel edges: touching squares count twice
    p.source_y = 3500000;
    const auto g = run(p, res, false);
    std::size_t hits = 0;
    for (const auto& line : g.lines) {
      CHECK(line.pixels == brute_force_pixels(p, line, res));
      hits += line.pixels.size();
    }
    CHECK(hits > 20);
  }
}
