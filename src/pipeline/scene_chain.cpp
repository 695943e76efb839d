#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>

namespace hyperplume::pipeline {

std::vector<Stage> l2_chain() {
  return {
      {"l2.retrieve",
       [](SceneWork& w, const Config& config, const Resources& res) {
         w.product = retrieve_l2(w.l1_path, config, res, w.l2);
       }},
      {"io.write_l2",
       [](SceneWork& w, const Config& config, const Resources&) {
         L2WriteInfo info = w.write;
         info.group = w.l2.group;  // the ranks that retrieved the scene write it together
         write_l2(w.l2_path, *w.product, config, info);
       }},
  };
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
