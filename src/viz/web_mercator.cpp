#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/viz/web_mercator.hpp>
#include <numbers>

namespace hyperplume::viz {
namespace {
constexpr double kRadius = 6378137.0;  // EPSG:3857's sphere
constexpr double kDeg = std::numbers::pi / 180.0;
// The projection is evaluated exactly on a lattice of every kStep-th pixel and interpolated
// bilinearly in between: across 16 pixels of a UTM zone the mapping's curvature moves a
// position by far less than a thousandth of a pixel, at a sixteenth of the cost.
constexpr int kStep = 16;
}  // namespace

double mercator_x(double lon_deg) { return kRadius * lon_deg * kDeg; }
double mercator_y(double lat_deg) { return kRadius * std::log(std::tan(std::numbers::pi / 4 + lat_deg * kDeg / 2)); }
double mercator_lon(double x) { return x / kRadius / kDeg; }
double mercator_lat(double y) { return (2 * std::atan(std::exp(y / kRadius)) - std::numbers::pi / 2) / kDeg; }

void MercatorGrid::lonlat(int row, int col, double& lon, double& lat) const {
  lon = mercator_lon(west + (col + 0.5) * pixel);
  lat = mercator_lat(north - (row + 0.5) * pixel);
}

MercatorGrid mercator_grid_for(const Raster<double>& latitude, const Raster<double>& longitude, double res_m,
                               std::int64_t max_pixels) {
  double lat0 = INFINITY, lat1 = -INFINITY, lon0 = INFINITY, lon1 = -INFINITY;
  for (Eigen::Index i = 0; i < latitude.size(); ++i) {
    const double la = latitude.data()[i], lo = longitude.data()[i];
    if (!std::isfinite(la) || !std::isfinite(lo)) continue;
    lat0 = std::min(lat0, la), lat1 = std::max(lat1, la);
    lon0 = std::min(lon0, lo), lon1 = std::max(lon1, lo);
  }
  if (!(lat0 <= lat1) || !(res_m > 0)) throw InputError("no georeferenced pixel to draw on a map");
  MercatorGrid g;
  // A pixel of res_m on the ground is res_m / cos(lat) Mercator metres at the centre latitude.
  g.pixel = res_m / std::cos((lat0 + lat1) / 2 * kDeg);
  // Half a pixel beyond the outermost pixel centres, so their footprints are whole.
  const double x0 = mercator_x(lon0) - g.pixel / 2, x1 = mercator_x(lon1) + g.pixel / 2;
  const double y0 = mercator_y(lat0) - g.pixel / 2, y1 = mercator_y(lat1) + g.pixel / 2;
  const double area = (x1 - x0) * (y1 - y0) / (g.pixel * g.pixel);
  if (area > static_cast<double>(max_pixels)) g.pixel *= std::sqrt(area / static_cast<double>(max_pixels));
  g.cols = std::max(1, static_cast<int>(std::ceil((x1 - x0) / g.pixel)));
  g.rows = std::max(1, static_cast<int>(std::ceil((y1 - y0) / g.pixel)));
  g.west = x0;
  g.north = y1;
  g.bounds = {mercator_lat(g.north - g.rows * g.pixel), mercator_lon(g.west), mercator_lat(g.north),
              mercator_lon(g.west + g.cols * g.pixel)};
  return g;
}

namespace {
// (column, row) of the UTM grid, fractional, of a Mercator pixel centre.
void source_position(const MercatorGrid& t, const UtmPixelGrid& s, const geo::TransverseMercator& tm, int row,
                     int col, double& c, double& r) {
  double lon = 0, lat = 0, x = 0, y = 0;
  t.lonlat(row, col, lon, lat);
  tm.forward(lon, lat, x, y);
  c = (x - s.x0) / s.dx;
  r = (y - s.y0) / s.dy;
}
}  // namespace

std::vector<std::int64_t> mercator_resampling(const MercatorGrid& t, const UtmPixelGrid& s,
                                              const geo::TransverseMercator& tm) {
  const int lattice_rows = (t.rows - 1) / kStep + 2, lattice_cols = (t.cols - 1) / kStep + 2;
  std::vector<double> lc(static_cast<std::size_t>(lattice_rows * lattice_cols)), lr(lc.size());
  for (int i = 0; i < lattice_rows; ++i)
    for (int j = 0; j < lattice_cols; ++j) {
      const auto k = static_cast<std::size_t>(i * lattice_cols + j);
      source_position(t, s, tm, i * kStep, j * kStep, lc[k], lr[k]);
    }
  std::vector<std::int64_t> index(static_cast<std::size_t>(t.rows) * static_cast<std::size_t>(t.cols), -1);
  for (int row = 0; row < t.rows; ++row) {
    const int i = row / kStep;
    const double fy = static_cast<double>(row - i * kStep) / kStep;
    for (int col = 0; col < t.cols; ++col) {
      const int j = col / kStep;
      const double fx = static_cast<double>(col - j * kStep) / kStep;
      const auto k00 = static_cast<std::size_t>(i * lattice_cols + j), k10 = k00 + static_cast<std::size_t>(lattice_cols);
      auto lerp = [&](const std::vector<double>& v) {
        return (1 - fy) * ((1 - fx) * v[k00] + fx * v[k00 + 1]) + fy * ((1 - fx) * v[k10] + fx * v[k10 + 1]);
      };
      const double c = std::round(lerp(lc)), r = std::round(lerp(lr));
      if (c >= 0 && r >= 0 && c < s.cols && r < s.rows)
        index[static_cast<std::size_t>(row) * static_cast<std::size_t>(t.cols) + static_cast<std::size_t>(col)] =
            static_cast<std::int64_t>(r) * s.cols + static_cast<std::int64_t>(c);
    }
  }
  return index;
}

RgbaImage resample(const RgbaImage& source, const std::vector<std::int64_t>& index, const MercatorGrid& target) {
  RgbaImage out(target.rows, target.cols);
  for (std::size_t k = 0; k < index.size(); ++k)
    if (index[k] >= 0) out.pixels[k] = source.pixels[static_cast<std::size_t>(index[k])];
  return out;
}

}  // namespace hyperplume::viz
