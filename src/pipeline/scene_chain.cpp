#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/pipeline/l2_denoise.hpp>
#include <hyperplume/pipeline/l2_mask.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>

namespace hyperplume::pipeline {

std::vector<Stage> l2_chain(const L2ChainOptions& options) {
  auto write = [](const std::string& path, SceneWork& w, const Config& config) {
    L2WriteInfo info = w.write;
    info.group = w.l2.group;  // the ranks that retrieved the scene write it together
    write_l2(path, *w.product, config, info);
  };
  std::vector<Stage> chain;
  chain.push_back({"l2.retrieve", [](SceneWork& w, const Config& config, const Resources& res) {
                     w.product = retrieve_l2(w.l1_path, config, res, w.l2);
                   }});
  if (options.unortho_export)
    chain.push_back(
        {"io.write_unortho", [write](SceneWork& w, const Config& config, const Resources&) {
           write(unortho_path_for(w.l2_path), w, config);
         }});
  chain.push_back(
      {"l2.denoise", [](SceneWork& w, const Config&, const Resources&) {
         denoise_l2(*w.product, w.l2.species, {w.l2.skip_water, w.l2.hypergas, w.l2.threads});
       }});
  chain.push_back({"l2.orthorectify", [](SceneWork& w, const Config&, const Resources&) {
                     orthorectify_l2(*w.product, {w.l2.hypergas, w.l2.threads});
                   }});
  chain.push_back({"l2.mask", [](SceneWork& w, const Config&, const Resources&) {
                     add_a_priori_masks(*w.product, w.l2.species);
                   }});
  chain.push_back({"io.write_l2", [write](SceneWork& w, const Config& config, const Resources&) {
                     write(w.l2_path, w, config);
                   }});
  return chain;
}

Stage l3_stage(const L3Options& options, const io::Gazetteer* gazetteer) {
  return {"l3.plumes", [options, gazetteer](SceneWork& w, const Config& config, const Resources&) {
            if (w.l2.group && w.l2.group->rank() != 0) return;
            w.plumes = process_plumes(w.l2_path, config, options, gazetteer);
          }};
}

void run_chain(const std::vector<Stage>& stages, SceneWork& work, const Config& config,
               const Resources& resources) {
  for (const Stage& stage : stages) {
    try {
      // The retrieval times its own steps into the product it makes; every later stage
      // is timed as a whole.
      if (work.product)
        work.product->times.run(stage.name, [&] { stage.run(work, config, resources); });
      else
        stage.run(work, config, resources);
    } catch (Error& e) {
      e.add_stage(stage.name);
      e.add_scene(std::filesystem::path(work.l1_path).stem().string());
      throw;
    }
  }
}

}  // namespace hyperplume::pipeline
