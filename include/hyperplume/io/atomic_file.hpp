#pragma once
// Outputs appear atomically: write to a hidden temporary in the same directory, then
// rename over the final name. A crash or an exception leaves no file that looks complete.
#include <filesystem>
#include <string>

namespace hyperplume::io {

class AtomicOutput {
 public:
  explicit AtomicOutput(std::filesystem::path final_path);
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

// True for the temporaries AtomicOutput creates (so directory walkers can skip them).
bool is_partial_output(const std::filesystem::path& p);

}  // namespace hyperplume::io
