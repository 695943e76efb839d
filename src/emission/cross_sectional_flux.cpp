#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/cross_sectional_flux.hpp>
#include <limits>
#include <string>

namespace hyperplume::emission {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kNumpyRcond = 1e-15;  // numpy.linalg.pinv's default
constexpr double kStrongWeight = 0.1;  // pixels above this weight steer direction and extent
constexpr int kExtentSamples = 100;    // polyline the extent is measured against
constexpr int kArcSamples = 10000;     // arc-length table
constexpr double kMaxStations = 1e6;   // a centre line this long means the fit ran away

// numpy.linspace: start + i * step, with the last element set to stop exactly.
std::vector<double> linspace(double start, double stop, int count) {
  std::vector<double> v(static_cast<std::size_t>(count));
  const double step = count > 1 ? (stop - start) / (count - 1) : 0.0;
  for (int i = 0; i < count; ++i) v[static_cast<std::size_t>(i)] = i * step + start;
  if (count > 1) v.back() = stop;
  return v;
}

Eigen::Matrix4d pseudo_inverse(const Eigen::Matrix4d& m) {
  const Eigen::JacobiSVD<Eigen::Matrix4d> svd(m, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Eigen::Vector4d& sigma = svd.singularValues();
  const double cutoff = kNumpyRcond * sigma(0);  // Eigen sorts them descending
  Eigen::Vector4d inverse = Eigen::Vector4d::Zero();
  for (int i = 0; i < 4; ++i)
    if (sigma(i) > cutoff) inverse(i) = 1.0 / sigma(i);
  return svd.matrixV() * inverse.asDiagonal() * svd.matrixU().transpose();
}

double distance_to_segment(double px, double py, double ax, double ay, double bx, double by) {
  const double ux = bx - ax, uy = by - ay;
  const double length2 = ux * ux + uy * uy;
  double u = length2 > 0 ? ((px - ax) * ux + (py - ay) * uy) / length2 : 0.0;
  u = std::clamp(u, 0.0, 1.0);
  return std::hypot(px - (ax + u * ux), py - (ay + u * uy));
}

// Liang–Barsky clipping of the segment (x0, y0)-(x1, y1) to a closed box: the parameter
// interval [t0, t1] of the segment inside it, empty (t0 > t1) when it misses the box.
// Touching an edge or a corner counts, as in shapely's intersects.
struct Clip {
  double t0 = 0, t1 = 1;
  bool touches() const { return t0 <= t1; }
};
Clip clip_to_box(double x0, double y0, double x1, double y1, double xmin, double xmax, double ymin,
                 double ymax) {
  const double dx = x1 - x0, dy = y1 - y0;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {x0 - xmin, xmax - x0, y0 - ymin, ymax - y0};
  Clip c;
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return {1, 0};
    } else if (p[i] < 0) {
      c.t0 = std::max(c.t0, q[i] / p[i]);
    } else {
      c.t1 = std::min(c.t1, q[i] / p[i]);
    }
  }
  return c;
}

// Length of the segment a-b inside the closed square of side `side` centred on (cx, cy).
double chord_in_square(double xa, double ya, double xb, double yb, double cx, double cy,
                       double side) {
  const double h = 0.5 * side;
  const Clip c = clip_to_box(xa, ya, xb, yb, cx - h, cx + h, cy - h, cy + h);
  return c.t1 > c.t0 ? (c.t1 - c.t0) * std::hypot(xb - xa, yb - ya) : 0.0;
}

// Pixel centres binned in square cells, so that a transect only looks at the cells along it.
class PixelGrid {
 public:
  PixelGrid(const Eigen::VectorXd& px, const Eigen::VectorXd& py, double res)
      : px_(px), py_(py), half_(0.5 * res) {
    const Eigen::Index n = px.size();
    x0_ = px.minCoeff();
    y0_ = py.minCoeff();
    const double width = px.maxCoeff() - x0_, height = py.maxCoeff() - y0_;
    // Scattered pixels would otherwise make a grid far larger than the pixel count.
    const double max_cells = 4.0 * static_cast<double>(n) + 64.0;
    cell_ = res;
    while ((std::floor(width / cell_) + 1) * (std::floor(height / cell_) + 1) > max_cells)
      cell_ *= 2;
    nx_ = static_cast<long>(std::floor(width / cell_)) + 1;
    ny_ = static_cast<long>(std::floor(height / cell_)) + 1;
    // Bounds that are not exact in floating point must not lose a candidate.
    margin_ = half_ + 1e-9 * cell_;

    std::vector<long> cell_of(static_cast<std::size_t>(n));
    start_.assign(static_cast<std::size_t>(nx_ * ny_ + 1), 0);
    for (Eigen::Index k = 0; k < n; ++k) {
      const long c = column(px(k)) * ny_ + row(py(k));
      cell_of[static_cast<std::size_t>(k)] = c;
      ++start_[static_cast<std::size_t>(c + 1)];
    }
    for (std::size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
    members_.resize(static_cast<std::size_t>(n));
    std::vector<long> fill(start_.begin(), start_.end() - 1);
    for (Eigen::Index k = 0; k < n; ++k)
      members_[static_cast<std::size_t>(
          fill[static_cast<std::size_t>(cell_of[static_cast<std::size_t>(k)])]++)] =
          static_cast<int>(k);
  }

  // Ascending indices of the pixels whose closed square touches the segment.
  std::vector<int> touching(double xa, double ya, double xb, double yb) const {
    std::vector<int> hits;
    const double dx = xb - xa;
    const long col_from = column(std::min(xa, xb) - margin_);
    const long col_to = column(std::max(xa, xb) + margin_);
    for (long ic = col_from; ic <= col_to; ++ic) {
      // Part of the segment within reach of centres in this column of cells.
      const double slab_lo = x0_ + static_cast<double>(ic) * cell_ - margin_;
      const double slab_hi = x0_ + static_cast<double>(ic + 1) * cell_ + margin_;
      double u_lo = 0, u_hi = 1;
      if (dx == 0) {
        if (xa < slab_lo || xa > slab_hi) continue;
      } else {
        const double ua = (slab_lo - xa) / dx, ub = (slab_hi - xa) / dx;
        u_lo = std::max(0.0, std::min(ua, ub));
        u_hi = std::min(1.0, std::max(ua, ub));
        if (u_lo > u_hi) continue;
      }
      const double yl = ya + u_lo * (yb - ya), yh = ya + u_hi * (yb - ya);
      const long row_from = row(std::min(yl, yh) - margin_);
      const long row_to = row(std::max(yl, yh) + margin_);
      for (long ir = row_from; ir <= row_to; ++ir) {
        const auto c = static_cast<std::size_t>(ic * ny_ + ir);
        for (long m = start_[c]; m < start_[c + 1]; ++m) {
          const int k = members_[static_cast<std::size_t>(m)];
          if (clip_to_box(xa, ya, xb, yb, px_(k) - half_, px_(k) + half_, py_(k) - half_,
                          py_(k) + half_)
                  .touches())
            hits.push_back(k);
        }
      }
    }
    std::sort(hits.begin(), hits.end());
    return hits;
  }

 private:
  long clamp_index(double position, long count) const {
    const double i = std::floor(position / cell_);
    return static_cast<long>(std::clamp(i, 0.0, static_cast<double>(count - 1)));
  }
  long column(double x) const { return clamp_index(x - x0_, nx_); }
  long row(double y) const { return clamp_index(y - y0_, ny_); }

  const Eigen::VectorXd& px_;
  const Eigen::VectorXd& py_;
  double half_, x0_ = 0, y0_ = 0, cell_ = 0, margin_ = 0;
  long nx_ = 0, ny_ = 0;
  std::vector<long> start_;
  std::vector<int> members_;
};

// np.interp of the arc-length table, clamped to its ends.
double axis_position_at_arc(const std::vector<double>& arc, const std::vector<double>& axis,
                            double target) {
  if (target >= arc.back()) return axis.back();
  if (target <= 0) return axis.front();
  const auto upper = std::upper_bound(arc.begin(), arc.end(), target);
  const auto j = static_cast<std::size_t>(upper - arc.begin()) - 1;
  const double slope = (axis[j + 1] - axis[j]) / (arc[j + 1] - arc[j]);
  return slope * (target - arc[j]) + axis[j];
}

void check_finite(const Eigen::VectorXd& v, const char* name) {
  if (!v.allFinite())
    throw InputError(std::string("CSF: non-finite ") + name + " in the plume pixels");
}
}  // namespace

double CentrePolynomial::operator()(double X) const {
  const double t = (X - offset) / scale;
  return b[0] + t * (b[1] + t * (b[2] + t * b[3]));
}

double CentrePolynomial::slope(double X) const {
  const double t = (X - offset) / scale;
  return (b[1] + t * (2 * b[2] + t * 3 * b[3])) / scale;
}

std::array<double, 4> CentrePolynomial::metre_coefficients() const {
  // (X - o)^k / s^k expanded binomially.
  static constexpr double kBinomial[4][4] = {
      {1, 0, 0, 0}, {1, 1, 0, 0}, {1, 2, 1, 0}, {1, 3, 3, 1}};
  std::array<double, 4> c{};
  for (int k = 0; k < 4; ++k) {
    const double bk = b[static_cast<std::size_t>(k)] / std::pow(scale, k);
    for (int j = 0; j <= k; ++j)
      c[static_cast<std::size_t>(j)] += bk * kBinomial[k][j] * std::pow(-offset, k - j);
  }
  return c;
}

CentrePolynomial fit_centre_polynomial(const Eigen::VectorXd& X, const Eigen::VectorXd& Y,
                                       const Eigen::VectorXd& weights, double ridge,
                                       bool numpy_pinv) {
  CentrePolynomial p;
  if (!numpy_pinv) {
    const double wsum = weights.sum();
    p.offset = weights.dot(X) / wsum;
    const double spread =
        std::sqrt((weights.array() * (X.array() - p.offset).square()).sum() / wsum);
    p.scale = std::isfinite(spread) && spread > 0 ? spread : 1.0;
    if (!std::isfinite(p.offset)) p.offset = 0;
  }
  Eigen::Matrix4d normal = Eigen::Matrix4d::Zero();
  Eigen::Vector4d rhs = Eigen::Vector4d::Zero();
  for (Eigen::Index k = 0; k < X.size(); ++k) {
    const double t = (X(k) - p.offset) / p.scale;
    const Eigen::Vector4d a(1.0, t, t * t, t * t * t);
    normal.noalias() += weights(k) * a * a.transpose();
    rhs += weights(k) * Y(k) * a;
  }
  normal.diagonal().array() += ridge;
  const Eigen::Vector4d b = pseudo_inverse(normal) * rhs;
  for (int i = 0; i < 4; ++i) p.b[static_cast<std::size_t>(i)] = b(i);
  return p;
}

int CsfGeometry::lines_with_pixels() const {
  return static_cast<int>(std::count_if(lines.begin(), lines.end(),
                                        [](const CsfLine& l) { return !l.pixels.empty(); }));
}

double CsfGeometry::mean_column() const {
  double sum = 0;
  int count = 0;
  for (const CsfLine& l : lines)
    if (!l.pixels.empty()) {
      sum += l.column;
      ++count;
    }
  return count ? sum / count : kNaN;
}

CsfGeometry cross_sectional_flux(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                                 const Eigen::VectorXd& column_mass, double source_x,
                                 double source_y, double res, const CsfOptions& options) {
  const Eigen::Index n = x.size();
  if (n == 0) throw InputError("CSF: the plume has no pixels");
  if (y.size() != n || column_mass.size() != n)
    throw InputError("CSF: pixel x, y and column mass differ in length");
  check_finite(x, "x");
  check_finite(y, "y");
  check_finite(column_mass, "column mass");
  if (!std::isfinite(source_x) || !std::isfinite(source_y))
    throw InputError("CSF: non-finite source position");
  if (!(res > 0) || !std::isfinite(res)) throw InputError("CSF: pixel size must be positive");
  if (!(options.pixel_interval > 0) || !(options.transect_factor >= 0) || !(options.ridge >= 0))
    throw InputError("CSF: pixel_interval must be > 0, transect_factor and ridge >= 0");

  const double peak = column_mass.maxCoeff();
  if (!(peak > 0))
    throw InputError("no positive enhancement in the plume: the CSF centre line is undefined");
  const Eigen::VectorXd w = column_mass.cwiseMax(0.0) / peak;

  // Source-relative coordinates: exact for UTM values, and they keep the fit away from 1e6.
  const Eigen::VectorXd dx = x.array() - source_x, dy = y.array() - source_y;
  CsfGeometry g;
  g.theta = std::atan2(w.dot(dy) / w.sum(), w.dot(dx) / w.sum());
  const double cos_t = std::cos(g.theta), sin_t = std::sin(g.theta);
  const Eigen::VectorXd X = dx * cos_t + dy * sin_t;
  const Eigen::VectorXd Y = -dx * sin_t + dy * cos_t;
  g.curve = fit_centre_polynomial(X, Y, w, options.ridge, options.numpy_pinv);

  // The plume runs to the side of the source with more strong pixels.
  long right = 0, left = 0;
  for (Eigen::Index k = 0; k < n; ++k)
    if (w(k) > kStrongWeight) {
      right += X(k) > 0;
      left += X(k) < 0;
    }
  g.x_from = right >= left ? 0.0 : X.minCoeff();
  g.x_to = right >= left ? X.maxCoeff() : 0.0;

  // Distances are the same in the rotated frame, so the extent is measured there.
  const std::vector<double> px = linspace(g.x_from, g.x_to, kExtentSamples);
  std::vector<double> py(px.size());
  for (std::size_t i = 0; i < px.size(); ++i) py[i] = g.curve(px[i]);
  for (Eigen::Index k = 0; k < n; ++k) {
    if (!(w(k) > kStrongWeight)) continue;
    double nearest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < px.size(); ++i)
      nearest =
          std::min(nearest, distance_to_segment(X(k), Y(k), px[i], py[i], px[i + 1], py[i + 1]));
    g.extent = std::max(g.extent, nearest);
  }

  // Left Riemann sum: s_j accumulates the elements before sample j.
  const std::vector<double> axis = linspace(g.x_from, g.x_to, kArcSamples);
  const double step = (g.x_to - g.x_from) / (kArcSamples - 1);
  std::vector<double> arc(axis.size());
  arc[0] = 0;
  for (std::size_t j = 1; j < axis.size(); ++j) {
    const double slope = g.curve.slope(axis[j - 1]);
    arc[j] = arc[j - 1] + std::sqrt(1 + slope * slope) * step;
  }
  const double total_arc = arc.back();

  const double spacing = options.pixel_interval * res;
  const double intervals = std::nearbyint(total_arc / spacing);  // half to even, as numpy
  if (!(intervals < kMaxStations))
    throw InputError("CSF: the centre line is too long for its station spacing (" +
                     std::to_string(total_arc) + " m)");
  const int stations = std::max(2, static_cast<int>(intervals) + 1);
  const std::vector<double> arc_positions = linspace(0.0, total_arc, stations);

  const double half_length = options.transect_factor * g.extent;
  const PixelGrid grid(dx, dy, res);
  double previous_x = 0, previous_y = 0;
  for (int i = 0; i < stations; ++i) {
    const double Xs = axis_position_at_arc(arc, axis, arc_positions[static_cast<std::size_t>(i)]);
    const double Ys = g.curve(Xs);
    const double cx = Xs * cos_t - Ys * sin_t, cy = Xs * sin_t + Ys * cos_t;
    const double slope = g.curve.slope(Xs);
    const double tangent_norm = std::hypot(1.0, slope);
    const double nx_rot = -slope / tangent_norm, ny_rot = 1.0 / tangent_norm;
    double nx = nx_rot * cos_t - ny_rot * sin_t, ny = nx_rot * sin_t + ny_rot * cos_t;
    const double normal_norm = std::hypot(nx, ny);
    nx /= normal_norm;
    ny /= normal_norm;

    CsfLine line;
    const double xa = cx - half_length * nx, ya = cy - half_length * ny;
    const double xb = cx + half_length * nx, yb = cy + half_length * ny;
    line.x_start = xa + source_x;
    line.y_start = ya + source_y;
    line.x_end = xb + source_x;
    line.y_end = yb + source_y;
    line.pixels = grid.touching(xa, ya, xb, yb);
    for (const int k : line.pixels)
      line.lengths.push_back(
          options.path_length ? chord_in_square(xa, ya, xb, yb, dx(k), dy(k), res) : res);
    if (!line.pixels.empty()) {
      double sum = 0;
      for (std::size_t j = 0; j < line.pixels.size(); ++j)
        sum += column_mass(line.pixels[j]) * line.lengths[j];
      line.column = sum;
    }
    g.lines.push_back(std::move(line));

    g.centre_x.push_back(cx + source_x);
    g.centre_y.push_back(cy + source_y);
    if (i > 0) g.length += std::hypot(cx - previous_x, cy - previous_y);
    previous_x = cx;
    previous_y = cy;
  }
  return g;
}

double mean_line_column(const CsfGeometry& geometry, const Eigen::VectorXd& values) {
  double sum = 0;
  int count = 0;
  for (const CsfLine& line : geometry.lines) {
    if (line.pixels.empty()) continue;
    if (line.pixels.back() >= values.size())
      throw InputError("CSF: per-pixel values shorter than the plume the lines were built on");
    double column = 0;
    for (std::size_t j = 0; j < line.pixels.size(); ++j)
      if (!std::isnan(values(line.pixels[j]))) column += values(line.pixels[j]) * line.lengths[j];
    sum += column;
    ++count;
  }
  return count ? sum / count : kNaN;
}

}  // namespace hyperplume::emission
