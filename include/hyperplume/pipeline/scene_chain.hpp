#pragma once
// The per-scene chain: an explicit list of stages that `hyperplume l2` and `hyperplume run`
// drive for every scene. Each stage has a name, under which it is timed (into the product's
// stage timers) and which any error leaving it carries, together with the scene. Later
// steps (L3/L4) are further stages in this list.
#include <functional>
#include <hyperplume/core/config.hpp>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/geo/ortho_map.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

// One scene going through the chain: what it is asked for, and what the stages made.
struct SceneWork {
  std::string l1_path;  // a later pass alone (reprocess-l2): taken from the L2's `filename`
  std::string l2_path;
  L2Options l2;       // l2.group set: the scene group's ranks run every stage together
  L2WriteInfo write;  // its group is l2.group
  // The filter of a later pass (automatic: lognormal when the scene's largest L4 emission
  // exceeds 10 t/h, normal otherwise).
  RadDist later_rad_dist = RadDist::automatic;
  std::optional<L2Product> product;      // from the retrieval stage on
  std::optional<SceneL3Outcome> plumes;  // from the L3/L4 stage (the last pass's)
  std::optional<DetectionOutcome> detection;  // from the detection stage
  // Kept from the first pass for a later one: the prepared retrieval, the index map onto
  // the grid and the denoising weights (per field and label).
  std::shared_ptr<SceneRetrieval> retrieval;
  std::shared_ptr<const geo::OrthoMap> ortho;
  std::map<std::string, std::map<std::int32_t, double>> denoise_weights;
  // A later pass: the plume pixels out of its statistics (sensor geometry) and where they
  // came from; unset when the scene has no L3 plume (the later pass then changes nothing).
  std::optional<Raster<std::uint8_t>> exclusion;
  L2Pass pass;
  bool later_pass_skipped = false;  // no L3 plume file: the first pass's products stand
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

// A later retrieval pass of a scene whose L3 plume files exist (HyperGas l2b_reprocess): the
// union of its plumes kept out of the statistics, then the L2 chain again, the product
// replaced. After l2_chain in the same work it reuses the first pass's retrieval, index
// map and denoising weights; alone (work.l2_path of an existing L2) it starts from the L1
// the L2 names and takes the weights from the L2. A scene with no L3 plume is left as it is,
// and the stages `then` (L3/L4 again) are skipped with the others.
std::vector<Stage> later_pass_chain(const std::vector<Stage>& then = {});

// Automatic detection on the L2 the chain wrote (its index map re-used when the chain has
// it), where `markers` (not file) takes candidates for this scene: always for automatic and
// both; for prefer_file where no analyst's marker file is there. In a scene group the leader
// detects.
Stage detection_stage(const DetectOptions& options, MarkerChoice markers);

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
