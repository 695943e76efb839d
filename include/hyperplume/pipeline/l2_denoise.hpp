#pragma once
// The denoising step of the L2 chain (HyperGas l2b_process step 5), in sensor geometry:
// for every species, <gas> -> <gas>_denoise and <gas>_comb -> <gas>_comb_denoise by the
// per-segment calibrated TV filter, the chosen weight recorded in the description.
#include <cstdint>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <map>
#include <string>

namespace hyperplume::pipeline {

struct DenoiseOptions {
  bool skip_water = true;  // as the retrieval: water pixels are not denoised (left 0)
  bool hypergas = false;   // HyperGas's 50-weight grid and cold TV starts
  int threads = 0;         // 0 = all cores
  // Per field ("ch4", "ch4_comb"): the TV weight of every label from an earlier pass of the
  // same scene, used as they are (a later pass reuses the first pass's calibration, so a
  // plume's own signal does not move the weight, and no weight search is repeated).
  std::map<std::string, std::map<std::int32_t, double>> fixed_weights;
};

// The weights of every label as text ("1:53.1274...;0:..."; exact round trip), recorded in
// the denoised field's `denoise_label_weights` attribute, and back.
std::string format_label_weights(const std::map<std::int32_t, double>& weights);
std::map<std::int32_t, double> parse_label_weights(const std::string& text);

void denoise_l2(L2Product& product, const std::vector<std::string>& species,
                const DenoiseOptions& options);

}  // namespace hyperplume::pipeline
