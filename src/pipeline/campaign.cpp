#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/core/stop_signal.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <hyperplume/io/run_lock.hpp>
#include <hyperplume/pipeline/campaign_plan.hpp>
#include <hyperplume/pipeline/journal.hpp>
#include <hyperplume/sensor/discovery.hpp>
#include <hyperplume/par/scheduler.hpp>
#include <hyperplume/pipeline/campaign.hpp>
#include <hyperplume/pipeline/campaign_index.hpp>
#include <hyperplume/pipeline/l3_plots.hpp>
#include <hyperplume/pipeline/l2_reprocess.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <stop_token>
#include <thread>
#include <sstream>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

namespace {
std::string num(double v, int precision = 3) {
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", precision, v);
  return b;
}

// Fault injection for the reliability tests: HYPERPLUME_FAULT_INJECT=abort:<text> kills the
// process (as a segfault would) when it starts a scene whose path contains <text>;
// sleep:<seconds> makes every scene take that much longer (a campaign that outlasts a
// job's time limit, without large scenes).
void maybe_inject_fault(const std::string& rad) {
  const char* spec = std::getenv("HYPERPLUME_FAULT_INJECT");
  if (!spec) return;
  const std::string s = spec;
  if (s.rfind("abort:", 0) == 0 && rad.find(s.substr(6)) != std::string::npos) std::abort();
  if (s.rfind("sleep:", 0) == 0)
    std::this_thread::sleep_for(std::chrono::duration<double>(std::strtod(s.c_str() + 6, nullptr)));
}


// The scene's work as the plan decided it: the whole chain, or only its L3/L4 stage.
struct SceneTask {
  std::string path;
  SceneAction action = SceneAction::full;
};

struct Chains {
  std::vector<Stage> full, plumes_only, later_pass, plumes_and_later_pass;
  const std::vector<Stage>& of(SceneAction a) const {
    switch (a) {
      case SceneAction::plumes_only:
        return plumes_only;
      case SceneAction::later_pass:
        return later_pass;
      case SceneAction::plumes_and_later_pass:
        return plumes_and_later_pass;
      default:
        return full;
    }
  }
};

// The stages of every kind of scene task. Two passes: the L2, its L3/L4, the L2 again
// without the plume pixels, L3/L4 again, all in the worker that has the scene.
Chains make_chains(const CampaignOptions& o) {
  Chains c{l2_chain(o.chain), {}, {}, {}};
  if (!o.plumes) return c;
  const Stage l3 = l3_stage(*o.plumes, o.gazetteer);
  if (o.detection) {  // on the first pass; a later one re-uses its sources
    const Stage detect = detection_stage(*o.detection, o.plumes->markers_from);
    c.full.push_back(detect);
    c.plumes_only.push_back(detect);
  }
  c.full.push_back(l3);
  c.plumes_only.push_back(l3);
  c.later_pass = later_pass_chain({l3});
  if (o.passes > 1 || o.reprocess) c.full.insert(c.full.end(), c.later_pass.begin(), c.later_pass.end());
  c.plumes_and_later_pass = c.plumes_only;
  c.plumes_and_later_pass.insert(c.plumes_and_later_pass.end(), c.later_pass.begin(), c.later_pass.end());
  return c;
}

char action_code(SceneAction a) {
  switch (a) {
    case SceneAction::plumes_only:
      return 'P';
    case SceneAction::later_pass:
      return 'R';
    case SceneAction::plumes_and_later_pass:
      return 'M';
    default:
      return 'F';
  }
}

SceneAction action_of(char code) {
  switch (code) {
    case 'P':
      return SceneAction::plumes_only;
    case 'R':
      return SceneAction::later_pass;
    case 'M':
      return SceneAction::plumes_and_later_pass;
    default:
      return SceneAction::full;
  }
}

void record_product(Record& r, const L2Product& p, const std::string& gas) {
  r["sensor"] = p.scene.sensor.instrument;
  r["start_time"] = p.scene.start_time.iso8601();
  if (const auto* f = p.field(gas)) {
    const auto* u = p.field(gas + "_uncertainty");
    const FieldSummary s = summarize(f->values, u ? &u->values : nullptr);
    r["valid_pixels"] = std::to_string(s.valid);
    r["pixels_above_3sigma"] = std::to_string(s.above_3_sigma);
    r["median"] = num(s.median);
    r["noise"] = num(s.noise);
    r["max"] = num(s.max);
  }
  r["stage_times"] = p.times.to_text();
}

void record_plumes(Record& r, const SceneL3Outcome& outcome, const std::string& root) {
  int made = 0;
  std::string tables;  // the L4 CSVs to merge, '|'-separated
  for (const auto& pl : outcome.plumes)
    if (pl.error.empty()) {
      ++made;
      tables += (tables.empty() ? "" : "|") + journal_path(pl.csv_path, root);
    } else {
      r["plume" + std::to_string(pl.index) + "_error"] = pl.error;
    }
  r["plumes"] = std::to_string(made);
  r["l4_tables"] = tables;
}

// Abandons the scene at a stage boundary once a stop's grace period is over.
std::function<void()> grace_checkpoint(double grace_seconds) {
  return [grace_seconds] {
    if (stop_requested() && seconds_since_stop() >= grace_seconds)
      throw StopRequested(std::string("abandoned after ") + signal_name(stop_signal()) +
                          ": its grace period of " + num(grace_seconds, 0) + " s was over");
  };
}

// A failed scene's record: its kind (input, internal, out_of_memory, unexpected), stage and reason.
void record_failure(Record& r, const char* kind, const std::string& stage, const std::string& reason) {
  r["status"] = "failed";
  r["kind"] = kind;
  r["stage"] = stage;
  r["reason"] = reason;
}

// The scene's quicklooks, map and plume figures. A plot that fails is recorded, not a
// failure of the scene: its products are made and good.
void plot_scene(Record& r, const SceneWork& work, const PlotOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  try {
    plot_l2(work.l2_path, o, QuicklookSource::render);
    if (work.plumes)
      for (const auto& pl : work.plumes->plumes)
        if (pl.error.empty()) plot_plume(pl.l3_path, PlumePlotOptions{false, 0.0, o.leaflet_dir});
  } catch (const Error& e) {
    r["plots_error"] = e.what();
  }
  r["plot_seconds"] = num(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

std::string process_scene(const Chains& chains, const SceneTask& task, const Config& config,
                          const Resources& res, const CampaignOptions& o, const par::Comm* group) {
  Record r;
  if (stop_requested()) {  // a stop came while this scene waited: do not start it
    r["status"] = "abandoned";
    r["reason"] = std::string("not started: ") + signal_name(stop_signal());
    return encode(r);
  }
  maybe_inject_fault(task.path);
  const std::string out = l2_path_for(task.path);
  const auto t0 = std::chrono::steady_clock::now();
  SceneWork work;
  work.l1_path = task.path;
  work.l2_path = out;
  work.l2 = o.l2;
  work.write = L2WriteInfo{o.profile, o.l2_description, o.format};
  work.l2.group = group;
  work.later_rad_dist = o.later_rad_dist;
  work.checkpoint = grace_checkpoint(o.grace_seconds);
  const bool leader = !group || group->rank() == 0;  // in a scene group the leader reports
  const std::string l1_identity = identities_text(sensor::granule_files(task.path), o.root);
  try {
    run_chain(chains.of(task.action), work, config, res);
    if (!leader) return {};
    r["status"] = "done";
    r["output"] = journal_path(out, o.root);
    r["checksum"] = file_checksum(out);
    r["l1_inputs"] = l1_identity;
    if (work.product) {
      record_product(r, *work.product, o.l2.species.front());
      r["ancillary_inputs"] = identities_text(work.product->ancillary_inputs, o.root);
    }
    if (work.plumes) record_plumes(r, *work.plumes, o.root);
    if (work.detection) r["candidates"] = std::to_string(work.detection->written);
    if (o.plumes) {
      r["markers_checksum"] = markers_checksum(out, *o.plumes);
      const bool later = o.passes > 1 || o.reprocess || task.action == SceneAction::later_pass ||
                         task.action == SceneAction::plumes_and_later_pass;
      r["passes"] = later ? "2" : "1";
      r["l3_identities"] = identities_text(l3_files_of(out), o.root);
    }
    if (work.product) r["l2_pass"] = std::to_string(work.product->pass.number);
    if (o.plots) plot_scene(r, work, *o.plots);
  } catch (const StopRequested& e) {
    r["status"] = "abandoned";
    r["reason"] = e.what();
  } catch (const InternalError& e) {
    record_failure(r, "internal", e.context().stage,
                   std::string("internal error (please report): ") + e.what());
  } catch (const Error& e) {
    record_failure(r, "input", e.context().stage, e.what());
  } catch (const std::bad_alloc&) {
    record_failure(r, "out_of_memory", "", "out of memory (the scene needs more memory per rank)");
  } catch (const std::exception& e) {
    record_failure(r, "unexpected", "", std::string("unexpected: ") + e.what());
  }
  r["seconds"] = num(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return encode(r);
}

// ---- the plan (rank 0), broadcast to every rank ---------------------------------------
struct CampaignPlan {
  std::vector<SceneTask> todo;  // largest scenes first
  std::string error;            // rank 0 could not plan: every rank stops with this
};

std::string encode_plan(const CampaignPlan& plan) {
  if (!plan.error.empty()) return "E\t" + plan.error;
  std::string out;
  for (const auto& t : plan.todo) out += std::string(1, action_code(t.action)) + "\t" + t.path + "\n";
  return out;
}

CampaignPlan decode_plan(const std::string& text) {
  CampaignPlan plan;
  if (text.rfind("E\t", 0) == 0) {
    plan.error = text.substr(2);
    return plan;
  }
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.size() > 2)
      plan.todo.push_back({line.substr(2), action_of(line[0])});
  return plan;
}

// Rank 0's view of the campaign while it runs.
struct SceneRecord {
  std::string key;         // path relative to the root
  std::string provenance;  // this run's settings + the L1 files' identity
  SceneHistory history;
  SceneDecision decision;
};

std::string l2_settings_key(const Config& config, const CampaignOptions& o) {
  Config c = config;
  c.log_level.clear();  // what is logged does not change a product
  return hex_hash(config_to_ini(c) + "\n" + o.l2_description + "\nprofile=" + o.profile +
                   "\nformat=" + (o.format == io::FileFormat::cdf5 ? "cdf5" : "netcdf4") +
                   "\nunortho_export=" + (o.chain.unortho_export ? "1" : "0"));
}

// What detection was asked for ("" without it): its settings change the candidates.
std::string detection_settings(const CampaignOptions& o) {
  if (!o.detection) return "";
  const DetectOptions& d = *o.detection;
  std::string model = num(d.model.intercept, 9);
  for (double w : d.model.weights) model += " " + num(w, 9);
  return "\ndetect.gas=" + d.gas + "\ndetect.min_score=" + num(d.min_score, 9) + "\ndetect.wind=" + d.wind_source +
         "\ndetect.dist_max=" + num(d.dist_max, 9) + "\ndetect.model=" + model;
}

std::string l3_settings_key(const CampaignOptions& o) {
  if (!o.plumes) return "";
  const L3Options& p = *o.plumes;
  auto opt = [](const std::optional<double>& v) { return v ? num(*v, 9) : std::string("-"); };
  return hex_hash("gas=" + p.gas + "\nsector=" + p.ipcc_sector + "\nwind=" + p.wind_source +
                   "\nland_only=" + (p.land_only ? "1" : "0") +
                   "\nland_mask=" + std::to_string(static_cast<int>(p.land_mask)) +
                   "\nwspd=" + opt(p.wspd_manual) + "\nsp=" + opt(p.sp_manual) +
                   "\nazimuth_diff_max=" + num(p.azimuth_diff_max, 9) +
                   "\ndist_max=" + num(p.dist_max, 9) +
                   "\nlabel_max_distance=" + num(p.label_max_distance, 9) +
                   "\nmin_source_z=" + num(p.min_source_z, 9) + "\nprofile=" + p.profile +
                   "\nseed=" + std::to_string(p.seed) + "\nsite=" + p.site_name +
                   "\ngeocode_radius_km=" + num(p.geocode_radius_km, 9) +
                   "\nmarkers=" + p.markers + "\nmarkers_from=" + std::to_string(static_cast<int>(p.markers_from)) +
                   "\ngazetteer=" + (o.gazetteer ? "1" : "0") + detection_settings(o));
}

// ---- reports (rank 0), from the journal's state of every scene ------------------------
struct Reports {
  std::string summary =
      "scene,sensor,start_time,status,valid_pixels,pixels_above_3sigma,median_ppb,noise_ppb,max_"
      "ppb,output,plumes\n";
  std::string quarantine = "scene,status,attempts,stage,reason\n";
  std::string plume_failures = "scene,plume,reason\n";
  int failed_plumes = 0;
  std::vector<L4Source> l4_tables;
  std::vector<std::string> failed_lines;  // "<scene>: <status>: <reason>" for the log
};

std::string get(const Record& r, const char* k) {
  const auto it = r.find(k);
  return it == r.end() ? std::string{} : it->second;
}

void report_done(Reports& rep, const std::string& key, const Record& d, const std::string& root) {
  rep.summary += key + "," + get(d, "sensor") + "," + get(d, "start_time") + ",done," +
                 get(d, "valid_pixels") + "," + get(d, "pixels_above_3sigma") + "," +
                 get(d, "median") + "," + get(d, "noise") + "," + get(d, "max") + "," +
                 get(d, "output") + "," + get(d, "plumes") + "\n";
  std::vector<std::pair<int, std::string>> failed;  // (plume index, reason)
  for (const auto& [k, v] : d)
    if (k.starts_with("plume") && k.ends_with("_error")) failed.emplace_back(std::stoi(k.substr(5)), v);
  std::sort(failed.begin(), failed.end());
  for (const auto& [index, reason] : failed)
    rep.plume_failures +=
        csv_cell(key) + ",plume" + std::to_string(index) + "," + csv_cell(reason) + "\n";
  rep.failed_plumes += static_cast<int>(failed.size());
  std::istringstream tables(get(d, "l4_tables"));
  for (std::string table; std::getline(tables, table, '|');)
    rep.l4_tables.push_back(
        {fs::path(get(d, "output")).filename().string(), resolve_journal_path(table, root)});
}

void report_not_done(Reports& rep, CampaignResult& result, const SceneRecord& s) {
  const std::string& last = s.history.last;
  std::string status, reason, stage;
  int attempts = s.history.failures;
  if (s.decision.action == SceneAction::poison || last == "poison") {
    status = "poison";
    reason = s.decision.reason.empty() ? "started too often without finishing" : s.decision.reason;
    attempts = s.history.crashes;
    ++result.poison;
  } else if (last == "failed") {
    status = "failed";
    reason = get(s.history.failed, "reason");
    stage = get(s.history.failed, "stage");
    if (s.decision.action == SceneAction::gave_up)
      reason += " (failed " + std::to_string(s.history.failures) + " time(s): not retried until " +
                "its input or settings change)";
    ++result.failed;
  } else {  // interrupted, abandoned, or never started in an interrupted run
    status = "pending";
    reason = last == "abandoned" || last == "interrupted" ? "interrupted before it finished"
                                                          : "not processed yet";
    ++result.pending;
  }
  rep.summary += s.key + ",,," + status + ",,,,,,,\n";
  if (status != "pending") {
    rep.quarantine += s.key + "," + status + "," + std::to_string(attempts) + "," + stage + "," +
                      csv_cell(reason) + "\n";
    rep.failed_lines.push_back(s.key + ": " + status + ": " + reason);
  }
}

// ---- rank 0's bookkeeping: lock, journal, plan, events, reports -----------------------
class Bookkeeper {
 public:
  Bookkeeper(const CampaignOptions& o, std::string l2_key, std::string l3_key)
      : o_(o),
        out_dir_(o.out_dir.empty() ? fs::path(o.root) : fs::path(o.out_dir)),
        l2_key_(std::move(l2_key)),
        l3_key_(std::move(l3_key)) {}
  ~Bookkeeper() {
    if (heartbeat_.joinable()) {
      heartbeat_.request_stop();
      heartbeat_.join();
    }
  }

  CampaignPlan plan();
  void started(std::size_t i, int rank);
  void finished(std::size_t i, const std::string& text);
  void stopping();
  bool must_stop() const { return stop_requested() || !error_.empty(); }
  CampaignResult finish(const par::SchedulerStats& sched, int ranks);

 private:
  void lock_campaign();
  void append(Record e);
  void write_status();
  void guard(const std::function<void()>& f);
  Reports build_reports(CampaignResult& result) const;
  void write_campaign_maps() const;
  std::string report_text(const CampaignResult& result, const Reports& rep) const;

  const CampaignOptions& o_;
  fs::path out_dir_;
  std::string l2_key_, l3_key_;
  std::vector<std::unique_ptr<io::RunLock>> locks_;
  std::jthread heartbeat_;
  std::unique_ptr<Journal> journal_;
  std::vector<SceneRecord> scenes_;  // every granule, sorted by path
  std::vector<std::size_t> todo_;    // indices into scenes_, in hand-out order
  std::vector<std::string> skipped_entries_;
  std::vector<std::string> timing_rows_;
  std::set<std::size_t> running_;  // started, no result yet
  int verified_ = 0;
  std::size_t finished_ = 0, failures_ = 0;
  std::string error_;  // the first record that could not be written: the run stops
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_progress_ = t0_, last_status_ = t0_;
};

void Bookkeeper::lock_campaign() {
  constexpr double kStaleAfter = 600;  // s without a touch: the holder on another host is dead
  std::error_code ec;
  if (fs::exists(out_dir_, ec) && !fs::is_directory(out_dir_, ec))
    throw InputError("the campaign output directory (--out) is not a directory",
                     ErrorContext{out_dir_.string(), {}, {}});
  fs::create_directories(out_dir_, ec);
  if (ec)
    throw InputError("cannot create the campaign output directory: " + ec.message(),
                     ErrorContext{out_dir_.string(), {}, {}});
  std::vector<fs::path> dirs{out_dir_};
  if (!fs::equivalent(out_dir_, o_.root, ec)) dirs.push_back(o_.root);  // products go there
  for (const auto& d : dirs)
    locks_.push_back(std::make_unique<io::RunLock>(d / "hyperplume.lock", kStaleAfter));
  heartbeat_ = std::jthread([this](std::stop_token stop) {
    for (int s = 0; !stop.stop_requested(); ++s) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      if (s % 60 == 59)
        for (const auto& l : locks_) l->touch();
    }
  });
}

CampaignPlan Bookkeeper::plan() {
  if (o_.root.empty()) throw InputError("--root is empty: give the L1 campaign root");
  const sensor::L1Discovery found = sensor::discover_l1_granules(o_.root);  // InputError: not a directory
  const auto& granules = found.granules;
  for (const auto& e : found.skipped)
    skipped_entries_.push_back(journal_path(e.path, o_.root) + ": " + e.reason);
  if (granules.empty())
    throw InputError("no L1 granules found (" + sensor::granule_patterns() + ")",
                     ErrorContext{o_.root, {}, {}});
  lock_campaign();
  const std::string journal_file = (out_dir_ / "hyperplume_journal.jsonl").string();
  std::error_code ec;
  if (fs::exists(journal_file, ec) && !fs::is_regular_file(journal_file, ec))
    throw InputError("the campaign journal is not a regular file", ErrorContext{journal_file, {}, {}});
  repair_journal_tail(journal_file);
  const std::vector<Record> events = o_.resume ? read_journal_events(journal_file) : std::vector<Record>{};
  std::map<std::string, std::vector<const Record*>> by_scene;
  for (const auto& e : events) by_scene[e.at("scene")].push_back(&e);
  journal_ = std::make_unique<Journal>(journal_file);

  PlanInputs in{o_.root,  o_.resume, o_.keep_existing, o_.plumes.has_value(), o_.max_attempts,
                l2_key_, l3_key_,   o_.passes,        o_.reprocess};
  std::map<std::string, int> reasons;
  CampaignPlan plan;
  for (const auto& g : granules) {
    SceneRecord s;
    s.key = journal_path(g.path, o_.root);
    s.provenance = hex_hash(l2_key_ + "\n" + identities_text(sensor::granule_files(g.path), o_.root));
    s.history = scene_history(by_scene[s.key], s.provenance);
    const std::string l2 = l2_path_for(g.path);
    const std::string markers = o_.plumes ? markers_checksum(l2, *o_.plumes) : "";
    // Only a reprocessing run compares the L3 files with those the last pass made.
    const std::string l3_now =
        o_.reprocess && s.history.last == "done" ? identities_text(l3_files_of(l2), o_.root) : "";
    s.decision = decide_scene(s.history, in, s.provenance, markers, l3_now);
    const SceneAction a = s.decision.action;
    if (a == SceneAction::skip) ++verified_;
    if (a == SceneAction::poison && s.history.last != "poison")
      journal_->append({{"event", "poison"}, {"scene", s.key}, {"provenance", s.provenance},
                        {"attempts", std::to_string(s.history.crashes)}});
    if (a == SceneAction::full || a == SceneAction::plumes_only || a == SceneAction::later_pass ||
        a == SceneAction::plumes_and_later_pass) {
      todo_.push_back(scenes_.size());
      if (!s.decision.reason.empty()) {
        ++reasons[s.decision.reason.starts_with("input changed") ? "input changed" : s.decision.reason];
        log::info("run: ", s.key, ": ",
                  a == SceneAction::plumes_only ? "L3/L4 again"
                  : a == SceneAction::full      ? "again"
                                                : "later pass",
                  ": ", s.decision.reason);
      }
    }
    scenes_.push_back(std::move(s));
  }
  // Largest scenes first (ties by path): a campaign of uneven scenes ends evenly.
  std::vector<std::uintmax_t> size(scenes_.size(), 0);
  for (std::size_t i : todo_) {
    const auto n = fs::file_size(resolve_journal_path(scenes_[i].key, o_.root), ec);
    size[i] = ec ? 0 : n;
  }
  std::stable_sort(todo_.begin(), todo_.end(), [&](std::size_t a, std::size_t b) {
    const auto sa = size[a], sb = size[b];
    return sa != sb ? sa > sb : a < b;
  });
  for (std::size_t i : todo_)
    plan.todo.push_back({resolve_journal_path(scenes_[i].key, o_.root), scenes_[i].decision.action});
  std::string why;
  for (const auto& [r, n] : reasons) why += (why.empty() ? " (" : "; ") + std::to_string(n) + " " + r;
  log::info("run: ", scenes_.size(), " scene(s): ", todo_.size(), " to process", why.empty() ? "" : why + ")",
            ", ", verified_, " done and verified", o_.keep_existing ? " (kept as they are)" : "");
  return plan;
}

void Bookkeeper::guard(const std::function<void()>& f) {
  if (!error_.empty()) return;  // already stopping: nothing more can be recorded
  try {
    f();
  } catch (const Error& e) {
    error_ = e.what();
    log::error("run: ", error_, "; stopping: no further scene is handed out");
  }
}

void Bookkeeper::append(Record e) {
  guard([&] { journal_->append(e); });
}

void Bookkeeper::started(std::size_t i, int rank) {
  running_.insert(i);
  const SceneRecord& s = scenes_[todo_[i]];
  append({{"event", "started"}, {"scene", s.key}, {"provenance", s.provenance},
          {"rank", std::to_string(rank)},
          {"attempt", std::to_string(s.history.failures + s.history.crashes + 1)}});
}

void Bookkeeper::stopping() {
  // Scenes in flight are marked at once: if the job is killed before they end, none of
  // them counts an attempt against it.
  const int sig = stop_signal();
  const std::string why = sig ? std::string(signal_name(sig)) : error_;
  log::warn("run: stopping (", why, "): no further scene is handed out; running scenes get ",
            num(o_.grace_seconds, 0), " s to finish");
  for (std::size_t i : running_) {
    const SceneRecord& s = scenes_[todo_[i]];
    append({{"event", "interrupted"}, {"scene", s.key}, {"provenance", s.provenance}, {"reason", why}});
  }
}

void Bookkeeper::finished(std::size_t i, const std::string& text) {
  running_.erase(i);
  SceneRecord& s = scenes_[todo_[i]];
  Record r = decode(text);
  const std::string status = get(r, "status");
  Record e;
  if (status == "done" && s.decision.action != SceneAction::full) {
    e = s.history.done;  // the L2's inputs are the ones recorded; its plumes (and L2) are new
    if (r.count("plumes")) std::erase_if(e, [](const auto& kv) { return kv.first.starts_with("plume"); });
  }
  for (const auto& [k, v] : r)
    if (k != "stage_times" && k != "seconds") e[k] = v;
  e["scene"] = s.key;
  e["provenance"] = s.provenance;
  e["event"] = status == "done" ? "done" : status == "abandoned" ? "abandoned" : "failed";
  e.erase("status");
  if (status == "done") {
    e["l2_settings"] = l2_key_;
    if (o_.plumes) e["l3_settings"] = l3_key_;
  }
  append(e);
  s.history.last = e["event"];
  if (status == "done") s.history.done = e;
  if (e["event"] == "failed") {
    ++s.history.failures;
    s.history.failed = e;
    ++failures_;
  }
  ++finished_;
  timing_rows_.push_back(s.key + "," + get(r, "seconds") + ",\"" + get(r, "stage_times") + "\"");
  write_status();
}

void Bookkeeper::write_status() {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - t0_).count();
  const double rate = static_cast<double>(finished_) / std::max(elapsed, 1e-9) * 3600.0;
  const double eta = static_cast<double>(todo_.size() - finished_) / std::max(rate / 3600.0, 1e-9);
  // After the first scene, at most once a second, and at the end: a status file is for
  // people and monitors, and rewriting it costs rank 0 milliseconds per scene on a busy node.
  if (finished_ == 1 || finished_ == todo_.size() ||
      std::chrono::duration<double>(now - last_status_).count() >= 1.0) {
    last_status_ = now;
    guard([&] {
      io::write_text_atomically((out_dir_ / "campaign_status.json").string(),
                                "{\"total\": " + std::to_string(scenes_.size()) +
                                    ", \"to_process\": " + std::to_string(todo_.size()) +
                                    ", \"finished\": " + std::to_string(finished_) +
                                    ", \"failed\": " + std::to_string(failures_) +
                                    ", \"scenes_per_hour\": " + num(rate, 1) +
                                    ", \"eta_seconds\": " + num(eta, 0) + "}\n");
    });
  }
  if (std::chrono::duration<double>(now - last_progress_).count() >= o_.progress_interval ||
      finished_ == todo_.size()) {
    last_progress_ = now;
    std::printf("progress: %zu/%zu scenes, %zu failed, %.1f scenes/h, ETA %.0f s\n", finished_,
                todo_.size(), failures_, rate, eta);
    std::fflush(stdout);
  }
}

// Rank 0 at the end: a map page per directory of done scenes (from the PNGs the workers
// wrote) and the campaign index.
void Bookkeeper::write_campaign_maps() const {
  std::map<std::string, std::vector<std::string>> by_directory;
  for (const SceneRecord& s : scenes_)
    if (s.history.last == "done") {
      const std::string l2 = resolve_journal_path(get(s.history.done, "output"), o_.root);
      if (fs::exists(l2_map_path(l2, false))) by_directory[fs::path(l2).parent_path().string()].push_back(l2);
    }
  for (auto& [dir, files] : by_directory) {
    std::sort(files.begin(), files.end());
    try {
      std::vector<viz::MapScene> maps;
      for (const auto& l2 : files) maps.push_back(plot_l2(l2, *o_.plots, QuicklookSource::files));
      write_directory_maps(dir, maps, *o_.plots);
    } catch (const Error& e) {
      log::error("run: the map of ", dir, " cannot be written: ", e.what());
    }
  }
  try {
    log::info("run: campaign index ", write_campaign_index(out_dir_.string(), o_.root));
  } catch (const Error& e) {
    log::error("run: the campaign index cannot be written: ", e.what());
  }
}

Reports Bookkeeper::build_reports(CampaignResult& result) const {
  Reports rep;
  for (const SceneRecord& s : scenes_) {
    if (s.history.last == "done") {
      ++result.done;
      report_done(rep, s.key, s.history.done, o_.root);
    } else {
      report_not_done(rep, result, s);
    }
  }
  return rep;
}

std::string Bookkeeper::report_text(const CampaignResult& result, const Reports& rep) const {
  std::ostringstream report;
  report << "HyperPlume campaign report\nroot: " << fs::absolute(o_.root).string()
         << "\nscenes: " << result.total << "\ndone: " << result.done << " (of which "
         << result.skipped << " verified from earlier runs)\nfailed: " << result.failed
         << "\npoison: " << result.poison;
  if (result.pending) report << "\npending: " << result.pending;
  if (!skipped_entries_.empty()) {
    report << "\nskipped in the tree walk: " << skipped_entries_.size();
    for (const auto& e : skipped_entries_) report << "\n  " << e;
  }
  if (o_.plumes)
    report << "\nplumes (L4 rows): " << rep.l4_tables.size()
           << "\nplume failures: " << rep.failed_plumes;
  report << "\nstatus: ";
  if (!result.stopped_by.empty())
    report << "stopped (" << result.stopped_by << "): resubmit the same job to continue";
  else
    report << (result.completed_with_failures() ? "completed with failures" : "completed");
  return report.str() + "\n";
}

CampaignResult Bookkeeper::finish(const par::SchedulerStats& sched, int ranks) {
  CampaignResult result;
  result.total = static_cast<int>(scenes_.size());
  result.skipped = verified_;
  if (stop_requested()) result.stopped_by = signal_name(stop_signal());
  if (!error_.empty()) result.stopped_by = error_;
  result.interrupted = stop_requested() && error_.empty();
  const Reports rep = build_reports(result);
  for (const auto& line : rep.failed_lines) log::warn("run: ", line);
  const std::string report = report_text(result, rep);
  std::vector<std::string> timings = timing_rows_;
  std::sort(timings.begin(), timings.end());
  std::string timing_csv = "scene,seconds,stage_times\n";
  for (const auto& t : timings) timing_csv += t + "\n";
  try {  // the report is still written when the disk allows it
    io::write_text_atomically((out_dir_ / "campaign_summary.csv").string(), rep.summary);
    io::write_text_atomically((out_dir_ / "quarantine.csv").string(), rep.quarantine);
    if (o_.plumes) {
      merge_l4_tables(rep.l4_tables, (out_dir_ / "hyperplume_l4.csv").string());
      io::write_text_atomically((out_dir_ / "plume_failures.csv").string(), rep.plume_failures);
    }
    io::write_text_atomically((out_dir_ / "campaign_timings.csv").string(), timing_csv);
    io::write_text_atomically((out_dir_ / "campaign_report.txt").string(), report);
  } catch (const Error& e) {
    log::error("run: the campaign reports cannot be written: ", e.what());
    if (result.stopped_by.empty()) result.stopped_by = e.what();
  }
  if (o_.plots) write_campaign_maps();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  std::printf("%swall time %.1f s, %.1f scenes/h over %d rank(s); scheduler %.2f ms per scene "
              "handed out (%zu)\n",
              report.c_str(), elapsed,
              finished_ ? static_cast<double>(finished_) / elapsed * 3600.0 : 0.0, ranks,
              sched.per_scene_ms(), sched.scenes);
  std::fflush(stdout);
  return result;
}

// How a campaign ended, the same on every rank.
std::int64_t outcome_code(const CampaignResult& r) {
  return (r.completed_with_failures() ? 1 : 0) | (r.interrupted ? 2 : 0) |
         (!r.stopped_by.empty() && !r.interrupted ? 4 : 0);
}
}  // namespace

CampaignResult run_campaign(const par::Comm& comm, const Config& config, const Resources& res,
                            const CampaignOptions& o) {
  std::optional<Bookkeeper> books;
  std::string plan_text;
  if (comm.is_root()) {
    books.emplace(o, l2_settings_key(config, o), l3_settings_key(o));
    try {
      plan_text = encode_plan(books->plan());
    } catch (const Error& e) {
      plan_text = encode_plan({{}, e.what()});
    } catch (const std::exception& e) {
      plan_text = encode_plan({{}, std::string("cannot plan the campaign: ") + e.what()});
    }
  }
  // Rank 0 alone walks the tree and reads the journal; every rank works from its plan, so a
  // file appearing during start-up cannot make ranks disagree on what scene i is.
  comm.broadcast(plan_text, 0);
  const CampaignPlan plan = decode_plan(plan_text);
  if (!plan.error.empty()) {
    if (comm.is_root()) throw InputError(plan.error);
    CampaignResult aborted;
    aborted.stopped_by = plan.error;
    return aborted;
  }

  par::SchedulerEvents events;
  if (books) {
    events.on_start = [&](std::size_t i, int rank) { books->started(i, rank); };
    events.on_result = [&](std::size_t i, const std::string& text) { books->finished(i, text); };
    events.should_stop = [&] { return books->must_stop(); };
    events.on_stop = [&] { books->stopping(); };
  }
  const Chains chains = make_chains(o);
  const int per_scene = std::max(1, o.ranks_per_scene);
  par::Comm group = comm.split(comm.rank() / per_scene, comm.rank());
  const par::Comm* scene_group = per_scene > 1 ? &group : nullptr;
  par::SchedulerStats sched;
  par::schedule(
      comm, plan.todo.size(),
      [&](std::size_t i) { return process_scene(chains, plan.todo[i], config, res, o, scene_group); },
      events, !o.scheduler_only, &sched, scene_group, o.format == io::FileFormat::cdf5);
  group.free();

  CampaignResult result;
  if (books) result = books->finish(sched, comm.size());
  std::int64_t code = books ? outcome_code(result) : 0;
  comm.broadcast(code, 0);  // every rank ends the same way
  if (!books) {
    result.failed = code & 1;
    result.interrupted = (code & 2) != 0;
    if (code & 4) result.stopped_by = "see rank 0";
  }
  return result;
}

}  // namespace hyperplume::pipeline
