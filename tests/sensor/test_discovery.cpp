// The L1 walk on a tree with the traps real campaign directories hold: symbolic link loops,
// dangling links, links to directories, names almost like a granule's, unreadable
// directories. Empty files stand for granules: the walk never opens them.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/sensor/discovery.hpp>
#include <map>
#include <string>
#include <vector>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {

constexpr const char* kGranule = "EMIT_L1B_RAD_001_20230814T100819_2322607_002.nc";

void touch(const fs::path& p) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << "";
}

std::vector<std::string> granule_paths(const sensor::L1Discovery& d) {
  std::vector<std::string> out;
  for (const auto& g : d.granules) out.push_back(g.path);
  return out;
}

std::map<std::string, std::string> reasons(const sensor::L1Discovery& d) {
  std::map<std::string, std::string> out;
  for (const auto& s : d.skipped) out[s.path] = s.reason;
  return out;
}

}  // namespace

TEST_CASE("the L1 walk skips link loops, dangling links and look-alikes, and says why", "[sensor]") {
  const test::TempDir tmp("l1-discovery");
  const fs::path root = tmp.path() / "campaign";
  const fs::path site = root / "facility_01";
  touch(site / kGranule);
  touch(site / "EMIT_L1B_RAD_001_20230814T100819_2322607_002_truth.nc");  // sidecar: silent
  touch(site / "EMIT_L1B_OBS_001_20230814T100819_2322607_002.nc");        // companion: silent
  touch(site / ".EMIT_L1B_RAD_001_20230814T100819_2322607_002.nc.partial-77");  // silent
  touch(site / "notes.txt");                                                    // silent
  touch(site / "EMIT_L1B_RAD_001_x.nc.bak");
  touch(site / "EMIT_L1B_RAD_001_20230814T100819_2322607_002.nc.bak");
  touch(site / "EMIT_L1B_RAD_01_20230814T100819_2322607_002.nc");  // two-digit version
  // A directory named like a granule: reported, and its contents still searched.
  const fs::path granule_dir = site / "EMIT_L1B_RAD_001_20230815T100819_2322608_001.nc";
  touch(granule_dir / "EMIT_L1B_RAD_001_20230815T100819_2322608_001.nc");
  // Loops: a link to itself, two links to each other, a link to an ancestor.
  fs::create_symlink("self", site / "self");
  fs::create_symlink("ping", site / "pong");
  fs::create_symlink("pong", site / "ping");
  fs::create_directories(site / "sub");
  fs::create_symlink("../..", site / "sub" / "up");
  // Dangling, and links out of the tree: to a directory (not followed) and to a granule file.
  fs::create_symlink("gone.nc", site / "EMIT_L1B_RAD_001_20230814T100900_2322607_003.nc");
  const fs::path outside = tmp.path() / "elsewhere";
  touch(outside / "EMIT_L1B_RAD_001_20230901T000000_2400000_001.nc");
  fs::create_symlink(outside, root / "linked_dir");
  const fs::path linked_granule = root / "EMIT_L1B_RAD_001_20230902T000000_2400001_001.nc";
  fs::create_symlink(outside / "EMIT_L1B_RAD_001_20230901T000000_2400000_001.nc", linked_granule);

  sensor::L1Discovery found;
  REQUIRE_NOTHROW(found = sensor::discover_l1_granules(root.string()));
  CHECK(granule_paths(found) ==
        std::vector<std::string>{
            linked_granule.string(), (site / kGranule).string(),
            (granule_dir / "EMIT_L1B_RAD_001_20230815T100819_2322608_001.nc").string()});
  const auto why = reasons(found);
  CHECK(why.size() == 10);
  CHECK(why.at((site / "self").string()) == "symbolic link loop");
  CHECK(why.at((site / "ping").string()) == "symbolic link loop");
  CHECK(why.at((site / "pong").string()) == "symbolic link loop");
  CHECK(why.at((site / "sub" / "up").string()) == "symbolic link to a directory, not followed");
  CHECK(why.at((root / "linked_dir").string()) == "symbolic link to a directory, not followed");
  CHECK(why.at((site / "EMIT_L1B_RAD_001_20230814T100900_2322607_003.nc").string()) ==
        "dangling symbolic link (to gone.nc)");
  CHECK_THAT(why.at(granule_dir.string()), Catch::Matchers::Contains("a directory"));
  for (const char* name : {"EMIT_L1B_RAD_001_x.nc.bak",
                           "EMIT_L1B_RAD_001_20230814T100819_2322607_002.nc.bak",
                           "EMIT_L1B_RAD_01_20230814T100819_2322607_002.nc"})
    CHECK_THAT(why.at((site / name).string()),
               Catch::Matchers::Contains("does not match the EMIT granule names") &&
                   Catch::Matchers::Contains("EMIT_L1B_RAD_<vvv>"));
  // Sorted, so the report is the same whatever order the directories list their entries in.
  CHECK(std::is_sorted(found.skipped.begin(), found.skipped.end(),
                       [](const auto& a, const auto& b) { return a.path < b.path; }));
  // The old entry point gives the same granules.
  CHECK(sensor::find_l1_granules(root.string()).size() == 3);
}

TEST_CASE("the L1 walk reports a directory it cannot read and goes on", "[sensor]") {
  if (::geteuid() == 0) {
    WARN("running as root: every directory is readable, nothing to test");
    return;
  }
  const test::TempDir tmp("l1-discovery-unreadable");
  touch(tmp.path() / "a" / kGranule);
  const fs::path locked = tmp.path() / "b";
  touch(locked / kGranule);
  fs::permissions(locked, fs::perms::none);
  const auto found = sensor::discover_l1_granules(tmp.str());
  fs::permissions(locked, fs::perms::owner_all);  // so the temporary directory can go
  CHECK(granule_paths(found) == std::vector<std::string>{(tmp.path() / "a" / kGranule).string()});
  REQUIRE(found.skipped.size() == 1);
  CHECK(found.skipped[0].path == locked.string());
  CHECK_THAT(found.skipped[0].reason, Catch::Matchers::Contains("cannot read the directory"));
}

TEST_CASE("the L1 walk refuses a root that is not a directory", "[sensor]") {
  const test::TempDir tmp("l1-discovery-root");
  touch(tmp.path() / kGranule);
  CHECK_THROWS_AS(sensor::discover_l1_granules((tmp.path() / kGranule).string()), InputError);
  CHECK_THROWS_AS(sensor::discover_l1_granules((tmp.path() / "missing").string()), InputError);
}
