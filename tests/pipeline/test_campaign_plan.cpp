#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/pipeline/campaign.hpp>
#include <hyperplume/pipeline/campaign_plan.hpp>
#include <hyperplume/pipeline/journal.hpp>

using namespace hyperplume::pipeline;
namespace fs = std::filesystem;

namespace {
Record event(const std::string& kind, const std::string& provenance, Record extra = {}) {
  extra.insert_or_assign("event", kind);
  extra.insert_or_assign("scene", std::string("f/s.nc"));
  extra.insert_or_assign("provenance", provenance);
  return extra;
}

SceneDecision decide(const std::vector<Record>& events, const char* provenance, int max_attempts = 2) {
  std::vector<const Record*> refs;
  for (const auto& e : events) refs.push_back(&e);
  PlanInputs in;
  in.root = "/nonexistent";
  in.max_attempts = max_attempts;
  return decide_scene(scene_history(refs, provenance), in, provenance, "");
}

fs::path temp_dir(const char* name) {
  const fs::path d = fs::temp_directory_path() / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST_CASE("campaign plan: crashes make poison, interruptions and other provenances do not", "[pipeline]") {
  CHECK(decide({}, "A").action == SceneAction::full);
  const std::vector<Record> crashed{event("started", "A"), event("started", "A")};
  CHECK(decide(crashed, "A").action == SceneAction::poison);
  CHECK(decide(crashed, "A", 3).action == SceneAction::full);
  // The same starts, each stopped by a signal: no attempt counted.
  const std::vector<Record> stopped{event("started", "A"), event("interrupted", "A"),
                                    event("started", "A"), event("interrupted", "A"),
                                    event("started", "A"), event("abandoned", "A")};
  CHECK(decide(stopped, "A").action == SceneAction::full);
  // A changed input or setting (another provenance) starts the count afresh.
  CHECK(decide(crashed, "B").action == SceneAction::full);
  CHECK(scene_history({&crashed[0], &crashed[1]}, "A").crashes == 2);
}

TEST_CASE("campaign plan: clean failures keep their reason; internal errors are not retried", "[pipeline]") {
  const std::vector<Record> failed{event("started", "A"), event("failed", "A", {{"reason", "truncated"}}),
                                   event("started", "A"), event("failed", "A", {{"reason", "truncated"}})};
  const SceneDecision d = decide(failed, "A");
  CHECK(d.action == SceneAction::gave_up);
  CHECK(d.reason == "truncated");
  CHECK(decide({failed[0], failed[1]}, "A").action == SceneAction::full);
  CHECK(decide(failed, "B").action == SceneAction::full);  // the input was fixed
  const std::vector<Record> bug{event("started", "A"),
                                event("failed", "A", {{"kind", "internal"}, {"reason", "bug"}})};
  CHECK(decide(bug, "A", 3).action == SceneAction::gave_up);
}

TEST_CASE("campaign plan: a done scene is redone for exactly what changed", "[pipeline]") {
  const fs::path root = temp_dir("hyperplume_test_plan");
  const std::string l1 = (root / "a.nc").string(), l2 = (root / "b.nc").string();
  std::ofstream(l1) << "radiance";
  std::ofstream(l2) << "product";
  const std::string inputs = identities_text({l1}, root.string());
  CHECK(inputs.rfind("a.nc=", 0) == 0);  // relative to the root
  Record done = event("done", "A", {{"output", "b.nc"}, {"checksum", file_checksum(l2)},
                                    {"l2_settings", "S2"}, {"l3_settings", "S3"},
                                    {"l1_inputs", inputs}, {"markers_checksum", "M"}});
  PlanInputs in;
  in.root = root.string();
  in.plumes = true;
  in.l2_settings = "S2";
  in.l3_settings = "S3";
  auto decide_done = [&](const PlanInputs& p, const char* markers) {
    std::vector<const Record*> refs{&done};
    return decide_scene(scene_history(refs, "A"), p, "A", markers);
  };
  CHECK(decide_done(in, "M").action == SceneAction::skip);
  CHECK(decide_done(in, "M2").action == SceneAction::plumes_only);
  CHECK(decide_done(in, "M2").reason == "its markers changed");
  PlanInputs other = in;
  other.l3_settings = "S3b";
  CHECK(decide_done(other, "M").action == SceneAction::plumes_only);
  other = in;
  other.l2_settings = "S2b";
  CHECK(decide_done(other, "M").reason == "the retrieval settings changed");
  other.keep_existing = true;
  CHECK(decide_done(other, "M2").action == SceneAction::skip);

  // Two passes: a scene done with one gets its second pass only; its markers changed, the
  // whole chain (the second L2 depends on the first pass's plumes).
  PlanInputs two = in;
  two.passes = 2;
  CHECK(decide_done(two, "M").action == SceneAction::later_pass);
  CHECK(decide_done(two, "M").reason == "its second pass is missing");
  CHECK(decide_done(two, "M2").action == SceneAction::full);
  done["passes"] = "2";
  done["l3_identities"] = "L3=1";
  CHECK(decide_done(two, "M").action == SceneAction::skip);
  CHECK(decide_done(in, "M").action == SceneAction::skip);  // one pass asked, two made
  // Reprocessing: again only where the L3 files are not the ones the last pass made.
  PlanInputs again = two;
  again.reprocess = true;
  auto decide_l3 = [&](const char* markers, const char* l3_now) {
    std::vector<const Record*> refs{&done};
    return decide_scene(scene_history(refs, "A"), again, "A", markers, l3_now);
  };
  CHECK(decide_l3("M", "L3=1").action == SceneAction::skip);
  CHECK(decide_l3("M", "L3=2").action == SceneAction::later_pass);
  CHECK(decide_l3("M", "L3=2").reason == "reprocessing: its L3 plume files changed");
  CHECK(decide_l3("M2", "L3=1").action == SceneAction::plumes_and_later_pass);
  done["passes"] = "1";
  CHECK(decide_l3("M", "L3=1").action == SceneAction::later_pass);
  done.erase("passes");
  std::ofstream(l1, std::ios::app) << " replaced";
  CHECK(decide_done(in, "M").reason == "input changed: a.nc");
  std::ofstream(l2, std::ios::app) << " edited";
  CHECK(decide_done(in, "M").reason == "its L2 file is missing or was modified");
  fs::remove_all(root);
}

TEST_CASE("journal: a torn last line is cut off, complete events survive", "[pipeline]") {
  const fs::path dir = temp_dir("hyperplume_test_journal");
  const std::string path = (dir / "j.jsonl").string();
  {
    Journal j(path);
    j.append(event("started", "A", {{"note", "quote \" and \\ backslash"}}));
    j.append(event("done", "A"));
  }
  CHECK(repair_journal_tail(path) == 0);
  std::ofstream(path, std::ios::app) << "{\"event\": \"done\", \"sce";
  CHECK(repair_journal_tail(path) == 22);
  const auto events = read_journal_events(path);
  REQUIRE(events.size() == 2);
  CHECK(events[0].at("note") == "quote \" and \\ backslash");
  CHECK(events[1].at("event") == "done");
  {
    Journal j(path);  // the next append starts on its own line
    j.append(event("failed", "A"));
  }
  CHECK(read_journal_events(path).size() == 3);
  CHECK(from_json("{\"event\": \"do").empty());
  CHECK_THROWS_AS(Journal((dir / "no" / "such" / "dir" / "j").string()), hyperplume::InputError);
  fs::remove_all(dir);
}
