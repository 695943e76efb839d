#pragma once
// The per-scene chain: an explicit list of stages that `hyperplume l2` and `hyperplume run`
// drive for every scene. Each stage has a name, under which it is timed (into the product's
// stage timers) and which any error leaving it carries, together with the scene. Later
// steps (L3/L4) are further stages in this list.
#include <functional>
#include <hyperplume/core/config.hpp>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

// One scene going through the chain: what it is asked for, and what the stages made.
struct SceneWork {
  std::string l1_path;
  std::string l2_path;
  L2Options l2;       // l2.group set: the scene group's ranks run every stage together
  L2WriteInfo write;  // its group is l2.group
  std::optional<L2Product> product;      // from the retrieval stage on
  std::optional<SceneL3Outcome> plumes;  // from the L3/L4 stage
  // Called before every stage; throws (StopRequested) to abandon the scene there.
  std::function<void()> checkpoint;
};

struct Stage {
  std::string name;
  std::function<void(SceneWork&, const Config&, const Resources&)> run;
};

struct L2ChainOptions {
  // Also write the sensor-geometry product (<L2 stem>_unortho.nc) right after the retrieval,
  // as HyperGas's unortho_export does.
  bool unortho_export = false;
};

// The stages of the L1 -> L2 chain, in HyperGas's order: retrieval, [sensor-geometry
// product], denoising (sensor geometry), orthorectification, a-priori masks, the product on
// disk. In a scene group every rank runs every stage on the whole product (identical
// results), and the group writes the files together.
std::vector<Stage> l2_chain(const L2ChainOptions& options = {});

// L2 -> L3/L4 for the scene's markers (nothing without a marker file), from the L2 file the
// chain wrote. In a scene group the leader makes the plumes. gazetteer may be null.
Stage l3_stage(const L3Options& options, const io::Gazetteer* gazetteer);

// Runs every stage in order. Errors leave with the scene and the stage filled in. In a scene
// group the ranks agree after every stage: when any rank failed, every rank throws the
// first failure in rank order (the same reason everywhere), so no rank is left waiting in
// a collective of the next stage.
void run_chain(const std::vector<Stage>& stages, SceneWork& work, const Config& config,
               const Resources& resources);

}  // namespace hyperplume::pipeline
