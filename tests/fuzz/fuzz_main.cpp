// libFuzzer's entry: one executable per target, HYPERPLUME_FUZZ_ENTRY names its function in
// fuzz_entries.hpp. InputError is caught there; any other exception reaches std::terminate,
// which libFuzzer reports as a crash.
#include <cstddef>
#include <cstdint>

#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hyperplume::fuzz::HYPERPLUME_FUZZ_ENTRY(data, size);
  return 0;
}
