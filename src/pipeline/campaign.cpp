#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/l1_discovery.hpp>
#include <hyperplume/par/scheduler.hpp>
#include <hyperplume/pipeline/campaign.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>
#include <iostream>
#include <map>
#include <sstream>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

std::string file_checksum(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::uint64_t h = 0xcbf29ce484222325ull;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      h ^= static_cast<unsigned char>(buf[static_cast<std::size_t>(i)]);
      h *= 0x100000001b3ull;
    }
  }
  char out[20];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

namespace {
// ---- tiny record formats -----------------------------------------------------------
// Worker -> rank 0: "key\tvalue" lines. Journal: one flat JSON object per line.
using Record = std::map<std::string, std::string>;

std::string clean(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string encode(const Record& r) {
  std::string out;
  for (const auto& [k, v] : r) out += k + "\t" + clean(v) + "\n";
  return out;
}

Record decode(const std::string& text) {
  Record r;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) r[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return r;
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n' || c == '\t') c = ' ';
    out += c;
  }
  return out;
}

std::string to_json(const Record& r) {
  std::string out = "{";
  for (const auto& [k, v] : r)
    out += (out.size() > 1 ? ", " : "") + ("\"" + k + "\": \"" + json_escape(v) + "\"");
  return out + "}";
}

Record from_json(const std::string& line) {
  Record r;
  std::size_t i = 0;
  auto read_string = [&](std::string& s) {
    if (i >= line.size() || line[i] != '"') return false;
    ++i;
    while (i < line.size() && line[i] != '"') {
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      s += line[i++];
    }
    ++i;
    return true;
  };
  while (i < line.size()) {
    while (i < line.size() && line[i] != '"') ++i;
    std::string k, v;
    if (!read_string(k)) break;
    while (i < line.size() && line[i] != '"') ++i;
    if (!read_string(v)) break;
    r[k] = v;
  }
  return r;
}

// ---- per-scene work ---------------------------------------------------------------
std::string num(double v, int precision = 3) {
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", precision, v);
  return b;
}

// Fault injection for the reliability tests: HYPERPLUME_FAULT_INJECT=abort:<text> kills the
// process (as a segfault would) when it starts a scene whose path contains <text>.
void maybe_inject_fault(const std::string& rad) {
  const char* spec = std::getenv("HYPERPLUME_FAULT_INJECT");
  if (!spec) return;
  const std::string s = spec;
  if (s.rfind("abort:", 0) == 0 && rad.find(s.substr(6)) != std::string::npos) std::abort();
}

std::string process_scene(const std::vector<Stage>& chain, const std::string& rad,
                          const Config& config, const Resources& res, const CampaignOptions& o,
                          const par::Comm* group) {
  maybe_inject_fault(rad);
  Record r;
  const std::string out = l2_path_for(rad);
  const auto t0 = std::chrono::steady_clock::now();
  SceneWork work;
  work.l1_path = rad;
  work.l2_path = out;
  work.l2 = o.l2;
  work.write = L2WriteInfo{o.profile, "campaign run", o.format};
  work.l2.group = group;
  const bool leader = !group || group->rank() == 0;  // in a scene group the leader reports
  try {
    run_chain(chain, work, config, res);
    if (!leader) return {};
    const L2Product& p = *work.product;
    r["status"] = "done";
    r["output"] = out;
    r["checksum"] = file_checksum(out);
    r["sensor"] = p.scene.sensor.instrument;
    r["start_time"] = p.scene.start_time.iso8601();
    const std::string gas = o.l2.species.front();
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
    if (work.plumes) {
      int made = 0;
      std::string tables;  // the L4 CSVs to merge, '|'-separated
      for (const auto& pl : work.plumes->plumes)
        if (pl.error.empty()) {
          ++made;
          tables += (tables.empty() ? "" : "|") + pl.csv_path;
        } else {
          r["plume" + std::to_string(pl.index) + "_error"] = pl.error;
        }
      r["plumes"] = std::to_string(made);
      r["l4_tables"] = tables;
    }
  } catch (const Error& e) {
    r["status"] = "failed";
    r["stage"] = e.context().stage;
    r["reason"] = e.what();
  } catch (const std::exception& e) {
    r["status"] = "failed";
    r["reason"] = std::string("unexpected: ") + e.what();
  }
  r["seconds"] = num(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return encode(r);
}

// ---- journal and plan (rank 0) ----------------------------------------------------
struct SceneState {
  int attempts = 0;  // "started" events
  std::string last;  // started | done | failed
  Record done;       // the last "done" event
  Record failed;     // the last "failed" event
};

std::map<std::string, SceneState> read_journal(const std::string& path) {
  std::map<std::string, SceneState> states;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const Record e = from_json(line);
    if (!e.count("scene") || !e.count("event")) continue;  // a torn last line after a kill
    SceneState& s = states[e.at("scene")];
    s.last = e.at("event");
    if (s.last == "started") ++s.attempts;
    if (s.last == "done") s.done = e;
    if (s.last == "failed") s.failed = e;
  }
  return states;
}

class Journal {
 public:
  explicit Journal(const std::string& path) : f_(std::fopen(path.c_str(), "a")) {
    if (!f_)
      throw InputError("cannot open the campaign journal for appending",
                       ErrorContext{path, {}, {}});
  }
  ~Journal() { std::fclose(f_); }
  void append(Record r) {
    std::fputs((to_json(r) + "\n").c_str(), f_);
    std::fflush(f_);  // a killed job loses nothing already recorded
  }

 private:
  std::FILE* f_;
};

}  // namespace

CampaignResult run_campaign(const par::Comm& comm, const Config& config, const Resources& res,
                            const CampaignOptions& o) {
  const bool root_rank = comm.is_root();
  const fs::path out_dir = o.out_dir.empty() ? fs::path(o.root) : fs::path(o.out_dir);
  const std::string journal_path = (out_dir / "hyperplume_journal.jsonl").string();

  // Rank 0 plans; every rank learns the plan (the list of scene paths) by walking the same
  // tree and reading the same journal, so nothing needs broadcasting.
  const auto granules = io::find_l1_granules(o.root);
  std::map<std::string, SceneState> states =
      o.resume ? read_journal(journal_path) : std::map<std::string, SceneState>{};
  auto key_of = [&](const std::string& p) { return fs::relative(p, o.root).string(); };
  std::vector<std::string> todo;
  CampaignResult result;
  result.total = static_cast<int>(granules.size());
  std::vector<std::string> poison;
  for (const auto& g : granules) {
    const std::string key = key_of(g.path);
    const SceneState& s = states[key];
    if (o.resume && s.last == "done" && !s.done.empty() &&
        file_checksum(s.done.at("output")) == s.done.at("checksum")) {
      ++result.skipped;  // done and verified
      continue;
    }
    if (o.resume && s.attempts >= o.max_attempts) {
      poison.push_back(key);  // started (or failed) max_attempts times: never again
      continue;
    }
    todo.push_back(g.path);
  }
  // Largest scenes first (ties by path): a campaign of uneven scenes ends evenly.
  std::stable_sort(todo.begin(), todo.end(), [](const std::string& a, const std::string& b) {
    const auto sa = fs::file_size(a), sb = fs::file_size(b);
    return sa != sb ? sa > sb : a < b;
  });

  std::unique_ptr<Journal> journal;
  if (root_rank) {
    fs::create_directories(out_dir);
    journal = std::make_unique<Journal>(journal_path);
    for (const auto& k : poison) {
      const SceneState& s = states[k];
      if (s.last != "poison")
        journal->append(
            {{"event", "poison"}, {"scene", k}, {"attempts", std::to_string(s.attempts)}});
      states[k].last = "poison";
    }
    log::info("run: ", granules.size(), " scene(s): ", todo.size(), " to process, ", result.skipped,
              " done and verified, ", poison.size(), " quarantined as poison");
  }

  const auto t0 = std::chrono::steady_clock::now();
  auto last_progress = t0, last_status = t0;
  std::size_t finished = 0, failures = 0;
  std::vector<std::string> timing_rows;
  par::SchedulerEvents events;
  events.on_start = [&](std::size_t i, int rank) {
    journal->append({{"event", "started"},
                     {"scene", key_of(todo[i])},
                     {"rank", std::to_string(rank)},
                     {"attempt", std::to_string(states[key_of(todo[i])].attempts + 1)}});
  };
  events.on_result = [&](std::size_t i, const std::string& text) {
    Record r = decode(text);
    const std::string key = key_of(todo[i]);
    ++finished;
    Record e = r;
    e.erase("stage_times");
    e.erase("seconds");
    e["scene"] = key;
    e["event"] = r["status"] == "done" ? "done" : "failed";
    if (e["event"] == "failed") ++failures;
    journal->append(e);
    SceneState& s = states[key];
    s.last = e["event"];
    (s.last == "done" ? s.done : s.failed) = e;
    timing_rows.push_back(key + "," + r["seconds"] + ",\"" + r["stage_times"] + "\"");
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double rate = static_cast<double>(finished) / std::max(elapsed, 1e-9) * 3600.0;
    const double eta = static_cast<double>(todo.size() - finished) / std::max(rate / 3600.0, 1e-9);
    const auto now = std::chrono::steady_clock::now();
    // After the first scene, at most once a second, and at the end: a status file is for
    // people and monitors, and rewriting it costs rank 0 milliseconds per scene on a busy node.
    if (finished == 1 || finished == todo.size() ||
        std::chrono::duration<double>(now - last_status).count() >= 1.0) {
      last_status = now;
      io::write_text_atomically((out_dir / "campaign_status.json").string(),
                                "{\"total\": " + std::to_string(granules.size()) +
                                    ", \"to_process\": " + std::to_string(todo.size()) +
                                    ", \"finished\": " + std::to_string(finished) +
                                    ", \"failed\": " + std::to_string(failures) +
                                    ", \"scenes_per_hour\": " + num(rate, 1) +
                                    ", \"eta_seconds\": " + num(eta, 0) + "}\n");
    }
    if (std::chrono::duration<double>(now - last_progress).count() >= o.progress_interval ||
        finished == todo.size()) {
      last_progress = now;
      std::printf("progress: %zu/%zu scenes, %zu failed, %.1f scenes/h, ETA %.0f s\n", finished,
                  todo.size(), failures, rate, eta);
      std::fflush(stdout);
    }
  };
  par::SchedulerStats sched;
  std::vector<Stage> chain = l2_chain(o.chain);
  if (o.plumes) chain.push_back(l3_stage(*o.plumes, o.gazetteer));
  const int per_scene = std::max(1, o.ranks_per_scene);
  par::Comm group = comm.split(comm.rank() / per_scene, comm.rank());
  const par::Comm* scene_group = per_scene > 1 ? &group : nullptr;
  par::schedule(
      comm, todo.size(),
      [&](std::size_t i) { return process_scene(chain, todo[i], config, res, o, scene_group); },
      events, !o.scheduler_only, &sched, scene_group);
  group.free();
  if (!root_rank) return result;

  // Reports from the journal's state of every scene: deterministic whatever ran where.
  std::string csv =
      "scene,sensor,start_time,status,valid_pixels,pixels_above_3sigma,median_ppb,noise_ppb,max_"
      "ppb,output,plumes\n";
  std::string plume_failures = "scene,plume,reason\n";
  int failed_plumes = 0;
  std::vector<L4Source> l4_tables;
  std::string quarantine = "scene,status,attempts,stage,reason\n";
  for (const auto& g : granules) {
    const std::string key = key_of(g.path);
    const SceneState& s = states[key];
    if (s.last == "done") {
      ++result.done;
      const Record& d = s.done;
      auto get = [&](const char* k) { return d.count(k) ? d.at(k) : std::string{}; };
      csv += key + "," + get("sensor") + "," + get("start_time") + ",done," + get("valid_pixels") +
             "," + get("pixels_above_3sigma") + "," + get("median") + "," + get("noise") + "," +
             get("max") + "," + key_of(get("output")) + "," + get("plumes") + "\n";
      std::vector<std::pair<int, std::string>> failed;  // (plume index, reason)
      for (const auto& [k, v] : d)
        if (k.starts_with("plume") && k.ends_with("_error")) failed.emplace_back(std::stoi(k.substr(5)), v);
      std::sort(failed.begin(), failed.end());
      for (const auto& [index, reason] : failed)
        plume_failures += csv_cell(key) + ",plume" + std::to_string(index) + "," + csv_cell(reason) + "\n";
      failed_plumes += static_cast<int>(failed.size());
      std::istringstream tables(get("l4_tables"));
      for (std::string table; std::getline(tables, table, '|');)
        l4_tables.push_back({fs::path(get("output")).filename().string(), table});
    } else {
      const bool is_poison = s.last == "poison";
      is_poison ? ++result.poison : ++result.failed;
      const std::string reason =
          is_poison ? "started " + std::to_string(s.attempts) + " times without finishing (poison)"
                    : (s.failed.count("reason") ? s.failed.at("reason") : "never finished");
      csv += key + ",,," + (is_poison ? "poison" : "failed") + ",,,,,,,\n";
      quarantine += key + "," + (is_poison ? "poison" : "failed") + "," +
                    std::to_string(s.attempts) + "," +
                    (s.failed.count("stage") ? s.failed.at("stage") : "") + "," + csv_cell(reason) + "\n";
    }
  }
  io::write_text_atomically((out_dir / "campaign_summary.csv").string(), csv);
  io::write_text_atomically((out_dir / "quarantine.csv").string(), quarantine);
  if (o.plumes) {
    merge_l4_tables(l4_tables, (out_dir / "hyperplume_l4.csv").string());
    io::write_text_atomically((out_dir / "plume_failures.csv").string(), plume_failures);
  }
  std::sort(timing_rows.begin(), timing_rows.end());
  std::string timings = "scene,seconds,stage_times\n";
  for (const auto& t : timing_rows) timings += t + "\n";
  io::write_text_atomically((out_dir / "campaign_timings.csv").string(), timings);
  std::ostringstream report;
  report << "HyperPlume campaign report\nroot: " << fs::absolute(o.root).string()
         << "\nscenes: " << result.total << "\ndone: " << result.done << " (of which "
         << result.skipped << " verified from earlier runs)\nfailed: " << result.failed
         << "\npoison: " << result.poison;
  if (o.plumes)
    report << "\nplumes (L4 rows): " << l4_tables.size() << "\nplume failures: "
           << failed_plumes;
  report << "\nstatus: "
         << (result.completed_with_failures() ? "completed with failures" : "completed") << "\n";
  io::write_text_atomically((out_dir / "campaign_report.txt").string(), report.str());
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "%s\nwall time %.1f s, %.1f scenes/h over %d rank(s); scheduler %.2f ms per scene handed "
      "out (%zu)\n",
      report.str().c_str(), elapsed,
      todo.empty() ? 0.0 : static_cast<double>(todo.size()) / elapsed * 3600.0, comm.size(),
      sched.per_scene_ms(), sched.scenes);
  return result;
}

}  // namespace hyperplume::pipeline
