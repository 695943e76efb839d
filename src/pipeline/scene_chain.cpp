#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/stop_signal.hpp>
#include <new>
#include <hyperplume/pipeline/l2_denoise.hpp>
#include <hyperplume/pipeline/l2_mask.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <hyperplume/pipeline/l2_reprocess.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <netcdf.h>
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

namespace {
void write_product(const std::string& path, SceneWork& w, const Config& config) {
  L2WriteInfo info = w.write;
  info.group = w.l2.group;  // the ranks that retrieved the scene write it together
  write_l2(path, *w.product, config, info);
}

void denoise(SceneWork& w) {
  DenoiseOptions o{w.l2.skip_water, w.l2.hypergas, w.l2.threads, w.denoise_weights};
  denoise_l2(*w.product, w.l2.species, o);
  for (const auto& gas : w.l2.species)
    for (const std::string& name : {gas, gas + "_comb"}) {
      const L2Field* f = w.product->field(name + "_denoise");
      if (!f) continue;
      if (const auto it = f->attributes.find("denoise_label_weights"); it != f->attributes.end())
        w.denoise_weights[name] = parse_label_weights(std::get<std::string>(it->second));
    }
}

void orthorectify(SceneWork& w) {
  if (!w.ortho)
    w.ortho = std::make_shared<const geo::OrthoMap>(
        ortho_map_for(w.product->scene, {w.l2.hypergas, w.l2.threads}));
  orthorectify_l2(*w.product, *w.ortho);
}

// What a later pass alone takes from the L2 it replaces, in one read: the L1 it was made from,
// its pass (1 without the attribute) and its denoising weights
// per field and label (none: calibrated anew).
struct RecordedL2 {
  std::string l1;
  int pass = 1;
  std::map<std::string, std::map<std::int32_t, double>> denoise_weights;
};

RecordedL2 read_recorded_l2(const std::string& l2_path, const std::vector<std::string>& species) {
  RecordedL2 out;
  const io::NcFile f(l2_path, io::NcFile::Mode::read);
  const ErrorContext where{l2_path, {}, {}};
  if (!f.has_att(f.id(), NC_GLOBAL, "filename"))
    throw InputError("the L2 does not name its L1 (no global 'filename')", where);
  out.l1 = f.att_text(f.id(), NC_GLOBAL, "filename");
  if (f.has_att(f.id(), NC_GLOBAL, "processing_pass"))
    if (const auto v = f.att_doubles(f.id(), NC_GLOBAL, "processing_pass"); !v.empty())
      out.pass = static_cast<int>(v[0]);
  for (const auto& gas : species)
    for (const std::string& name : {gas, gas + "_comb"}) {
      if (!f.has_var(f.id(), name + "_denoise")) continue;
      const int v = f.var(f.id(), name + "_denoise");
      if (!f.has_att(f.id(), v, "denoise_label_weights")) continue;
      try {
        out.denoise_weights[name] = parse_label_weights(f.att_text(f.id(), v, "denoise_label_weights"));
      } catch (InputError& e) {
        e.add_file(l2_path);
        throw;
      }
    }
  return out;
}

// Finds the scene's L3 plumes and makes them the exclusion mask (sensor geometry).
void exclude_plumes(SceneWork& w, const Config& config, const Resources& res) {
  const std::vector<std::string> l3 = l3_files_of(w.l2_path);
  w.later_pass_skipped = l3.empty();
  if (l3.empty()) return;
  int previous_pass = w.retrieval ? w.retrieval->passes_run() : 0;
  std::optional<L2Identity> on_disk;  // alone: the L3 files must belong to the L2 as it is
  if (!w.retrieval) {  // alone: from the L1 the L2 names, with the L2's denoising weights
    on_disk = L2Identity::of(w.l2_path);
    RecordedL2 recorded = read_recorded_l2(w.l2_path, w.l2.species);
    // A campaign knows where its L1 is now (it may have been moved); alone, the L2 says.
    if (w.l1_path.empty()) {
      if (!std::filesystem::exists(recorded.l1))
        throw InputError("the L1 this L2 was made from is not there any more (moved or deleted): " + recorded.l1,
                         ErrorContext{w.l2_path, {}, {}});
      w.l1_path = recorded.l1;
    }
    previous_pass = recorded.pass;
    w.denoise_weights = std::move(recorded.denoise_weights);
    w.retrieval = std::make_shared<SceneRetrieval>(w.l1_path, config, res, w.l2);
  }
  const Scene& scene = w.retrieval->scene();
  if (!w.ortho)
    w.ortho = std::make_shared<const geo::OrthoMap>(ortho_map_for(scene, {w.l2.hypergas, w.l2.threads}));
  const std::string gas = w.l2.species.front();
  const PlumeExclusion plumes =
      read_plume_exclusion(l3, gas, w.ortho->grid(), on_disk ? &*on_disk : nullptr);
  w.exclusion = exclusion_in_sensor_geometry(plumes.grid, *w.ortho, scene.rows(), scene.cols());
  w.pass.number = previous_pass + 1;
  w.pass.plume_files = plumes.files;
  w.pass.excluded_pixels = static_cast<std::size_t>((w.exclusion->array() > 0).count());
  std::vector<std::string> l4;
  for (const auto& f : l3) l4.push_back(l4_path_for(f));
  w.later_rad_dist = later_pass_rad_dist(w.later_rad_dist, gas, l4);
}

// A stage of the later pass: nothing to do when the scene has no L3 plume.
Stage later(const std::string& name, std::function<void(SceneWork&, const Config&, const Resources&)> run) {
  return {name, [run = std::move(run)](SceneWork& w, const Config& c, const Resources& r) {
            if (!w.later_pass_skipped) run(w, c, r);
          }};
}
}  // namespace

std::vector<Stage> l2_chain(const L2ChainOptions& options) {
  std::vector<Stage> chain;
  chain.push_back({"l2.retrieve", [](SceneWork& w, const Config& config, const Resources& res) {
                     w.retrieval = std::make_shared<SceneRetrieval>(w.l1_path, config, res, w.l2);
                     w.product = w.retrieval->retrieve(w.l2.plume_mask, w.l2.rad_dist);
                     require_valid_pixels(*w.product, w.l2.species.front());
                   }});
  if (options.unortho_export)
    chain.push_back({"io.write_unortho", [](SceneWork& w, const Config& config, const Resources&) {
                       write_product(unortho_path_for(w.l2_path), w, config);
                     }});
  chain.push_back({"l2.denoise", [](SceneWork& w, const Config&, const Resources&) { denoise(w); }});
  chain.push_back({"l2.orthorectify", [](SceneWork& w, const Config&, const Resources&) { orthorectify(w); }});
  chain.push_back({"l2.mask", [](SceneWork& w, const Config&, const Resources&) {
                     add_a_priori_masks(*w.product, w.l2.species);
                   }});
  chain.push_back({"io.write_l2", [](SceneWork& w, const Config& config, const Resources&) {
                     write_product(w.l2_path, w, config);
                   }});
  return chain;
}

std::vector<Stage> later_pass_chain(const std::vector<Stage>& then) {
  std::vector<Stage> chain;
  chain.push_back({"l2.exclude_plumes", exclude_plumes});
  chain.push_back(later("l2.retrieve", [](SceneWork& w, const Config&, const Resources&) {
    w.product = w.retrieval->retrieve(&*w.exclusion, w.later_rad_dist);
    w.product->pass = w.pass;
    require_valid_pixels(*w.product, w.l2.species.front());
  }));
  chain.push_back(later("l2.denoise", [](SceneWork& w, const Config&, const Resources&) { denoise(w); }));
  chain.push_back(later("l2.orthorectify", [](SceneWork& w, const Config&, const Resources&) { orthorectify(w); }));
  chain.push_back(later("l2.mask", [](SceneWork& w, const Config&, const Resources&) {
    add_a_priori_masks(*w.product, w.l2.species);
  }));
  chain.push_back(later("io.write_l2", [](SceneWork& w, const Config& config, const Resources&) {
    write_product(w.l2_path, w, config);
  }));
  for (const Stage& s : then) chain.push_back(later(s.name, s.run));
  return chain;
}

Stage detection_stage(const DetectOptions& options, MarkerChoice markers) {
  return {"l3.detect", [options, markers](SceneWork& w, const Config&, const Resources&) {
            if (w.l2.group && w.l2.group->rank() != 0) return;
            if (markers == MarkerChoice::prefer_file && detection_output_for(w.l2_path) != markers_path_for(w.l2_path))
              return;  // an analyst's file is there: it is the scene's markers
            w.detection = detect_plumes(w.l2_path, options, w.ortho.get(), w.l1_path);
          }};
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
