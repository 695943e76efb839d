#pragma once
// The a-priori plume mask step of the L2 chain (HyperGas l2b_process step 7): from the
// orthorectified <gas>_comb_denoise and segmentation, <gas>_mask (NaN = no data or a
// removed small object, 0 = background, 1..n = candidate plumes).
#include <hyperplume/pipeline/l2_retrieval.hpp>

namespace hyperplume::pipeline {

void add_a_priori_masks(L2Product& product, const std::vector<std::string>& species);

}  // namespace hyperplume::pipeline
