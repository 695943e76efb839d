#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <hyperplume/pipeline/detection_validation.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/plume/plume_picker.hpp>
#include <map>
#include <sstream>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

namespace {
constexpr double kNaN = ValidationPlume::kNaN;
constexpr double kOnPlumePpb = 20;         // true dXCH4 that makes a pixel part of the plume
constexpr int kOnPlumePixels = 3;          // of the candidate's pixels
constexpr double kFullScene = 1280.0 * 1242.0;  // pixels of a full EMIT scene
constexpr double kFalseAlarmBudget = 0.1;  // per full scene of area searched: the target

double number(const std::map<std::string, std::string>& row, const std::string& key) {
  const auto it = row.find(key);
  return it == row.end() || it->second.empty() ? kNaN : std::strtod(it->second.c_str(), nullptr);
}

// The L2 linked where no analyst's marker file is beside it (a copy where links cannot be
// made), replacing an earlier pass's link and its L3/L4 files; the marker file an earlier
// pass chose stays (keep_markers) for the later pass.
std::string link_l2(const std::string& l2, const fs::path& dir, bool keep_markers) {
  fs::create_directories(dir);
  const std::string to = (dir / fs::path(l2).filename()).string();
  const std::string l3 = l3_path_for(to, 0);
  std::vector<std::string> stale = {to, auto_markers_path_for(to), l3, l4_path_for(l3), csf_path_for(l3)};
  if (!keep_markers) stale.push_back(markers_path_for(to));
  for (const auto& f : stale) fs::remove(f);
  std::error_code ec;
  fs::create_hard_link(l2, to, ec);
  if (ec) fs::copy_file(l2, to);
  return to;
}

// L3/L4 from the marker file beside the L2.
void estimate_from(DetectionCandidateRow& row, const std::string& l2, const Config& config, L3Options o) {
  o.markers = markers_path_for(l2);
  o.skip_exist = false;
  const SceneL3Outcome r = process_plumes(l2, config, o, nullptr);
  if (r.plumes.empty() || !r.plumes.front().error.empty()) return;
  const auto cells = read_l4_csv(r.plumes.front().csv_path);
  row.ime_auto = number(cells, "emission");
  row.csf_auto = number(cells, "emission_csf");
}
}  // namespace

std::vector<DetectionScene> detect_batch(const ValidationBatch& b, const std::string& auto_root, int pass,
                                         const Config& config, const L3Options& plumes, int threads, int part,
                                         int parts) {
  const fs::path root(b.synth_root);
  std::vector<DetectionScene> out;
  int index = -1;
  for (auto& t : read_csv_table((root / "truth_sources.csv").string())) {
    if (t["source"] != "0" || ++index % parts != part) continue;
    const fs::path rad = sensor::granule_path((root / t["facility"]).string(), t["scene"]);
    const std::string l2 = l2_path_for(rad.string());
    if (!fs::exists(l2)) continue;  // quarantined: nothing was searched
    DetectionScene s;
    s.scene = t["scene"];
    s.kind = b.kind;
    s.surface = b.surface;
    s.pass = pass;
    s.q_true = number(t, "emission_rate_kg_h");
    s.wind_true = number(t, "wind_speed_m_s");
    const std::string linked =
        link_l2(l2, fs::path(auto_root) / fs::path(b.synth_root).filename() / t["facility"], pass > 1);
    if (pass > 1) {  // the sources of the first pass, as the campaign re-uses them
      if (fs::exists(markers_path_for(linked))) {
        DetectionCandidateRow row;
        row.on_plume = row.chosen = true;
        estimate_from(row, linked, config, plumes);
        s.candidates.push_back(row);
      }
      out.push_back(std::move(s));
      continue;
    }
    DetectOptions d;
    d.min_score = 0;
    d.wind_source = plumes.wind_source;
    d.dist_max = plumes.dist_max;
    d.threads = threads;
    d.dem = b.dem;
    const DetectionOutcome found = detect_plumes(linked, d, nullptr, rad.string());
    const Raster<float> truth = truth_on_grid(rad.string(), (root / t["facility"] / (s.scene + "_truth.nc")).string(), threads, b.dem);
    const io::NcFile f(linked, io::NcFile::Mode::read);
    const auto rows = static_cast<int>(truth.rows()), cols = static_cast<int>(truth.cols());
    const Raster<double> lat = io::read_raster<double>(f, f.id(), "latitude", rows, cols);
    const Raster<double> lon = io::read_raster<double>(f, f.id(), "longitude", rows, cols);
    const std::int64_t source = plume::nearest_pixel_centre(lon, lat, number(t, "longitude"), number(t, "latitude"));
    s.valid_pixels = static_cast<double>(truth.array().isFinite().count());
    for (const DetectedSource& c : found.all) {
      DetectionCandidateRow row;
      int on = 0;
      for (auto i : c.candidate.pixels) on += static_cast<double>(truth.data()[i]) >= kOnPlumePpb;
      row.on_plume = on >= kOnPlumePixels;
      row.distance_px = std::hypot(c.candidate.row - static_cast<double>(source / cols),
                                   c.candidate.col - static_cast<double>(source % cols));
      row.terms = plume::score_terms(c.candidate.features);
      const bool first_on_plume =
          row.on_plume && std::none_of(s.candidates.begin(), s.candidates.end(), [](const auto& r) { return r.on_plume; });
      if (first_on_plume) {
        row.chosen = true;
        io::write_auto_markers(markers_path_for(linked), {{c.longitude, c.latitude, c.candidate.score, {}}}, {});
        estimate_from(row, linked, config, plumes);
      }
      s.candidates.push_back(row);
    }
    // No candidate on the plume: no marker for the later pass either.
    if (std::none_of(s.candidates.begin(), s.candidates.end(), [](const auto& r) { return r.chosen; }))
      fs::remove(markers_path_for(linked));
    out.push_back(std::move(s));
  }
  return out;
}

std::string detection_csv(const std::vector<DetectionScene>& scenes, bool header) {
  std::string t;
  if (header) {
    t = "scene,kind,surface,pass,q_true,wind_true,valid_pixels,candidate,on_plume,chosen,distance_px,ime_auto,csf_auto";
    for (const char* n : plume::kScoreTermNames) t += std::string(",") + n;
    t += "\n";
  }
  auto num = [](double v) { return l4_number(v); };
  for (const auto& s : scenes) {
    const std::string head = s.scene + "," + s.kind + "," + s.surface + "," + std::to_string(s.pass) + "," +
                             num(s.q_true) + "," + num(s.wind_true) + "," + num(s.valid_pixels) + ",";
    if (s.candidates.empty()) t += head + "-1,0,0,,,,,,,,,,,,\n";
    for (std::size_t k = 0; k < s.candidates.size(); ++k) {
      const auto& c = s.candidates[k];
      t += head + std::to_string(k) + "," + (c.on_plume ? "1" : "0") + "," + (c.chosen ? "1" : "0") + "," +
           num(c.distance_px) + "," + num(c.ime_auto) + "," + num(c.csf_auto);
      for (double v : c.terms) t += "," + num(v);
      t += "\n";
    }
  }
  return t;
}

std::vector<DetectionScene> read_detection_csv(const std::string& path) {
  std::vector<DetectionScene> out;
  for (auto& r : read_csv_table(path)) {
    if (out.empty() || out.back().scene != r["scene"] || out.back().pass != std::stoi(r["pass"])) {
      DetectionScene s;
      s.scene = r["scene"];
      s.kind = r["kind"];
      s.surface = r["surface"];
      s.pass = std::stoi(r["pass"]);
      s.q_true = number(r, "q_true");
      s.wind_true = number(r, "wind_true");
      s.valid_pixels = number(r, "valid_pixels");
      out.push_back(std::move(s));
    }
    if (r["candidate"] == "-1") continue;
    DetectionCandidateRow c;
    c.on_plume = r["on_plume"] == "1";
    c.chosen = r["chosen"] == "1";
    c.distance_px = number(r, "distance_px");
    c.ime_auto = number(r, "ime_auto");
    c.csf_auto = number(r, "csf_auto");
    for (int j = 0; j < plume::kScoreTerms; ++j)
      c.terms[static_cast<std::size_t>(j)] = number(r, plume::kScoreTermNames[static_cast<std::size_t>(j)]);
    out.back().candidates.push_back(c);
  }
  return out;
}

namespace {
double score(const DetectionCandidateRow& c, const plume::ScoreModel& m) {
  double z = m.intercept;
  for (std::size_t j = 0; j < c.terms.size(); ++j) z += m.weights[j] * c.terms[j];
  return 1 / (1 + std::exp(-z));
}

// What detection achieves at a threshold, on the first pass.
struct DetectionFigures {
  double fa_per_scene_area = 0;  // false alarms per full EMIT scene of area searched, all scenes
  double fa_per_plume_free = kNaN;
  int plume_free_scenes = 0, flipped_scenes = 0, flipped_detections = 0;
  int detected_q2 = 0, sources_q2 = 0, detected_q1 = 0, sources_q1 = 0;  // winds <= 6 m/s
};

bool detected(const DetectionScene& s, const plume::ScoreModel& m, double t) {
  return std::any_of(s.candidates.begin(), s.candidates.end(),
                     [&](const auto& c) { return c.on_plume && score(c, m) >= t; });
}

DetectionFigures figures(const std::vector<DetectionScene>& scenes, const plume::ScoreModel& m, double t) {
  DetectionFigures f;
  double area = 0, false_alarms = 0, free_alarms = 0;
  for (const auto& s : scenes) {
    if (s.pass != 1) continue;
    area += s.valid_pixels / kFullScene;
    int alarms = 0;
    for (const auto& c : s.candidates) alarms += !c.on_plume && score(c, m) >= t;
    false_alarms += alarms;
    if (s.kind == "plume_free") {
      ++f.plume_free_scenes;
      free_alarms += alarms;
    }
    if (s.kind == "sign_flipped") {
      ++f.flipped_scenes;
      f.flipped_detections += alarms;
    }
    if (s.kind != "plume" || s.wind_true > 6) continue;
    const bool hit = detected(s, m, t);
    if (s.q_true >= 2000) {
      ++f.sources_q2;
      f.detected_q2 += hit;
    } else if (s.q_true >= 1000) {
      ++f.sources_q1;
      f.detected_q1 += hit;
    }
  }
  f.fa_per_scene_area = area > 0 ? false_alarms / area : kNaN;
  if (f.plume_free_scenes) f.fa_per_plume_free = free_alarms / f.plume_free_scenes;
  return f;
}

// The lowest threshold whose false alarms stay within the budget, none on sign-flipped scenes.
double choose_threshold(const std::vector<DetectionScene>& scenes, const plume::ScoreModel& m) {
  for (int k = 1; k < 100; ++k) {
    const double t = k / 100.0;
    const DetectionFigures f = figures(scenes, m, t);
    if (f.fa_per_scene_area <= kFalseAlarmBudget && f.flipped_detections == 0) return t;
  }
  return 0.99;
}

plume::ScoreModel fit_without(const std::vector<DetectionScene>& scenes, int dropped) {
  std::vector<std::array<double, plume::kScoreTerms>> x;
  std::vector<int> y;
  for (const auto& s : scenes)
    if (s.pass == 1)
      for (const auto& c : s.candidates) {
        auto terms = c.terms;
        if (dropped >= 0) terms[static_cast<std::size_t>(dropped)] = 0;
        x.push_back(terms);
        y.push_back(c.on_plume);
      }
  return plume::fit_score_model(x, y, 1e-2, plume::kEvidenceSigns);
}

std::string pct(int k, int n) {
  if (n == 0) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.0f %% (%d/%d)", 100.0 * k / n, k, n);
  return b;
}

std::string fixed(double v, int digits = 2) {
  if (!std::isfinite(v)) return "-";
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

std::string figures_section(const std::vector<DetectionScene>& scenes, const std::vector<ValidationPlume>& rows,
                            const DetectionCalibration& c) {
  const DetectionFigures f = figures(scenes, c.model, c.threshold);
  std::string t;
  t += "- false alarms: " + fixed(f.fa_per_scene_area, 3) + " per full EMIT scene of area searched (all scenes), " +
       fixed(f.fa_per_plume_free, 2) + " per plume-free scene (" + std::to_string(f.plume_free_scenes) + "), " +
       std::to_string(f.flipped_detections) + " on " + std::to_string(f.flipped_scenes) + " sign-flipped scene(s)\n";
  t += "- probability of detection, winds <= 6 m/s: Q >= 2 t/h " + pct(f.detected_q2, f.sources_q2) + ", 1-2 t/h " +
       pct(f.detected_q1, f.sources_q1) + "\n";
  for (const char* surface : {"bright", "dark"}) {
    int k2 = 0, n2 = 0, k1 = 0, n1 = 0;
    for (const auto& s : scenes) {
      if (s.pass != 1 || s.kind != "plume" || s.surface != surface || s.wind_true > 6) continue;
      const bool hit = detected(s, c.model, c.threshold);
      if (s.q_true >= 2000) {
        ++n2;
        k2 += hit;
      } else if (s.q_true >= 1000) {
        ++n1;
        k1 += hit;
      }
    }
    t += std::string("  - on ") + surface + " ground: Q >= 2 t/h " + pct(k2, n2) + ", 1-2 t/h " + pct(k1, n1) + "\n";
  }
  t += "\n";
  // By Q and wind bin.
  const double qb[][2] = {{0, 1000}, {1000, 2000}, {2000, 5000}, {5000, 1e9}};
  const char* qn[] = {"< 1 t/h", "1-2 t/h", "2-5 t/h", ">= 5 t/h"};
  const double ub[][2] = {{0, 4}, {4, 6}, {6, 1e9}};
  t += "| Q \\ wind | <= 4 m/s | 4-6 m/s | > 6 m/s |\n|---|---|---|---|\n";
  for (int q = 0; q < 4; ++q) {
    t += std::string("| ") + qn[q];
    for (int u = 0; u < 3; ++u) {
      int k = 0, n = 0;
      for (const auto& s : scenes)
        if (s.pass == 1 && s.kind == "plume" && s.q_true >= qb[q][0] && s.q_true < qb[q][1] &&
            s.wind_true >= ub[u][0] && s.wind_true < ub[u][1]) {
          ++n;
          k += detected(s, c.model, c.threshold);
        }
      t += " | " + pct(k, n);
    }
    t += " |\n";
  }
  // Position and emission from the automatic markers.
  std::vector<double> distance;
  std::map<int, std::vector<double>> ime_ratio, csf_ratio;
  std::map<std::pair<std::string, int>, const ValidationPlume*> truth_rows;
  for (const auto& r : rows) truth_rows[{r.scene, r.pass}] = &r;
  std::map<std::string, double> first_pass_score;  // of each scene's chosen candidate
  for (const auto& s : scenes)
    for (const auto& cand : s.candidates)
      if (s.pass == 1 && cand.chosen) first_pass_score[s.scene] = score(cand, c.model);
  for (const auto& s : scenes) {
    if (s.kind != "plume") continue;
    for (const auto& cand : s.candidates) {
      const auto first = first_pass_score.find(s.scene);
      if (!cand.chosen || first == first_pass_score.end() || first->second < c.threshold) continue;
      if (s.pass == 1) distance.push_back(cand.distance_px);
      const auto r = truth_rows.find({s.scene, s.pass});
      if (r == truth_rows.end() || !r->second->made) continue;
      if (r->second->ime > 0 && std::isfinite(cand.ime_auto)) ime_ratio[s.pass].push_back(cand.ime_auto / r->second->ime);
      if (r->second->csf > 0 && std::isfinite(cand.csf_auto)) csf_ratio[s.pass].push_back(cand.csf_auto / r->second->csf);
    }
  }
  t += "\n- source position (the best candidate on each detected plume): median " + fixed(finite_median(distance), 1) +
       " pixels from the true source (" + std::to_string(distance.size()) + " sources)\n";
  for (const auto& [pass, v] : ime_ratio)
    t += "- emission from the automatic marker / from the true marker, pass " + std::to_string(pass) + ": IME median " +
         fixed(finite_median(v)) + " (" + std::to_string(v.size()) + "), CSF median " +
         fixed(finite_median(csf_ratio[pass])) + " (" + std::to_string(csf_ratio[pass].size()) + ")\n";
  return t;
}

std::string model_text(const plume::ScoreModel& m) {
  std::string t = "intercept " + fixed(m.intercept, 3);
  for (int j = 0; j < plume::kScoreTerms; ++j)
    t += std::string(", ") + plume::kScoreTermNames[static_cast<std::size_t>(j)] + " " +
         fixed(m.weights[static_cast<std::size_t>(j)], 3);
  return t;
}
}  // namespace

DetectionCalibration calibrate_detection(const std::vector<DetectionScene>& scenes) {
  DetectionCalibration c;
  c.model = fit_without(scenes, -1);
  c.threshold = choose_threshold(scenes, c.model);
  return c;
}

std::string detection_report(const std::vector<DetectionScene>& scenes, const std::vector<ValidationPlume>& rows,
                             const DetectionCalibration& fitted, const DetectionCalibration& in_use) {
  std::size_t n = 0, positive = 0;
  for (const auto& s : scenes)
    if (s.pass == 1)
      for (const auto& c : s.candidates) {
        ++n;
        positive += c.on_plume;
      }
  std::string t = "\n## Automatic detection (first pass)\n\n" + std::to_string(n) + " candidates, " +
                  std::to_string(positive) + " on a true plume.\n\n### The score in use (" + model_text(in_use.model) +
                  "), threshold " + fixed(in_use.threshold) + "\n\n" + figures_section(scenes, rows, in_use);
  t += "\n### The score fitted to these candidates (" + model_text(fitted.model) + "), threshold " +
       fixed(fitted.threshold) + " (the lowest with at most " + fixed(kFalseAlarmBudget) +
       " false alarms per full scene and none on sign-flipped scenes)\n\n" + figures_section(scenes, rows, fitted);
  t += "\n### What each term is worth: fitted again without it, threshold chosen again\n\n"
       "| without | threshold | PoD Q >= 2 t/h | PoD 1-2 t/h | false alarms / full scene |\n|---|---|---|---|---|\n";
  for (int j = -1; j < plume::kScoreTerms; ++j) {
    DetectionCalibration c;
    c.model = fit_without(scenes, j);
    c.threshold = choose_threshold(scenes, c.model);
    const DetectionFigures f = figures(scenes, c.model, c.threshold);
    t += std::string("| ") + (j < 0 ? "(all terms)" : plume::kScoreTermNames[static_cast<std::size_t>(j)]) + " | " +
         fixed(c.threshold) + " | " + pct(f.detected_q2, f.sources_q2) + " | " + pct(f.detected_q1, f.sources_q1) +
         " | " + fixed(f.fa_per_scene_area, 3) + " |\n";
  }
  return t;
}

}  // namespace hyperplume::pipeline
