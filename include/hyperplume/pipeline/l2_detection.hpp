#pragma once
// Automatic plume detection for one orthorectified L2 (`hyperplume detect`, and the
// detection stage of `hyperplume run`): the candidates of plume::find_candidates, the
// spectral check on the L1 radiance behind each one, the score, and the marker file the
// L3 stage reads.
//
// Where the candidates go: `<L2 stem>.geojson` when no analyst's marker file is there (or
// the one there is the detector's own), else `<L2 stem>_auto.geojson` beside the
// analyst's, which is never touched. Only candidates scoring at least min_score are
// written, best first.
#include <hyperplume/core/stage_timer.hpp>
#include <hyperplume/geo/ortho_map.hpp>
#include <hyperplume/plume/detection.hpp>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

struct DetectOptions {
  std::string gas = "ch4";
  // Candidates scoring below this are not written. The default is the threshold the
  // validation benchmark set (docs/validation.md).
  double min_score = 0.33;
  std::string wind_source = "ERA5";  // the wind that says where upwind is (the other if absent)
  double dist_max = 180;             // m, as the plume pick's
  bool skip_exist = false;           // keep the detector's file where there is one
  int threads = 0;
  std::string dem;  // the L1's terrain for an RPC sensor (paths.dem_dir) when no index map is given
  plume::ScoreModel model = plume::ScoreModel::standard();
};

struct DetectedSource {
  double longitude = 0, latitude = 0;
  plume::Candidate candidate;
};

struct DetectionOutcome {
  std::string l2_path;
  std::string markers_path;       // the file written ("" when none was: skip-exist)
  bool skipped = false;           // skip-exist kept the existing file
  std::vector<DetectedSource> all;  // every candidate, best first (written: score >= min_score)
  std::size_t written = 0;
  std::string spectral_check;     // "on", or why it could not be made
  StageTimes times;               // detect.read_l2, detect.candidates, detect.spectral, detect.write
};

// <L2 stem>_auto.geojson
std::string auto_markers_path_for(const std::string& l2_path);
// An existing marker file the detector wrote; false for an analyst's, or one that does not
// parse (an analyst's that the detector must not replace; l3 reports its error).
bool is_detector_marker_file(const std::string& path);
// Where the detector writes for this L2 (see above).
std::string detection_output_for(const std::string& l2_path);

// ortho: the scene's index map onto the L2 grid when the caller has it (the campaign);
// nullptr: built from the L1 the L2 names. l1_path "" = the L2's `filename`. Without the L1
// the spectral check is left out (said in the outcome and in the file). InputError naming the
// L2 for a product without the fields detection needs.
DetectionOutcome detect_plumes(const std::string& l2_path, const DetectOptions& options,
                               const geo::OrthoMap* ortho = nullptr, const std::string& l1_path = "");

}  // namespace hyperplume::pipeline
