#pragma once
// Multi-threshold feature detection as tobac.feature_detection_multithreshold does it for one
// 2-D time step with target='maximum', position_threshold='extreme', no erosion, no
// min_distance and strict_thresholding=False (what HyperGas's a-priori mask calls):
//  1. the field is smoothed by scipy's gaussian_filter(σ = sigma_threshold), NaN spreading;
//  2. for each threshold T, ascending: the pixels with smoothed ≥ T, 8-connected regions
//     (skimage label), regions of more than n_min_threshold pixels kept; a feature sits on
//     the region's pixel of largest smoothed value, the first in raster order on ties;
//  3. after each threshold but the first, the features of the previous threshold whose
//     region shares a pixel with a region kept at this threshold are dropped: a region with
//     sub-regions above the next threshold is represented by them.
// Order (tobac's): by threshold, then by region label, i.e. raster order of each region's
// first pixel. Features are numbered 1…n in that order. Pure kernel.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <vector>

namespace hyperplume::image {

struct Feature {
  std::int32_t id = 0;      // 1…n in the order above (tobac's 'feature')
  int row = 0, col = 0;     // pixel of the maximum smoothed value (tobac's hdim_1, hdim_2)
  int threshold_index = 0;  // index into the ascending thresholds
  double threshold = 0;     // the threshold value (tobac's 'threshold_value')
  std::int64_t pixels = 0;  // pixels in the region (tobac's 'num')
  double peak = 0;          // smoothed value at (row, col)
};

struct FeatureDetectionOptions {
  int n_min_threshold = 5;       // a region needs more than this many pixels
  double sigma_threshold = 1.0;  // Gaussian pre-smoothing σ, pixels
};

// Steps 2-3 on an already smoothed field (sorts the thresholds itself).
std::vector<Feature> detect_features_smoothed(const Raster<float>& smoothed,
                                              std::vector<double> thresholds, int n_min_threshold);

// Steps 1-3.
std::vector<Feature> feature_detection_multithreshold(const Raster<float>& field,
                                                      std::vector<double> thresholds,
                                                      const FeatureDetectionOptions& options = {});

}  // namespace hyperplume::image
