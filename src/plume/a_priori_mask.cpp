#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/image/trimmed_stats.hpp>
#include <hyperplume/image/feature_detection.hpp>
#include <hyperplume/image/watershed.hpp>
#include <hyperplume/plume/a_priori_mask.hpp>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace hyperplume::plume {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

struct Box {  // rows [r0, r1), columns [c0, c1)
  Eigen::Index r0, c0, r1, c1;
};

struct Classes {
  Raster<std::int32_t> of_pixel;  // class index per pixel, −1 where the segmentation is NaN
  std::vector<Box> boxes;         // bounding box of each class, in order of first appearance
};

Classes find_classes(const Raster<float>& segmentation) {
  const Eigen::Index H = segmentation.rows(), W = segmentation.cols();
  Classes out{Raster<std::int32_t>::Constant(H, W, -1), {}};
  std::unordered_map<float, std::int32_t> index_of;
  float last_value = kNaN;  // classes come in long runs: skip the hash lookup within a run
  std::int32_t last_index = -1;
  for (Eigen::Index r = 0; r < H; ++r)
    for (Eigen::Index c = 0; c < W; ++c) {
      const float value = segmentation(r, c);
      if (std::isnan(value)) continue;
      if (value != last_value) {
        const auto [it, added] =
            index_of.try_emplace(value, static_cast<std::int32_t>(out.boxes.size()));
        if (added) out.boxes.push_back({r, c, r + 1, c + 1});
        last_value = value;
        last_index = it->second;
      }
      out.of_pixel(r, c) = last_index;
      Box& box = out.boxes[static_cast<std::size_t>(last_index)];
      box.r0 = std::min(box.r0, r);
      box.c0 = std::min(box.c0, c);
      box.r1 = std::max(box.r1, r + 1);
      box.c1 = std::max(box.c1, c + 1);
    }
  return out;
}

// The class's pixels sit inside its box; every pixel of the crop's margin is outside the
// class, i.e. NaN in Ds, and the margin is as wide as the Gaussian radius (or reaches the
// grid edge, where the reflection sees the same pixels), so smoothing the crop gives what
// smoothing the whole grid gives on the class.
Box crop_around(const Box& box, int margin, Eigen::Index H, Eigen::Index W) {
  return {std::max<Eigen::Index>(box.r0 - margin, 0), std::max<Eigen::Index>(box.c0 - margin, 0),
          std::min<Eigen::Index>(box.r1 + margin, H), std::min<Eigen::Index>(box.c1 + margin, W)};
}

struct ClassLabels {
  bool has_features = false;
  Raster<std::int32_t> labels;  // on the crop; 0 = none, 1… = tobac feature numbers
};

ClassLabels label_class(const Raster<float>& field, const Classes& classes, std::int32_t k,
                        const Box& crop, const APrioriMaskOptions& options) {
  const Eigen::Index h = crop.r1 - crop.r0, w = crop.c1 - crop.c0;
  const auto on_class = classes.of_pixel.block(crop.r0, crop.c0, h, w) == k;
  const Raster<float> ds = on_class.select(field.block(crop.r0, crop.c0, h, w), kNaN);
  std::vector<double> values;
  for (Eigen::Index i = 0; i < ds.size(); ++i)
    if (!std::isnan(ds.data()[i])) values.push_back(ds.data()[i]);
  ClassLabels out;
  if (values.empty()) return out;
  const image::TrimmedStats stats = image::trimmed_stats(std::move(values));
  if (!(stats.std > 0)) return out;  // a constant class (water zeros) has no plume
  const double low = stats.mean + 2 * stats.std, high = stats.mean + 3 * stats.std;
  const std::vector<image::Feature> features = image::feature_detection_multithreshold(
      ds, {low, high}, {options.n_min_threshold, options.sigma_threshold});
  if (features.empty()) return out;
  out.has_features = true;

  const Raster<std::uint8_t> valid = (ds.cast<double>() > low).cast<std::uint8_t>();
  Raster<std::int32_t> markers = Raster<std::int32_t>::Zero(h, w);
  for (const image::Feature& f : features)  // tobac: later features overwrite earlier ones
    markers(f.row, f.col) = valid(f.row, f.col) ? f.id : 0;
  out.labels = image::watershed(-ds, markers, valid);
  return out;
}

}  // namespace

Raster<float> a_priori_mask(const Raster<float>& field, const Raster<float>& segmentation,
                            const APrioriMaskOptions& options) {
  const Eigen::Index H = field.rows(), W = field.cols();
  if (segmentation.rows() != H || segmentation.cols() != W)
    throw InternalError("plume.a_priori_mask: segmentation is " +
                        std::to_string(segmentation.rows()) + "x" +
                        std::to_string(segmentation.cols()) + ", field " + std::to_string(H) + "x" +
                        std::to_string(W));
  const Classes classes = find_classes(segmentation);
  const int margin = static_cast<int>(4.0 * options.sigma_threshold + 0.5);

  Raster<std::int32_t> combined = Raster<std::int32_t>::Zero(H, W);
  std::int32_t max_label = 0;
  bool any_features = false;
  for (std::size_t k = 0; k < classes.boxes.size(); ++k) {
    const Box crop = crop_around(classes.boxes[k], margin, H, W);
    const ClassLabels found =
        label_class(field, classes, static_cast<std::int32_t>(k), crop, options);
    any_features = any_features || found.has_features;
    if (!found.has_features) continue;
    const std::int32_t offset = max_label;
    for (Eigen::Index r = 0; r < found.labels.rows(); ++r)
      for (Eigen::Index c = 0; c < found.labels.cols(); ++c)
        if (const std::int32_t label = found.labels(r, c); label > 0) {
          combined(crop.r0 + r, crop.c0 + c) = label + offset;
          max_label = std::max(max_label, label + offset);
        }
  }

  // Size filter over all label values, the background included, then ascending renumbering.
  std::vector<float> renumbered(static_cast<std::size_t>(max_label) + 1, 0.0f);
  if (any_features) {
    std::vector<std::int64_t> count(renumbered.size(), 0);
    for (Eigen::Index i = 0; i < combined.size(); ++i)
      ++count[static_cast<std::size_t>(combined.data()[i])];
    float next = 0;
    for (std::size_t label = 0; label < count.size(); ++label)
      if (count[label] == 0)
        continue;  // not a value of the image: never renumbered
      else if (count[label] >= options.min_object_pixels)
        renumbered[label] = next++;
      else
        renumbered[label] = kNaN;
  }
  Raster<float> mask(H, W);
  for (Eigen::Index i = 0; i < mask.size(); ++i)
    mask.data()[i] = std::isnan(field.data()[i])
                         ? kNaN
                         : renumbered[static_cast<std::size_t>(combined.data()[i])];
  return mask;
}

}  // namespace hyperplume::plume
