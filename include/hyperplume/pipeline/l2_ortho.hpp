#pragma once
// The orthorectification step of the L2 chain (HyperGas l2b_process step 6): every raster
// of the product moves from sensor geometry to the scene's UTM grid through one index map
// (geo::OrthoMap) built once. The method comes from what the L1 product carries: a GLT
// (EMIT) today; RPC + DEM (EnMAP) and GCPs (PRISMA) are further geo::SourceLocators.
#include <hyperplume/geo/ortho_map.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>

namespace hyperplume::pipeline {

struct OrthoOptions {
  bool hypergas = false;  // HyperGas's UTM zone choice and GLT sign handling
  int threads = 0;        // 0 = all cores
};

// The scene's UTM grid and the index map onto it (built once per scene; a later retrieval
// pass reuses it).
geo::OrthoMap ortho_map_for(const Scene& scene, const OrthoOptions& options);

void orthorectify_l2(L2Product& product, const geo::OrthoMap& map);
void orthorectify_l2(L2Product& product, const OrthoOptions& options);

}  // namespace hyperplume::pipeline
