// Replays every seed (tests/fuzz/corpus/<target>/) and every input the fuzzers ever found
// (tests/fuzz/regressions/<target>/) through the same entry points as the libFuzzer
// executables: each must parse or be rejected with InputError — nothing else. Seeds are valid
// inputs and must parse. Unknown folders and empty seed folders fail, so nothing is skipped
// silently.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "fuzz/fuzz_entries.hpp"

#ifndef HYPERPLUME_FUZZ_DIR
#error "HYPERPLUME_FUZZ_DIR must name tests/fuzz"
#endif

namespace fs = std::filesystem;
using hyperplume::fuzz::Outcome;

namespace {

std::vector<std::uint8_t> bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Replays `file`; InputError is the only exception allowed through the entry.
Outcome replay(const hyperplume::fuzz::Target& target, const fs::path& file) {
  INFO(target.name << ": " << file.string());
  const auto data = bytes_of(file);
  Outcome outcome = Outcome::rejected;
  REQUIRE_NOTHROW(outcome = target.entry(data.data(), data.size()));
  return outcome;
}

}  // namespace

TEST_CASE("every fuzz folder names a target", "[fuzz]") {
  std::set<std::string> names;
  for (const auto& t : hyperplume::fuzz::targets()) names.insert(t.name);
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path root = fs::path(HYPERPLUME_FUZZ_DIR) / kind;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::directory_iterator(root)) {
      if (!e.is_directory()) continue;
      INFO(e.path().string());
      CHECK(names.count(e.path().filename().string()) == 1);
    }
  }
}

TEST_CASE("fuzz seeds parse", "[fuzz]") {
  for (const auto& target : hyperplume::fuzz::targets()) {
    const auto seeds = files_in(fs::path(HYPERPLUME_FUZZ_DIR) / "corpus" / target.name);
    INFO(target.name);
    REQUIRE(seeds.size() >= 2);
    for (const auto& file : seeds) {
      INFO(file.string());
      const Outcome outcome = replay(target, file);
      INFO("rejected: " << hyperplume::fuzz::last_rejection());
      CHECK(outcome == Outcome::parsed);
    }
  }
}

TEST_CASE("inputs the fuzzers found parse or are rejected with InputError", "[fuzz]") {
  // The folder is committed (with its README) even before the first finding: a wrong path
  // must fail, not replay nothing.
  const fs::path root = fs::path(HYPERPLUME_FUZZ_DIR) / "regressions";
  REQUIRE(fs::is_directory(root));
  for (const auto& target : hyperplume::fuzz::targets())
    for (const auto& file : files_in(root / target.name)) replay(target, file);
}

// What the source_markers fuzz target found (regressions/source_markers/slow-unit-*): a "crs"
// member of type link made OGR fetch the CRS over HTTP, 20 s per file against a silent host.
TEST_CASE("a marker file's remote CRS is refused, never fetched", "[fuzz]") {
  const std::string text =
      R"({"type": "FeatureCollection", "crs": {"type": "url", "properties": {"href": )"
      R"("http://127.0.0.1:9/crs.wkt"}}, "features": [{"type": "Feature", "properties": {}, )"
      R"("geometry": {"type": "Point", "coordinates": [54.2, 38.5]}}]})";
  const auto* data = reinterpret_cast<const std::uint8_t*>(text.data());
  CHECK(hyperplume::fuzz::source_markers(data, text.size()) == Outcome::rejected);
  CHECK_THAT(hyperplume::fuzz::last_rejection(),
             Catch::Contains("refusing to fetch http://127.0.0.1:9/crs.wkt"));
}

// What the config_ini fuzz target found (regressions/config_ini/timeout-*): Boost's message for
// an invalid line substitutes the line for "%invalid_line%" until none is left — forever, with
// the memory growing, when the line itself is "%invalid_line%".
TEST_CASE("a config line holding a Boost placeholder is an input error, not a hang", "[fuzz]") {
  const std::string text = "[paths]\n%invalid_line%\n";
  const auto* data = reinterpret_cast<const std::uint8_t*>(text.data());
  CHECK(hyperplume::fuzz::config_ini(data, text.size()) == Outcome::rejected);
  CHECK_THAT(hyperplume::fuzz::last_rejection(), Catch::Contains("invalid line '%invalid_line%'"));
}
