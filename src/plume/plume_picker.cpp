#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/local_frame.hpp>
#include <hyperplume/geo/planar_geometry.hpp>
#include <hyperplume/image/connected_components.hpp>
#include <hyperplume/plume/plume_picker.hpp>
#include <limits>
#include <map>
#include <numbers>
#include <string>
#include <unordered_map>
#include <vector>

namespace hyperplume::plume {
namespace {

using geo::Point2;
using Index = Eigen::Index;

constexpr double kEarthRadius = 6371e3;  // m, as HyperGas's haversine
constexpr double kRadPerDeg = std::numbers::pi / 180;
constexpr double kInf = std::numeric_limits<double>::infinity();

double haversine_m(double lon1, double lat1, double lon2, double lat2) {
  return kEarthRadius * geo::central_angle(lat1, lon1, lat2, lon2);
}

struct Nearest {
  Index index = -1;  // raster index, -1 = none
  double distance = kInf;
};

// Great-circle nearest pixel centre among the eligible ones; ties go to the lowest index.
// A first pass ranks pixels by an equirectangular distance about the marker's latitude (no
// trigonometry per pixel); its relative error against the great circle is about
// |tan(lat)| * d / 2 for a pixel d radians away, far below the 1.5 margin used here except
// within a few degrees of the poles. The exact distance is then taken over the pixels whose
// approximate distance is within that margin (plus 1 m) of the smallest, which holds the
// exact nearest one.
template <class Eligible>
Nearest nearest_pixel(const Raster<double>& lon, const Raster<double>& lat, double marker_lon,
                      double marker_lat, Eligible eligible) {
  const double lon_scale = std::cos(marker_lat * kRadPerDeg);
  const auto approx_sq = [&](Index i) {
    double dlon = lon.data()[i] - marker_lon;
    if (dlon > 180) dlon -= 360;
    if (dlon < -180) dlon += 360;
    const double dlat = lat.data()[i] - marker_lat;
    dlon *= lon_scale;
    return dlon * dlon + dlat * dlat;
  };
  const auto usable = [&](Index i) {
    return eligible(i) && std::isfinite(lon.data()[i]) && std::isfinite(lat.data()[i]);
  };
  const Index n = lon.size();
  double best_sq = kInf;
  for (Index i = 0; i < n; ++i)
    if (usable(i)) best_sq = std::min(best_sq, approx_sq(i));
  Nearest out;
  if (best_sq == kInf) return out;
  const double one_metre_deg = 1 / (kEarthRadius * kRadPerDeg);
  const double band = 1.5 * std::sqrt(best_sq) + one_metre_deg;
  const double band_sq = band * band;
  for (Index i = 0; i < n; ++i) {
    if (!usable(i) || approx_sq(i) > band_sq) continue;
    const double d = haversine_m(marker_lon, marker_lat, lon.data()[i], lat.data()[i]);
    if (d < out.distance) out = {i, d};
  }
  return out;
}

// HyperGas's "nearest mask pixel": planar distance in degrees (shapely Point.distance).
Nearest nearest_label_in_degrees(const Raster<float>& labels, const Raster<double>& lon,
                                 const Raster<double>& lat, double marker_lon, double marker_lat) {
  Nearest out;
  for (Index i = 0; i < labels.size(); ++i) {
    if (!(labels.data()[i] > 0) || !std::isfinite(lon.data()[i]) || !std::isfinite(lat.data()[i]))
      continue;
    const double d = std::hypot(lon.data()[i] - marker_lon, lat.data()[i] - marker_lat);
    if (d < out.distance) out = {i, d};
  }
  return out;
}

int label_number(float value) {
  if (value != std::floor(value) || value > static_cast<float>(INT_MAX / 2))
    throw InputError("a-priori mask label " + std::to_string(value) + " is not an integer");
  return static_cast<int>(value);
}

struct Pixel {
  int row, col;
};

struct Candidate {
  int label;
  double azimuth;   // degrees clockwise from north
  double distance;  // to the target's label; 0 = touching or overlapping
};

// HyperGas: bearing of the long side as degrees(atan2(dlon, dlat)), moved to (0, 180].
double azimuth_hypergas(double long_axis_angle) {
  double az = 90 - long_axis_angle / kRadPerDeg;
  if (az <= 0) az += 180;
  return az;
}

// Default: the same axis bearing in [0, 180).
double azimuth_folded(double long_axis_angle) {
  double az = 90 - long_axis_angle / kRadPerDeg;
  if (az < 0) az += 180;
  if (az >= 180) az -= 180;
  return az;
}

double azimuth_difference(double a, double b, bool wrap) {
  double d = std::abs(a - b);
  if (!wrap) return d;
  d = std::fmod(d, 180.0);
  return std::min(d, 180 - d);
}

// HyperGas's polygon of a label: its pixel centres in raster order, in degrees.
std::vector<Point2> centre_ring(const std::vector<Pixel>& pixels, const Raster<double>& lon,
                                const Raster<double>& lat) {
  std::vector<Point2> ring;
  ring.reserve(pixels.size());
  for (const Pixel& p : pixels) {
    const double x = lon(p.row, p.col), y = lat(p.row, p.col);
    if (std::isfinite(x) && std::isfinite(y)) ring.push_back({x, y});
  }
  return ring;
}

// Hull of a label's pixel squares on the regular grid. Corners come from pixel indices (offset
// by half a pixel) times the signed spacing, relative to the target pixel, so neighbouring
// pixels share corner coordinates exactly and touching labels are at distance 0. Only the
// first and last pixel of each row can be hull corners.
std::vector<Point2> pixel_square_hull(const std::vector<Pixel>& pixels, int target_row,
                                      int target_col, double step_x, double step_y) {
  std::vector<Point2> corners;
  const auto add_row = [&](int row, int first_col, int last_col) {
    const double x0 = (first_col - 0.5 - target_col) * step_x;
    const double x1 = (last_col + 0.5 - target_col) * step_x;
    for (const double dr : {-0.5, 0.5}) {
      const double y = (row + dr - target_row) * step_y;
      corners.push_back({x0, y});
      corners.push_back({x1, y});
    }
  };
  std::size_t k = 0;
  while (k < pixels.size()) {  // raster order: each row's pixels are consecutive, cols ascending
    std::size_t end = k;
    while (end + 1 < pixels.size() && pixels[end + 1].row == pixels[k].row) ++end;
    add_row(pixels[k].row, pixels[k].col, pixels[end].col);
    k = end + 1;
  }
  return geo::convex_hull(std::move(corners));
}

void check_grid(const Raster<float>& labels, const PlumeGrid& grid) {
  if (!grid.longitude || !grid.latitude)
    throw InputError("plume picking needs the longitude and latitude of the grid");
  const Index H = labels.rows(), W = labels.cols();
  if (grid.longitude->rows() != H || grid.longitude->cols() != W || grid.latitude->rows() != H ||
      grid.latitude->cols() != W)
    throw InputError("plume picking: longitude/latitude shape differs from the mask's");
  if (static_cast<Index>(grid.x.size()) != W || static_cast<Index>(grid.y.size()) != H)
    throw InputError("plume picking: x/y coordinates do not match the mask's shape");
  if (H < 2 || W < 2)
    throw InputError("plume picking needs at least two grid rows and columns for the pixel size");
}

std::string metres(double m) {
  char b[48];
  std::snprintf(b, sizeof b, "%.0f m", m);
  return b;
}

std::string marker_text(double lon, double lat) {
  char b[96];
  std::snprintf(b, sizeof b, "marker (lon %.6f, lat %.6f)", lon, lat);
  return b;
}

// HyperGas's crop_to_valid_region: a square window of half-width `reach` around the target,
// clipped to the array; the smallest of the four target-to-edge distances of the clipped
// window, halved, becomes the half-width h of a window [t - h, t + h) centred on the target
// (the end is exclusive, as in the Python slice, so the window is 2h pixels wide and the
// target sits at offset h). Half-open, in the coordinates of the array it was cut from.
struct Window {
  int r0, r1, c0, c1;
};

Window centred_window(int row, int col, int rows, int cols, int reach) {
  const int r_lo = std::max(0, row - reach), r_hi = std::min(rows, row + reach);
  const int c_lo = std::max(0, col - reach), c_hi = std::min(cols, col + reach);
  const int half = std::min(std::min(r_hi - row, row - r_lo), std::min(c_hi - col, col - c_lo)) / 2;
  return {row - half, row + half, col - half, col + half};
}

// numpy's nanpercentile, method 'linear'. numpy keeps float32 input in float32 through the
// interpolation, so the threshold is formed in float as well.
float percentile_linear(std::vector<float> values, double percent) {
  if (values.empty()) return std::numeric_limits<float>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const double position = percent / 100 * static_cast<double>(values.size() - 1);
  const double below = std::floor(position);
  const auto lo = static_cast<std::size_t>(below);
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  const auto gamma = static_cast<float>(position - below);
  const float a = values[lo], b = values[hi], diff = b - a;
  return gamma >= 0.5f ? b - diff * (1 - gamma) : a + diff * gamma;
}

}  // namespace

PickedPlume pick_plume(const Raster<float>& labels, const PlumeGrid& grid, double marker_lon,
                       double marker_lat, const PickOptions& options) {
  check_grid(labels, grid);
  const Raster<double>& lon = *grid.longitude;
  const Raster<double>& lat = *grid.latitude;
  const Index H = labels.rows(), W = labels.cols();
  const auto any_pixel = [](Index) { return true; };

  // 1. Nearest pixel centre.
  const Nearest snapped = nearest_pixel(lon, lat, marker_lon, marker_lat, any_pixel);
  if (snapped.index < 0) throw InputError("plume picking: no pixel has valid coordinates");
  if (snapped.distance > options.snap_radius)
    throw InputError(marker_text(marker_lon, marker_lat) + " is " + metres(snapped.distance) +
                     " from the nearest pixel centre, beyond " + metres(options.snap_radius) +
                     " (outside the scene?)");
  Index target = snapped.index;

  // 2. Move into a label. HyperGas tests "== 0", so a NaN target stays where it is.
  const float target_value = labels.data()[target];
  const bool on_background = options.hypergas ? target_value == 0 : !(target_value > 0);
  double label_distance = 0;
  if (on_background) {
    const Nearest in_label =
        options.hypergas ? nearest_label_in_degrees(labels, lon, lat, marker_lon, marker_lat)
                         : nearest_pixel(lon, lat, marker_lon, marker_lat,
                                         [&](Index i) { return labels.data()[i] > 0; });
    if (in_label.index < 0)
      throw InputError(marker_text(marker_lon, marker_lat) +
                       " is on background and the scene has no a-priori plume labels");
    // The hypergas profile chose by degrees; the limit is in metres either way.
    label_distance = options.hypergas ? haversine_m(marker_lon, marker_lat,
                                                    lon.data()[in_label.index],
                                                    lat.data()[in_label.index])
                                      : in_label.distance;
    if (label_distance > options.label_max_distance)
      throw InputError(marker_text(marker_lon, marker_lat) + " is " + metres(label_distance) +
                       " from the nearest a-priori plume label, beyond the label distance "
                       "limit of " +
                       metres(options.label_max_distance) +
                       " (no plume detected at this source?)");
    target =
        nearest_pixel(lon, lat, lon.data()[in_label.index], lat.data()[in_label.index], any_pixel)
            .index;
    // Only pixels with identical coordinates can steal the target from the label.
    if (!(labels.data()[target] > 0)) target = in_label.index;
  }
  if (std::isnan(labels.data()[target]))
    throw InputError(marker_text(marker_lon, marker_lat) +
                     " is on a no-data pixel of the a-priori mask (HyperGas picks nothing there)");
  if (!(labels.data()[target] > 0))
    throw InputError(marker_text(marker_lon, marker_lat) + " is on a negative a-priori mask value");

  // 3. Snap.
  PickedPlume out;
  out.row = static_cast<int>(target / W);
  out.col = static_cast<int>(target % W);
  out.longitude = lon.data()[target];
  out.latitude = lat.data()[target];
  out.label_distance = label_distance;
  const int target_label = label_number(labels.data()[target]);

  // 4b. Dilation by dist_max.
  const double grid_step = std::abs(grid.y[1] - grid.y[0]);
  const double dxy =
      grid_step == 1 ? haversine_m(lon(0, 0), lat(0, 0), lon(0, 1), lat(0, 1)) : grid_step;
  if (!(dxy > 0)) throw InputError("plume picking: the grid rows have no spacing");
  // Growing past the grid changes nothing, and keeps the conversion defined.
  const auto niter = static_cast<Index>(std::min(options.dist_max / dxy, double(H + W)));
  const Raster<std::uint8_t> occupied = (labels > 0.0f).cast<std::uint8_t>();
  const image::Components clusters =
      image::label_components(image::dilate_square(occupied, niter), image::Connectivity::four);
  const std::int32_t cluster = clusters.labels.data()[target];

  // 4c. Labels in the target's cluster, then all their pixels in raster order.
  std::vector<int> candidate_labels;
  for (Index i = 0; i < labels.size(); ++i)
    if (clusters.labels.data()[i] == cluster && labels.data()[i] > 0) {
      const int label = label_number(labels.data()[i]);
      if (candidate_labels.empty() || candidate_labels.back() != label)
        candidate_labels.push_back(label);
    }
  std::sort(candidate_labels.begin(), candidate_labels.end());
  candidate_labels.erase(std::unique(candidate_labels.begin(), candidate_labels.end()),
                         candidate_labels.end());
  std::unordered_map<int, std::size_t> slot_of;
  for (std::size_t k = 0; k < candidate_labels.size(); ++k) slot_of[candidate_labels[k]] = k;
  std::vector<std::vector<Pixel>> pixels(candidate_labels.size());
  for (Index r = 0; r < H; ++r)
    for (Index c = 0; c < W; ++c) {
      if (!(labels(r, c) > 0)) continue;
      const auto it = slot_of.find(label_number(labels(r, c)));
      if (it != slot_of.end())
        pixels[it->second].push_back({static_cast<int>(r), static_cast<int>(c)});
    }
  const std::size_t target_slot = slot_of.at(target_label);

  // 4d-e. Orientation and distance of each candidate, then the azimuth chain.
  std::vector<Candidate> candidates(candidate_labels.size());
  if (options.hypergas) {
    std::vector<std::vector<Point2>> rings(candidate_labels.size());
    for (std::size_t k = 0; k < rings.size(); ++k) {
      rings[k] = centre_ring(pixels[k], lon, lat);
      if (rings[k].empty())
        throw InputError("a-priori label " + std::to_string(candidate_labels[k]) +
                         " has no pixel with valid coordinates");
    }
    for (std::size_t k = 0; k < rings.size(); ++k) {
      const geo::OrientedRectangle mrr = geo::minimum_area_rectangle(geo::convex_hull(rings[k]));
      const double distance =
          k == target_slot ? 0.0 : geo::polygon_distance(rings[k], rings[target_slot]);
      candidates[k] = {candidate_labels[k], azimuth_hypergas(mrr.long_axis_angle), distance};
    }
  } else {
    // Signed steps keep the UTM orientation (x east, y north); the pixel side is |dy| in grid
    // units, so a non-metric grid only rescales distances, which the chain compares with 0.
    const double step_y = grid.y[1] - grid.y[0];
    const double step_x = grid.x[1] < grid.x[0] ? -grid_step : grid_step;
    std::vector<std::vector<Point2>> hulls(candidate_labels.size());
    for (std::size_t k = 0; k < hulls.size(); ++k)
      hulls[k] = pixel_square_hull(pixels[k], out.row, out.col, step_x, step_y);
    for (std::size_t k = 0; k < hulls.size(); ++k) {
      const geo::OrientedRectangle mrr = geo::minimum_area_rectangle(hulls[k]);
      const double distance =
          k == target_slot ? 0.0 : geo::polygon_distance(hulls[k], hulls[target_slot]);
      candidates[k] = {candidate_labels[k], azimuth_folded(mrr.long_axis_angle), distance};
    }
  }
  if (candidates.size() > 1) {
    // HyperGas's sort is unstable; ties go to the lower label here.
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return a.distance < b.distance || (a.distance == b.distance && a.label < b.label);
    });
    // Each row is compared with the row kept before it, so deleting a row and recomputing
    // the differences (HyperGas) is the same as comparing with the last kept row.
    std::size_t i = 0;
    while (i + 1 < candidates.size()) {
      const Candidate& next = candidates[i + 1];
      const double step =
          azimuth_difference(next.azimuth, candidates[i].azimuth, !options.hypergas);
      if (step > options.azimuth_diff_max && next.distance > 0)
        candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(i + 1));
      else
        ++i;
    }
  }

  // 4f. The kept labels' pixels inside the target's cluster (HyperGas's masks_in_dilation).
  for (const Candidate& c : candidates) out.labels.push_back(c.label);
  std::sort(out.labels.begin(), out.labels.end());
  out.mask = Raster<std::uint8_t>::Zero(H, W);
  for (Index i = 0; i < labels.size(); ++i) {
    if (clusters.labels.data()[i] != cluster || !(labels.data()[i] > 0)) continue;
    const int label = label_number(labels.data()[i]);
    out.mask.data()[i] = std::binary_search(out.labels.begin(), out.labels.end(), label);
  }
  return out;
}

namespace {
// The plume's pixels as raster indices, ascending: a key that two plumes share exactly when
// they hold the same pixels.
std::vector<Index> plume_pixels(const PickedPlume& p) {
  std::vector<Index> out;
  for (Index i = 0; i < p.mask.size(); ++i)
    if (p.mask.data()[i]) out.push_back(i);
  return out;
}
}  // namespace

std::vector<int> first_identical_plume(const std::vector<const PickedPlume*>& plumes) {
  std::map<std::vector<Index>, int> first_with;
  std::vector<int> out;
  out.reserve(plumes.size());
  for (std::size_t k = 0; k < plumes.size(); ++k) {
    const auto [it, inserted] = first_with.emplace(plume_pixels(*plumes[k]), static_cast<int>(k));
    out.push_back(inserted ? -1 : it->second);
  }
  return out;
}

// Carbon Mapper v2 (HyperGas cm_mask_data). Reading of the details: the threshold window is
// built inside the 2.5 km crop, around the target's position in it; "> threshold" leaves NaN
// pixels out, and an all-NaN or empty threshold window gives an empty mask; the proximity test
// measures from the crop centre (size / 2 in each axis), which is the target pixel itself
// since the crop is 2h wide with the target at offset h; a target at the grid edge (h = 0)
// has an empty crop and gets an empty mask where HyperGas would fail.
std::int64_t nearest_pixel_centre(const Raster<double>& longitude, const Raster<double>& latitude,
                                  double lon, double lat) {
  return nearest_pixel(longitude, latitude, lon, lat, [](Index) { return true; }).index;
}

DownwindSignal downwind_signal(const Raster<float>& field, int row, int col, double wind_east,
                               double wind_north, double length, double half_angle, double noise) {
  DownwindSignal s;
  const double speed = std::hypot(wind_east, wind_north);
  if (!(speed > 0) || !(noise > 0)) return s;
  // Grid steps: a column east is +x, a row down is south (-north).
  const double ux = wind_east / speed, uy = -wind_north / speed;
  const double cos_max = std::cos(half_angle * std::numbers::pi / 180.0);
  const int rows = static_cast<int>(field.rows()), cols = static_cast<int>(field.cols());
  const int reach = static_cast<int>(std::ceil(length));
  for (int r = std::max(0, row - reach); r <= std::min(rows - 1, row + reach); ++r)
    for (int c = std::max(0, col - reach); c <= std::min(cols - 1, col + reach); ++c) {
      const double dx = c - col, dy = r - row, d = std::hypot(dx, dy);
      if (d > length || !std::isfinite(field(r, c))) continue;
      if (d > 0 && (dx * ux + dy * uy) / d < cos_max) continue;  // outside the cone (the source is in)
      s.sum += static_cast<double>(field(r, c));
      ++s.pixels;
    }
  if (s.pixels > 0) s.z = s.sum / (noise * std::sqrt(static_cast<double>(s.pixels)));
  return s;
}

Raster<std::uint8_t> carbon_mapper_mask(const Raster<float>& field, int row, int col,
                                        double pixel_res) {
  constexpr double kCropLength = 2500, kThresholdLength = 1000;  // m
  constexpr double kPercentile = 90;
  constexpr std::int64_t kMinPixels = 5;
  constexpr int kMaxCentreDistanceSq = 15 * 15;  // px^2
  const int H = static_cast<int>(field.rows()), W = static_cast<int>(field.cols());
  if (row < 0 || row >= H || col < 0 || col >= W)
    throw InputError("carbon_mapper_mask: target pixel outside the grid");
  if (!(pixel_res > 0)) throw InputError("carbon_mapper_mask: pixel resolution must be positive");
  Raster<std::uint8_t> out = Raster<std::uint8_t>::Zero(H, W);

  const auto reach = [&](double length) {
    return static_cast<int>(std::floor(length / pixel_res));
  };
  const Window crop = centred_window(row, col, H, W, reach(kCropLength));
  const int h = crop.r1 - crop.r0, w = crop.c1 - crop.c0;
  if (h <= 0 || w <= 0) return out;
  const Window inner = centred_window(row - crop.r0, col - crop.c0, h, w, reach(kThresholdLength));
  std::vector<float> inner_values;
  for (int r = inner.r0; r < inner.r1; ++r)
    for (int c = inner.c0; c < inner.c1; ++c) {
      const float v = field(crop.r0 + r, crop.c0 + c);
      if (!std::isnan(v)) inner_values.push_back(v);
    }
  const float threshold = percentile_linear(std::move(inner_values), kPercentile);

  const Raster<std::uint8_t> above =
      (field.block(crop.r0, crop.c0, h, w) > threshold).cast<std::uint8_t>();
  const image::Components blobs = image::label_components(above, image::Connectivity::four);
  std::vector<int> nearest_sq(blobs.sizes.size(), INT_MAX);
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const std::int32_t k = blobs.labels(r, c);
      const int dr = crop.r0 + r - row, dc = crop.c0 + c - col;
      if (k > 0)
        nearest_sq[static_cast<std::size_t>(k)] =
            std::min(nearest_sq[static_cast<std::size_t>(k)], dr * dr + dc * dc);
    }
  for (int r = 0; r < h; ++r)
    for (int c = 0; c < w; ++c) {
      const auto k = static_cast<std::size_t>(blobs.labels(r, c));
      if (k > 0 && blobs.sizes[k] >= kMinPixels && nearest_sq[k] <= kMaxCentreDistanceSq)
        out(crop.r0 + r, crop.c0 + c) = 1;
    }
  return out;
}

}  // namespace hyperplume::plume
