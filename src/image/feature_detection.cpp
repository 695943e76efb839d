#include <algorithm>
#include <hyperplume/image/connected_components.hpp>
#include <hyperplume/image/feature_detection.hpp>
#include <hyperplume/image/gaussian_filter.hpp>

namespace hyperplume::image {
namespace {

struct ThresholdRegions {
  Components components;
  std::vector<std::int32_t> feature_of_label;  // index into the result, −1 = not a feature
};

// One threshold: label the regions and append a feature for each large enough one.
ThresholdRegions find_regions(const Raster<float>& smoothed, double threshold, int threshold_index,
                              int n_min_threshold, std::vector<Feature>& features) {
  const Raster<std::uint8_t> above = (smoothed.cast<double>() >= threshold).cast<std::uint8_t>();
  ThresholdRegions out{label_components(above, Connectivity::eight), {}};
  const std::vector<std::int64_t>& sizes = out.components.sizes;
  out.feature_of_label.assign(sizes.size(), -1);
  const auto first = static_cast<std::int32_t>(features.size());
  for (std::size_t label = 1; label < sizes.size(); ++label)
    if (sizes[label] > n_min_threshold) {
      out.feature_of_label[label] = static_cast<std::int32_t>(features.size());
      Feature f;
      f.threshold_index = threshold_index;
      f.threshold = threshold;
      f.pixels = sizes[label];
      f.row = -1;
      features.push_back(f);
    }
  if (static_cast<std::int32_t>(features.size()) == first) return out;
  const Raster<std::int32_t>& labels = out.components.labels;
  for (Eigen::Index r = 0; r < labels.rows(); ++r)
    for (Eigen::Index c = 0; c < labels.cols(); ++c) {
      const std::int32_t k = out.feature_of_label[static_cast<std::size_t>(labels(r, c))];
      if (k < 0) continue;
      Feature& f = features[static_cast<std::size_t>(k)];
      const double value = smoothed(r, c);
      if (f.row < 0 || value > f.peak) {  // strict: the first maximum in raster order stays
        f.row = static_cast<int>(r);
        f.col = static_cast<int>(c);
        f.peak = value;
      }
    }
  return out;
}

}  // namespace

std::vector<Feature> detect_features_smoothed(const Raster<float>& smoothed,
                                              std::vector<double> thresholds, int n_min_threshold) {
  std::sort(thresholds.begin(), thresholds.end());
  std::vector<Feature> features;
  std::vector<bool> dropped;
  ThresholdRegions previous;
  for (std::size_t t = 0; t < thresholds.size(); ++t) {
    const std::size_t first_new = features.size();
    ThresholdRegions current =
        find_regions(smoothed, thresholds[t], static_cast<int>(t), n_min_threshold, features);
    dropped.resize(features.size(), false);
    if (t > 0 && features.size() > first_new) {
      // A kept region of this threshold removes the previous feature whose region it touches.
      const Raster<std::int32_t>& now = current.components.labels;
      const Raster<std::int32_t>& before = previous.components.labels;
      for (Eigen::Index i = 0; i < now.size(); ++i) {
        if (current.feature_of_label[static_cast<std::size_t>(now.data()[i])] < 0) continue;
        const std::int32_t parent =
            previous.feature_of_label[static_cast<std::size_t>(before.data()[i])];
        if (parent >= 0) dropped[static_cast<std::size_t>(parent)] = true;
      }
    }
    previous = std::move(current);
  }
  std::vector<Feature> kept;
  for (std::size_t k = 0; k < features.size(); ++k)
    if (!dropped[k]) {
      kept.push_back(features[k]);
      kept.back().id = static_cast<std::int32_t>(kept.size());
    }
  return kept;
}

std::vector<Feature> feature_detection_multithreshold(const Raster<float>& field,
                                                      std::vector<double> thresholds,
                                                      const FeatureDetectionOptions& options) {
  return detect_features_smoothed(gaussian_filter(field, options.sigma_threshold),
                                  std::move(thresholds), options.n_min_threshold);
}

}  // namespace hyperplume::image
