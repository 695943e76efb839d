#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/image/calibrated_tv.hpp>
#include <hyperplume/pipeline/l2_denoise.hpp>

namespace hyperplume::pipeline {

std::string format_label_weights(const std::map<std::int32_t, double>& weights) {
  std::string out;
  for (const auto& [label, w] : weights) {
    char b[48];
    std::snprintf(b, sizeof b, "%d:%.17g", label, w);
    out += (out.empty() ? "" : ";") + std::string(b);
  }
  return out;
}

std::map<std::int32_t, double> parse_label_weights(const std::string& text) {
  std::map<std::int32_t, double> out;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ';');) {
    const auto colon = item.find(':');
    char* end = nullptr;
    const double w = colon == std::string::npos ? 0 : std::strtod(item.c_str() + colon + 1, &end);
    if (colon == std::string::npos || end == item.c_str() + colon + 1 || !(w > 0))
      throw InputError("malformed denoise_label_weights entry '" + item + "'");
    out[static_cast<std::int32_t>(std::stol(item.substr(0, colon)))] = w;
  }
  return out;
}

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
      const auto fixed = o.fixed_weights.find(name);
      tv.fixed_weights = fixed == o.fixed_weights.end() ? std::map<std::int32_t, double>{} : fixed->second;
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
      out.attributes["denoise_label_weights"] = format_label_weights(d.weights);
      p.fields.push_back(std::move(out));
    }
}

}  // namespace hyperplume::pipeline
