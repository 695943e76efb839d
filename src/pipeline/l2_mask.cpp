#include <hyperplume/core/error.hpp>
#include <hyperplume/pipeline/l2_mask.hpp>
#include <hyperplume/plume/a_priori_mask.hpp>
#include <limits>

namespace hyperplume::pipeline {

void add_a_priori_masks(L2Product& p, const std::vector<std::string>& species) {
  if (!p.grid) throw InputError("a-priori mask: the product is not orthorectified");
  // The segmentation as HyperGas hands it over: float, NaN outside the swath.
  const Raster<float> segmentation =
      (p.segmentation >= 0)
          .select(p.segmentation.cast<float>(), std::numeric_limits<float>::quiet_NaN());
  for (const auto& gas : species) {
    const L2Field* field = p.field(gas + "_comb_denoise");
    if (!field)
      throw InputError("a-priori mask: the product has no field " + gas + "_comb_denoise");
    L2Field mask{gas + "_mask", plume::a_priori_mask(field->values, segmentation), {}};
    mask.attributes["units"] = "1";
    mask.attributes["description"] = "A priori plume mask (0: background, >0: plumes)";
    p.fields.push_back(std::move(mask));
  }
}

}  // namespace hyperplume::pipeline
