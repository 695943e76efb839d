#pragma once
// HyperGas's a-priori plume mask (`Mask.get_feature_mask`, a_priori_mask.py): candidate
// plumes found by tobac on the orthorectified <gas>_comb_denoise field, per segmentation class.
// For each class s, in order of first appearance in a raster scan (pandas.unique):
//  1. Ds = field on s, NaN elsewhere; μ, σ = 0.1 %-trimmed mean and std (ddof 0) of its
//     finite values; thresholds μ + 2σ and μ + 3σ;
//  2. tobac features of Ds (image::feature_detection_multithreshold, Gaussian σ =
//     sigma_threshold, regions of more than n_min_threshold pixels);
//  3. tobac's segmentation at μ + 2σ: a marker with the feature's number on its pixel, kept if
//     Ds > μ + 2σ there, and a watershed of −Ds (unsmoothed) over the pixels Ds > μ + 2σ;
//  4. the labels of s shifted past the largest label so far, so labels stay unique.
// Then: labels (the background 0 included) with fewer than min_object_pixels pixels become
// NaN; the kept values are renumbered in ascending order 0, 1, 2, … (so 0 stays background
// unless the background itself is that small); NaN where the field is NaN.
// A class with σ = 0 (HyperGas's water class of zeros) or without features adds nothing.
// One departure: HyperGas takes the next shift from the last class's own maximum, which falls
// back to 0 after a class whose watershed labels nothing and lets later labels collide with
// earlier ones; here the shift is the largest label so far.
// Pure kernel: rasters in, raster out.
#include <hyperplume/core/raster.hpp>

namespace hyperplume::plume {

struct APrioriMaskOptions {
  int n_min_threshold = 5;       // feature regions need more than this many pixels (tobac)
  double sigma_threshold = 1.0;  // Gaussian pre-smoothing for feature detection, pixels
  int min_object_pixels = 6;     // smaller labels become NaN (HyperGas: count > n_min_threshold)
};

// field: orthorectified <gas>_comb_denoise on the UTM grid, NaN = no data.
// segmentation: orthorectified segmentation (float, NaN outside the swath), field's shape.
// Returns float: NaN = no data or a removed small object, 0 = background, 1…N = candidate
// plumes.
Raster<float> a_priori_mask(const Raster<float>& field, const Raster<float>& segmentation,
                            const APrioriMaskOptions& options = {});

}  // namespace hyperplume::plume
