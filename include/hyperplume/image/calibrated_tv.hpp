#pragma once
// HyperGas's default denoising of a retrieved field (`calibrated_tv_filter`): per
// segmentation label, J-invariant TV with the weight chosen by the J-invariant loss.
// For each processed label L:
//  1. the field on L (NaN elsewhere); for the calibration only, isolated outliers — 4-connected
//     groups of fewer than 10 pixels outside the 1-99 % quantiles — become NaN (plumes, being
//     larger, stay);
//  2. NaN filled with the 0.1 %-trimmed mean m of what is left; σ = std of that whole image;
//  3. the weight minimising the loss on [σ/10, 3σ]: HyperGas scores a 50-point grid, the
//     default profile a golden-section search with a fraction of the TV solves;
//  4. J-invariant TV of the field on L (outliers kept) filled with m, kept on L.
// Labels: all values present; with skip_water and exactly two labels, only label 1 (land).
// Pixels of labels not processed are 0. Pure kernel.
#include <cstdint>
#include <map>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/image/trimmed_stats.hpp>
#include <hyperplume/image/tv_chambolle.hpp>

namespace hyperplume::image {

struct CalibratedTvOptions {
  bool skip_water = true;
  bool grid_search = false;  // HyperGas's 50-point grid instead of the golden-section search
  int search_solves = 12;    // golden section: TV solves for the weight
  TvOptions tv{.warm_start = true};  // HyperGas profile: cold starts, as scikit-image
  // Weights already chosen per label (a later retrieval pass of the same scene): used as
  // they are, without the search. Labels not listed are calibrated.
  std::map<std::int32_t, double> fixed_weights;
};

struct CalibratedTv {
  Raster<float> field;
  double weight = 0;  // chosen for the last processed label (what HyperGas reports)
  int solves = 0;     // TV solves spent, search and final passes
  std::map<std::int32_t, double> weights;  // per processed label
};

CalibratedTv calibrated_tv_denoise(const Raster<float>& field,
                                   const Raster<std::int32_t>& segmentation,
                                   const CalibratedTvOptions& options = {});

}  // namespace hyperplume::image
