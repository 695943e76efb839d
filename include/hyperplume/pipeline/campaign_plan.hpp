#pragma once
// What a (resumed) campaign does with each scene, decided on rank 0 from the journal before
// any work starts. A scene's products are keyed on what produced them: the settings that
// change the L2 (configuration and retrieval options), the identity of its input files (L1
// granules, the reanalysis files it looked for), and for L3/L4 the plume settings and the
// markers' checksum. A resumed run redoes exactly what changed, and says why.
//
// Attempts count per provenance (settings + L1 identity): a scene whose input or settings
// changed starts afresh. A scene started `max_attempts` times that never ended (it killed
// its job) is poison; one that failed cleanly `max_attempts` times keeps its reason and is
// not retried until something it depends on changes (an internal error, a bug, is not
// retried at all until then). Interrupted scenes (a stop signal) count no attempt.
#include <hyperplume/pipeline/journal.hpp>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

// "<size>:<mtime ns>" of a file, "absent" when it does not exist: cheap enough to take for
// every input of every scene at every start.
std::string file_identity(const std::string& path);
// 64-bit FNV-1a of a file's bytes, as 16 hex digits ("" if unreadable).
std::string file_checksum(const std::string& path);

// A path as the journal stores it: relative to the campaign root when inside it (a campaign
// can be moved and resubmitted from anywhere), else absolute and canonical.
std::string journal_path(const std::string& path, const std::string& root);
// The inverse: journal paths resolved against the root.
std::string resolve_journal_path(const std::string& stored, const std::string& root);

// "path=identity|..." of files (paths as the journal stores them), and the first file
// whose identity changed since (empty: none).
std::string identities_text(const std::vector<std::string>& paths, const std::string& root);
std::string first_changed_input(const std::string& identities, const std::string& root);

// What the journal says of one scene, counting only events of the given provenance.
struct SceneHistory {
  std::string last;   // last event: started | done | failed | poison | interrupted | abandoned
  int crashes = 0;    // started and never ended (the job died under it)
  int failures = 0;   // clean failures
  Record done;        // the last "done" event (any provenance)
  Record failed;      // the last "failed" event of this provenance
};
SceneHistory scene_history(const std::vector<const Record*>& events, const std::string& provenance);

// later_pass: the L2 again without the plume pixels of the scene's L3 files, then L3/L4;
// plumes_and_later_pass: L3/L4 from the (changed) markers first.
enum class SceneAction { skip, full, plumes_only, later_pass, plumes_and_later_pass, poison, gave_up };

struct PlanInputs {
  std::string root;
  bool resume = true;
  bool keep_existing = false;  // keep done products whatever changed
  bool plumes = false;         // L3/L4 is part of the run
  int max_attempts = 3;
  std::string l2_settings, l3_settings;  // keys of the settings in force
  int passes = 1;          // retrieval passes asked for (with plumes)
  bool reprocess = false;  // a later pass wherever the L3 files are not the last pass's
};

struct SceneDecision {
  SceneAction action = SceneAction::full;
  std::string reason;  // why it is (re)done or quarantined; empty for new scenes and skips
};

// provenance: the key of this run's settings and the scene's L1 files' identity;
// markers_checksum: of the scene's markers file now ("" when it has none); l3_identities:
// identities_text of the scene's L3 plume files now.
SceneDecision decide_scene(const SceneHistory& history, const PlanInputs& in,
                           const std::string& provenance, const std::string& markers_checksum,
                           const std::string& l3_identities = "");

}  // namespace hyperplume::pipeline
