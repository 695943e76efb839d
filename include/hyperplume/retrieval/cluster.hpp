#pragma once
// Cluster-tuned segmentation (HyperGas l1_l2 §4.9): PCA of the window's pixels (mean-
// centred, 3 components), then k-means on the scores: 10 clusters, centres initialised
// evenly along the diagonal of the scores' bounding box, L1 distance for assignment, mean
// update (an empty cluster keeps its centre), at most 30 iterations or until no pixel moves.
// Deterministic: each component's sign makes its largest loading positive (HyperGas's
// labels depend on sklearn's sign choice), and every sum runs over fixed-size chunks in a
// fixed order, so labels do not depend on the thread count.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/scene.hpp>

namespace hyperplume::retrieval {

struct ClusterParams {
  int components = 3;
  int clusters = 10;
  int max_iterations = 30;
};

// Labels 0..clusters-1 for pixels whose window bands are all finite, -1 elsewhere.
// The cube holds the window's bands (all of them are used).
Raster<std::int32_t> kmeans_segmentation(const RadianceCube& window,
                                         const ClusterParams& params = {});

}  // namespace hyperplume::retrieval
