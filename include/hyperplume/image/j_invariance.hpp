#pragma once
// Self-supervised choice of the TV weight (Noise2Self J-invariance, as scikit-image's
// calibrate_denoiser / denoise_invariant with stride 4, which HyperGas uses): a denoiser
// that never sees the pixel it predicts can be scored against the noisy image itself.
//  - masks: 16 grids of every 4th row and column; a masked pixel is replaced by the mean of
//    its 4 neighbours (scipy 'mirror' boundary) before denoising;
//  - loss(w): mean squared difference, over the one mask at offset 8 (rows ≡ 2, columns
//    ≡ 0 mod 4), between the image and its denoising with that mask interpolated;
//  - the invariant output: each of the 16 masks filled from its own denoising.
// HyperGas scores 50 weights on a grid; golden_section_weight finds the same optimum with a
// fraction of the TV solves.
#include <hyperplume/core/raster.hpp>
#include <hyperplume/image/tv_chambolle.hpp>
#include <vector>

namespace hyperplume::image {

// The 4-neighbour mean with mirror boundaries (d c b | a b c d | c b a).
template <class T>
Raster<T> neighbour_mean(const Raster<T>& image);

// One weight's J-invariant loss; `interp` = neighbour_mean(image).
template <class T>
double j_invariant_loss(const Raster<T>& image, const Raster<T>& interp, double weight,
                        const TvOptions& options = {});

// The J-invariant TV denoising of `image` (16 TV solves).
template <class T>
Raster<T> denoise_invariant(const Raster<T>& image, double weight, const TvOptions& options = {});

struct WeightChoice {
  double weight = 0;
  double loss = 0;
  int solves = 0;  // TV solves spent on the search
};

// HyperGas: every weight of the list; the first smallest loss wins.
template <class T>
WeightChoice grid_search_weight(const Raster<T>& image, const std::vector<double>& weights,
                                const TvOptions& options = {});

// Golden-section search of the loss on [lo, hi] with at most max_solves TV solves (the loss
// is unimodal in the weight in practice: under-smoothing leaves noise, over-smoothing
// erases structure); returns the best weight evaluated.
template <class T>
WeightChoice golden_section_weight(const Raster<T>& image, double lo, double hi, int max_solves,
                                   const TvOptions& options = {});

}  // namespace hyperplume::image
