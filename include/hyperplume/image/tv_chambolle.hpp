#pragma once
// Total-variation denoising by Chambolle's dual projection, as scikit-image's
// denoise_tv_chambolle does it for a 2-D image (what HyperGas calls): minimise
// ½‖u − f‖² + w·TV(u) with τ = 1/4, stop when the energy changes by less than eps times
// the first iteration's energy, or after max_iterations; the result is the primal image
// computed at the start of the last iteration. Pure kernel: arrays in, array out.
//
// Threads share rows in fixed blocks of rows, and the energy is summed block by block in
// block order, so the result does not depend on the thread count.
#include <hyperplume/core/raster.hpp>

namespace hyperplume::image {

struct TvOptions {
  double eps = 2e-4;
  int max_iterations = 200;
  int threads = 1;
  // For the callers that solve many nearby problems (weight search, J-invariant passes):
  // start each solve from the previous solve's dual field instead of zero. The stopping rule
  // is unchanged, so a warm solve ends as close to the optimum as a cold one, sooner.
  bool warm_start = false;
};

// The dual field of a solve, to warm-start the next one. The dual is bounded by the weight,
// so a solve at another weight starts from it scaled by the ratio of the weights.
template <class T>
struct TvDual {
  Raster<T> p0, p1;
  double weight = 0;
};

struct TvResult {
  int iterations = 0;  // iterations run
};

// f must be finite everywhere; weight > 0. Float32 or float64 (scikit-image keeps the
// input's precision, so HyperGas's float32 fields are denoised in float32).
// `warm`: if it holds a dual of f's shape, the solve starts from it; on return it holds this
// solve's dual.
template <class T>
Raster<T> tv_chambolle(const Raster<T>& f, double weight, const TvOptions& options = {},
                       TvResult* result = nullptr, TvDual<T>* warm = nullptr);

}  // namespace hyperplume::image
