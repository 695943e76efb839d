#pragma once
// The denoising step of the L2 chain (HyperGas l2b_process step 5), in sensor geometry:
// for every species, <gas> -> <gas>_denoise and <gas>_comb -> <gas>_comb_denoise by the
// per-segment calibrated TV filter, the chosen weight recorded in the description.
#include <hyperplume/pipeline/l2_retrieval.hpp>

namespace hyperplume::pipeline {

struct DenoiseOptions {
  bool skip_water = true;  // as the retrieval: water pixels are not denoised (left 0)
  bool hypergas = false;   // HyperGas's 50-weight grid and cold TV starts
  int threads = 0;         // 0 = all cores
};

void denoise_l2(L2Product& product, const std::vector<std::string>& species,
                const DenoiseOptions& options);

}  // namespace hyperplume::pipeline
