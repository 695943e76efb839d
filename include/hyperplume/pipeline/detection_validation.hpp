#pragma once
// Automatic detection on the known-truth validation benchmark: every candidate of every
// synthetic scene against the true source, the score model fitted to them, the threshold
// that keeps false alarms within the target, and what detection then achieves
// (probability of detection by emission-rate and wind bin, false alarms per full EMIT
// scene, source position error, emission rates from automatic against true markers).
#include <array>
#include <hyperplume/core/config.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/pipeline/validation.hpp>
#include <hyperplume/plume/detection.hpp>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

struct DetectionCandidateRow {
  bool on_plume = false;  // on the true plume: true dXCH4 >= 20 ppb at 3 or more of its pixels
  bool chosen = false;    // the best-scoring candidate on the plume: its L3/L4 was made
  double distance_px = ValidationPlume::kNaN;  // its source to the true source, grid pixels
  std::array<double, plume::kScoreTerms> terms{};
  double ime_auto = ValidationPlume::kNaN, csf_auto = ValidationPlume::kNaN;  // chosen only, kg/h
};

struct DetectionScene {
  std::string scene, kind, surface;
  int pass = 1;
  double q_true = 0, wind_true = 0;
  double valid_pixels = 0;  // finite pixels of the L2 grid: the area searched
  std::vector<DetectionCandidateRow> candidates;
};

// Detection on every scene of one processed synthetic batch whose index is part (mod parts):
// the L2 linked into auto_root (beside no marker file), every candidate kept (no threshold),
// and L3/L4 from the best-scoring candidate on the true plume.
std::vector<DetectionScene> detect_batch(const ValidationBatch& batch, const std::string& auto_root, int pass,
                                         const Config& config, const L3Options& plumes, int threads, int part,
                                         int parts);

std::string detection_csv(const std::vector<DetectionScene>& scenes, bool header);
std::vector<DetectionScene> read_detection_csv(const std::string& path);

// The model fitted to pass-1 candidates (on_plume the outcome), the threshold chosen for it
// and the report: the figures at that threshold, how each term's removal changes them, and the
// emission rates from automatic against true markers (rows: the true markers' estimates).
struct DetectionCalibration {
  plume::ScoreModel model;
  double threshold = 0.5;
};
DetectionCalibration calibrate_detection(const std::vector<DetectionScene>& scenes);
std::string detection_report(const std::vector<DetectionScene>& scenes, const std::vector<ValidationPlume>& rows,
                             const DetectionCalibration& fitted, const DetectionCalibration& in_use);

}  // namespace hyperplume::pipeline
