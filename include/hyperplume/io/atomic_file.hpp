#pragma once
// Outputs appear atomically: write to a hidden temporary in the same directory, then
// rename over the final name. A crash or an exception leaves no file that looks complete.
#include <cstdint>
#include <filesystem>
#include <string>

namespace hyperplume::io {

class AtomicOutput {
 public:
  // expected_bytes > 0: refuse (InputError, "no space left on device", the free space) when
  // the file system cannot hold that much more. HDF5 writes most of a chunked file when it
  // is closed, and a close that fails there leaves the library unable to shut down cleanly,
  // so a product that cannot fit is refused before it is begun.
  explicit AtomicOutput(std::filesystem::path final_path, std::uintmax_t expected_bytes = 0);
  ~AtomicOutput();  // removes the temporary unless committed
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& final_path() const { return final_; }
  void commit();  // rename temp -> final

 private:
  std::filesystem::path final_, temp_;
  bool committed_ = false;
};

// A whole text file, atomically; InputError naming the file if it cannot be written.
void write_text_atomically(const std::filesystem::path& path, const std::string& text);

// "no space left on device (N MiB free on the file system of DIR)" when the file system
// that holds `path` is full (errno ENOSPC, or less than 16 MiB left), else "".
std::string disk_full_note(const std::filesystem::path& path, int error_number);
// "<what>: <reported>", or "<what>: no space left on device (...) (reported as: <reported>)"
// on a full disk, which the libraries word as "HDF error" or "Permission denied".
std::string write_failure(const std::string& what, const std::string& reported,
                          const std::filesystem::path& path, int error_number);

// The path absolute, normalised and with symlinks resolved as far as it exists: what
// products record, so they name their inputs whatever the working directory was.
std::string canonical_path(const std::string& path);

// True for the temporaries AtomicOutput creates (so directory walkers can skip them).
bool is_partial_output(const std::filesystem::path& p);

}  // namespace hyperplume::io
