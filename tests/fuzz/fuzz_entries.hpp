#pragma once
// The fuzz targets' entry points: bytes in, one input parser of the library run on them as a
// whole file. Shared by the libFuzzer executables (fuzz_main.cpp, clang, HYPERPLUME_FUZZ=ON)
// and the regression test of the ordinary suite ([fuzz]), which replays every file of
// tests/fuzz/corpus/<target>/ and tests/fuzz/regressions/<target>/.
//
// A parser may accept the input or reject it with hyperplume::InputError; both return here.
// Anything else (another exception, a crash, a sanitizer report, a hang) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hyperplume::fuzz {

enum class Outcome { parsed, rejected };

// config/hyperplume.ini syntax through app::ConfigOptions::resolve (the bytes are --config).
Outcome config_ini(const std::uint8_t* data, std::size_t size);
// A source-markers GeoJSON file through io::read_source_markers.
Outcome source_markers(const std::uint8_t* data, std::size_t size);
// A plume's L4 CSV through pipeline::merge_l4_tables (one source).
Outcome l4_csv(const std::uint8_t* data, std::size_t size);

// Every target by name: the name of its executable (fuzz_<name>) and of its folders.
struct Target {
  std::string name;
  Outcome (*entry)(const std::uint8_t* data, std::size_t size);
};
const std::vector<Target>& targets();

// The rejection message of the last input that returned Outcome::rejected (for the test).
const std::string& last_rejection();

}  // namespace hyperplume::fuzz
