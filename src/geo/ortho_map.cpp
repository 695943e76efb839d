#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/geo/ortho_map.hpp>

namespace hyperplume::geo {
namespace {
constexpr std::int32_t kGltFill = -9999;
}

GltLocator::GltLocator(const Glt& glt, int source_rows, int source_cols, bool hypergas)
    : glt_(glt), rows_(source_rows), cols_(source_cols), hypergas_(hypergas) {
  if (glt.x.size() == 0 || glt.x.rows() != glt.y.rows() || glt.x.cols() != glt.y.cols())
    throw InputError("orthorectification: the GLT is missing or its x and y differ in shape");
  if (glt.transform.gt[1] == 0 || glt.transform.gt[5] == 0)
    throw InputError("orthorectification: the GLT has a degenerate geotransform");
}

void GltLocator::locate(const TargetPoints& p, std::span<std::int64_t> source) const {
  const auto& gt = glt_.transform.gt;
  const Eigen::Index gh = glt_.x.rows(), gw = glt_.x.cols();
  // One GLT entry (1-based) to a 0-based index in [0, n), or -1.
  auto index = [&](std::int32_t g, int n) -> std::int64_t {
    if (g == 0) return -1;
    if (hypergas_) {  // numpy indexing with g - 1: negative counts from the end
      const std::int64_t i = g > 0 ? g - 1 : n + (g - 1);
      return i >= 0 && i < n ? i : -1;
    }
    if (g == kGltFill) return -1;
    const std::int64_t i = std::abs(static_cast<std::int64_t>(g)) - 1;
    return i < n ? i : -1;
  };
  for (std::size_t k = 0; k < source.size(); ++k) {
    source[k] = -1;
    // The cell containing the point (GDAL nearest neighbour: floor of the pixel coordinate).
    const double fc = (p.lon[k] - gt[0]) / gt[1], fr = (p.lat[k] - gt[3]) / gt[5];
    if (!(fc >= 0 && fr >= 0 && fc < static_cast<double>(gw) && fr < static_cast<double>(gh)))
      continue;
    const auto c = static_cast<Eigen::Index>(fc), r = static_cast<Eigen::Index>(fr);
    const std::int64_t row = index(glt_.y(r, c), rows_), col = index(glt_.x(r, c), cols_);
    if (row >= 0 && col >= 0) source[k] = row * cols_ + col;
  }
}

GeolocationLocator::GeolocationLocator(const Glt& glt, const Raster<double>& lat,
                                       const Raster<double>& lon, std::string method)
    : glt_(glt, static_cast<int>(lat.rows()), static_cast<int>(lat.cols())),
      lat_(lat),
      lon_(lon),
      method_(std::move(method)) {}

void GeolocationLocator::locate(const TargetPoints& p, std::span<std::int64_t> source) const {
  glt_.locate(p, source);
  const Eigen::Index rows = lat_.rows(), cols = lat_.cols();
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  for (std::size_t k = 0; k < source.size(); ++k) {
    if (source[k] < 0) continue;
    const double lon = p.lon[k], lat = p.lat[k], scale = std::cos(lat * kRad);
    auto distance2 = [&](Eigen::Index r, Eigen::Index c) {
      const double dx = (lon_(r, c) - lon) * scale, dy = lat_(r, c) - lat;
      const double d2 = dx * dx + dy * dy;
      return std::isfinite(d2) ? d2 : std::numeric_limits<double>::infinity();
    };
    Eigen::Index r = source[k] / cols, c = source[k] % cols;
    double best = distance2(r, c);
    for (int step = 0; step < 16; ++step) {
      Eigen::Index br = r, bc = c;
      for (Eigen::Index dr = -1; dr <= 1; ++dr)
        for (Eigen::Index dc = -1; dc <= 1; ++dc) {
          const Eigen::Index nr = r + dr, nc = c + dc;
          if ((dr == 0 && dc == 0) || nr < 0 || nc < 0 || nr >= rows || nc >= cols) continue;
          const double d2 = distance2(nr, nc);
          if (d2 < best) {
            best = d2;
            br = nr;
            bc = nc;
          }
        }
      if (br == r && bc == c) break;
      r = br;
      c = bc;
    }
    source[k] = static_cast<std::int64_t>(r) * cols + c;
  }
}

OrthoMap::OrthoMap(const UtmGrid& grid, const SourceLocator& locator, int source_rows,
                   int source_cols, int threads)
    : grid_(grid),
      method_(locator.method()),
      source_rows_(source_rows),
      source_cols_(source_cols),
      lon_(grid.height, grid.width),
      lat_(grid.height, grid.width),
      source_(static_cast<std::size_t>(grid.height) * static_cast<std::size_t>(grid.width)) {
  const TransverseMercator tm = grid.projection();
  const auto W = static_cast<std::size_t>(grid.width);
  // Rows are independent and each call has its own scratch: the thread count cannot change
  // the map.
  auto locate_row = [&](std::int64_t row) {
    const auto r = static_cast<int>(row);
    std::vector<double> xs(W), ys(W);
    double* lon = &lon_(r, 0);
    double* lat = &lat_(r, 0);
    for (std::size_t c = 0; c < W; ++c) {
      xs[c] = grid.x(static_cast<int>(c));
      ys[c] = grid.y(r);
      tm.inverse(xs[c], ys[c], lon[c], lat[c]);
    }
    locator.locate({xs, ys, {lon, W}, {lat, W}},
                   std::span<std::int64_t>(source_.data() + static_cast<std::size_t>(r) * W, W));
  };
  parallel_for(grid.height, threads, locate_row);
}

template <class T>
Raster<T> OrthoMap::apply(const Raster<T>& field, T fill) const {
  if (field.rows() != source_rows_ || field.cols() != source_cols_)
    throw InputError("orthorectification: a field is " + std::to_string(field.rows()) + " x " +
                     std::to_string(field.cols()) + ", the scene " + std::to_string(source_rows_) +
                     " x " + std::to_string(source_cols_));
  Raster<T> out(grid_.height, grid_.width);
  const T* in = field.data();
  T* o = out.data();
  for (std::size_t i = 0; i < source_.size(); ++i) o[i] = source_[i] >= 0 ? in[source_[i]] : fill;
  return out;
}

template Raster<float> OrthoMap::apply(const Raster<float>&, float) const;
template Raster<double> OrthoMap::apply(const Raster<double>&, double) const;
template Raster<std::int32_t> OrthoMap::apply(const Raster<std::int32_t>&, std::int32_t) const;
template Raster<std::uint8_t> OrthoMap::apply(const Raster<std::uint8_t>&, std::uint8_t) const;

}  // namespace hyperplume::geo
