#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/pipeline/campaign.hpp>
#include <hyperplume/pipeline/campaign_plan.hpp>
#include <sstream>

namespace hyperplume::pipeline {

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

namespace fs = std::filesystem;

std::string file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "absent";
  return std::to_string(static_cast<long long>(st.st_size)) + ":" +
         std::to_string(static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL +
                        st.st_mtim.tv_nsec);
}

std::string journal_path(const std::string& path, const std::string& root) {
  if (path.empty()) return path;
  const fs::path abs = io::canonical_path(path);
  const fs::path rel = abs.lexically_relative(io::canonical_path(root));
  if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return abs.string();
}

std::string resolve_journal_path(const std::string& stored, const std::string& root) {
  if (stored.empty() || fs::path(stored).is_absolute()) return stored;
  return (fs::path(root) / stored).string();
}

std::string identities_text(const std::vector<std::string>& paths, const std::string& root) {
  std::string out;
  for (const auto& p : paths)
    out += (out.empty() ? "" : "|") + journal_path(p, root) + "=" + file_identity(p);
  return out;
}

std::string first_changed_input(const std::string& identities, const std::string& root) {
  std::istringstream in(identities);
  for (std::string item; std::getline(in, item, '|');) {
    const auto eq = item.rfind('=');
    if (eq == std::string::npos) continue;
    const std::string stored = item.substr(0, eq);
    if (file_identity(resolve_journal_path(stored, root)) != item.substr(eq + 1)) return stored;
  }
  return "";
}

SceneHistory scene_history(const std::vector<const Record*>& events, const std::string& provenance) {
  SceneHistory h;
  bool running = false;  // a "started" of this provenance not yet ended
  for (const Record* e : events) {
    const std::string& kind = e->at("event");
    h.last = kind;
    if (kind == "done") h.done = *e;
    const auto p = e->find("provenance");
    if (p == e->end() || p->second != provenance) {  // other inputs or settings: not counted
      running = false;
      continue;
    }
    if (kind == "started") {
      if (running) ++h.crashes;  // started again without having ended: its job died
      running = true;
    } else if (kind == "done") {
      running = false;
      h.crashes = h.failures = 0;
    } else if (kind == "failed") {
      running = false;
      ++h.failures;
      h.failed = *e;
    } else if (kind != "poison") {  // interrupted, abandoned: a stop, not the scene's fault
      running = false;
    }
  }
  if (running) ++h.crashes;
  return h;
}

namespace {
std::string get(const Record& r, const char* key) {
  const auto it = r.find(key);
  return it == r.end() ? std::string{} : it->second;
}

// Why a done scene's L2 must be made again ("" when it is current).
std::string stale_l2(const Record& done, const PlanInputs& in, const std::string& provenance) {
  const std::string output = resolve_journal_path(get(done, "output"), in.root);
  if (output.empty() || file_checksum(output) != get(done, "checksum"))
    return "its L2 file is missing or was modified";
  if (in.keep_existing) return "";
  if (get(done, "l2_settings") != in.l2_settings) return "the retrieval settings changed";
  if (const std::string f = first_changed_input(get(done, "l1_inputs"), in.root); !f.empty())
    return "input changed: " + f;
  if (const std::string f = first_changed_input(get(done, "ancillary_inputs"), in.root); !f.empty())
    return "input changed: " + f;
  if (get(done, "provenance") != provenance) return "its inputs changed";
  return "";
}

// Why a done scene's L3/L4 must be made again ("" when current or not asked for).
std::string stale_plumes(const Record& done, const PlanInputs& in, const std::string& markers) {
  if (!in.plumes) return "";
  std::istringstream tables(get(done, "l4_tables"));
  for (std::string t; std::getline(tables, t, '|');)
    if (!fs::exists(resolve_journal_path(t, in.root))) return "an L4 table is missing: " + t;
  if (in.keep_existing) return "";
  if (!done.count("l3_settings")) return "its L3/L4 was not made";
  if (get(done, "l3_settings") != in.l3_settings) return "the plume settings changed";
  if (get(done, "markers_checksum") != markers) return "its markers changed";
  return "";
}
}  // namespace

namespace {
// Why a done scene needs its later pass ("" when it has it, or none is asked for).
std::string missing_later_pass(const Record& done, const PlanInputs& in, const std::string& l3_now) {
  if (!in.plumes) return "";
  const std::string passes = get(done, "passes");
  const int made = passes.empty() ? 1 : std::atoi(passes.c_str());  // records before passes: one
  if (in.reprocess) {
    if (made < 2) return "reprocessing: its L2 has not been made without its plumes";
    if (get(done, "l3_identities") != l3_now) return "reprocessing: its L3 plume files changed";
    return "";
  }
  if (made < in.passes) return "its second pass is missing";
  return "";
}
}  // namespace

SceneDecision decide_scene(const SceneHistory& h, const PlanInputs& in,
                           const std::string& provenance, const std::string& markers,
                           const std::string& l3_now) {
  if (!in.resume) return {SceneAction::full, ""};
  if (h.last == "done") {
    if (std::string why = stale_l2(h.done, in, provenance); !why.empty())
      return {SceneAction::full, why};
    if (std::string why = stale_plumes(h.done, in, markers); !why.empty()) {
      // With two passes the L2 depends on the plumes too: made again from its first pass;
      // reprocessing picks the new plumes on the L2 as it is, then makes the L2 without them.
      if (in.reprocess) return {SceneAction::plumes_and_later_pass, why};
      return {in.passes > 1 ? SceneAction::full : SceneAction::plumes_only, why};
    }
    if (std::string why = missing_later_pass(h.done, in, l3_now); !why.empty())
      return {SceneAction::later_pass, why};
    return {SceneAction::skip, ""};
  }
  if (h.crashes >= in.max_attempts)
    return {SceneAction::poison, "started " + std::to_string(h.crashes) +
                                     " times without finishing (it killed its job)"};
  if (h.failures >= in.max_attempts) return {SceneAction::gave_up, get(h.failed, "reason")};
  // A broken invariant is a bug, not bad input: running it again gives the same failure.
  if (get(h.failed, "kind") == "internal") return {SceneAction::gave_up, get(h.failed, "reason")};
  if (h.failures > 0)
    return {SceneAction::full, "retrying after " + std::to_string(h.failures) + " failure(s)"};
  if (h.crashes > 0) return {SceneAction::full, "retrying after its job died under it"};
  if (h.last.empty()) return {SceneAction::full, ""};
  return {SceneAction::full, "unfinished, or its inputs or settings changed"};
}

}  // namespace hyperplume::pipeline
