#include <cstdio>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/image/calibrated_tv.hpp>
#include <hyperplume/pipeline/l2_denoise.hpp>

namespace hyperplume::pipeline {

void denoise_l2(L2Product& p, const std::vector<std::string>& species, const DenoiseOptions& o) {
  image::CalibratedTvOptions tv;
  tv.skip_water = o.skip_water;
  tv.grid_search = o.hypergas;
  tv.tv.warm_start = !o.hypergas;
  tv.tv.threads = thread_count(o.threads);
  for (const auto& gas : species)
    for (const std::string& name : {gas, gas + "_comb"}) {
      const L2Field* source = p.field(name);
      if (!source) throw InputError("denoising: the product has no field " + name);
      const image::CalibratedTv d =
          image::calibrated_tv_denoise(source->values, p.segmentation, tv);
      L2Field out{name + "_denoise", d.field, source->attributes};
      char note[96];
      std::snprintf(note, sizeof note,
                    " (denoised by the calibrated_tv_filter method with weight=%.1f)", d.weight);
      auto& description = out.attributes["description"];
      description = std::get<std::string>(description) + note;
      out.attributes["denoise_weight"] = d.weight;
      out.attributes["denoise_tv_solves"] = static_cast<double>(d.solves);
      p.fields.push_back(std::move(out));
    }
}

}  // namespace hyperplume::pipeline
