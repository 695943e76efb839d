#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/stop_signal.hpp>
#include <new>
#include <hyperplume/pipeline/l2_denoise.hpp>
#include <hyperplume/pipeline/l2_mask.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>

namespace hyperplume::pipeline {

namespace {
// A scene whose gas field has no finite pixel (all fill, all screened) has no product to
// make: a failure with that reason, not an empty L2 reported as done.
void require_valid_pixels(const L2Product& p, const std::string& gas) {
  const L2Field* f = p.field(gas);
  if (!f) return;
  const float* v = f->values.data();
  for (Eigen::Index i = 0; i < f->values.size(); ++i)
    if (std::isfinite(v[i])) return;
  throw InputError("no valid pixels: every pixel of the " + gas +
                       " field is fill, NaN or screened out (water, cloud, invalid radiance)",
                   ErrorContext{p.scene.radiance_file, {}, {}});
}
}  // namespace

std::vector<Stage> l2_chain(const L2ChainOptions& options) {
  auto write = [](const std::string& path, SceneWork& w, const Config& config) {
    L2WriteInfo info = w.write;
    info.group = w.l2.group;  // the ranks that retrieved the scene write it together
    write_l2(path, *w.product, config, info);
  };
  std::vector<Stage> chain;
  chain.push_back({"l2.retrieve", [](SceneWork& w, const Config& config, const Resources& res) {
                     w.product = retrieve_l2(w.l1_path, config, res, w.l2);
                     require_valid_pixels(*w.product, w.l2.species.front());
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

namespace {
// "<kind>\t<file>\t<message>" of a failure, to compare across the ranks of a group.
std::string describe_failure(const std::exception_ptr& failure) {
  if (!failure) return "";
  auto text = [](const char* kind, const Error& e) {
    return std::string(kind) + "\t" + e.context().file + "\t" + e.message();
  };
  try {
    std::rethrow_exception(failure);
  } catch (const StopRequested& e) {
    return text("stop", e);
  } catch (const InternalError& e) {
    return text("internal", e);
  } catch (const Error& e) {
    return text("input", e);
  } catch (const std::bad_alloc&) {
    return "memory\t\tout of memory";
  } catch (const std::exception& e) {
    return std::string("other\t\t") + e.what();
  }
}

// Every rank of the group throws the first failure in rank order, if any rank failed.
void agree_on_failure(const par::Comm& group, const std::exception_ptr& mine,
                      const std::string& stage, const std::string& scene) {
  const std::vector<std::string> all = group.all_gather(describe_failure(mine));
  for (std::size_t r = 0; r < all.size(); ++r) {
    if (all[r].empty()) continue;
    if (static_cast<int>(r) == group.rank()) std::rethrow_exception(mine);
    const auto tab = all[r].find('\t'), tab2 = all[r].find('\t', tab + 1);
    const std::string kind = all[r].substr(0, tab), what = all[r].substr(tab2 + 1);
    const ErrorContext where{all[r].substr(tab + 1, tab2 - tab - 1), scene, stage};
    if (kind == "stop") throw StopRequested(what, where);
    if (kind == "internal") throw InternalError(what, where);
    if (kind == "memory") throw std::bad_alloc();
    throw InputError(what, where);
  }
}
}  // namespace

void run_chain(const std::vector<Stage>& stages, SceneWork& work, const Config& config,
               const Resources& resources) {
  const std::string scene = std::filesystem::path(work.l1_path).stem().string();
  const par::Comm* group = work.l2.group && work.l2.group->size() > 1 ? work.l2.group : nullptr;
  for (const Stage& stage : stages) {
    std::exception_ptr failure;
    try {
      if (work.checkpoint) work.checkpoint();
      // The retrieval times its own steps into the product it makes; every later stage
      // is timed as a whole.
      if (work.product)
        work.product->times.run(stage.name, [&] { stage.run(work, config, resources); });
      else
        stage.run(work, config, resources);
    } catch (GroupAgreedError& e) {  // every rank of the group throws it already
      e.add_stage(stage.name);
      e.add_scene(scene);
      throw;
    } catch (Error& e) {
      e.add_stage(stage.name);
      e.add_scene(scene);
      failure = std::current_exception();
    } catch (...) {
      failure = std::current_exception();
    }
    if (group)
      agree_on_failure(*group, failure, stage.name, scene);
    else if (failure)
      std::rethrow_exception(failure);
  }
}

}  // namespace hyperplume::pipeline
