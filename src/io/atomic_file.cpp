#include <unistd.h>

#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>

namespace hyperplume::io {
namespace fs = std::filesystem;

AtomicOutput::AtomicOutput(fs::path final_path) : final_(std::move(final_path)) {
  if (final_.has_parent_path()) fs::create_directories(final_.parent_path());
  temp_ = final_.parent_path() /
          ("." + final_.filename().string() + ".partial-" + std::to_string(::getpid()));
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

void AtomicOutput::commit() {
  std::error_code ec;
  fs::rename(temp_, final_, ec);
  if (ec)
    throw InputError("cannot rename " + temp_.string() + " to final name: " + ec.message(),
                     ErrorContext{final_.string(), {}, {}});
  committed_ = true;
}

bool is_partial_output(const fs::path& p) {
  const std::string n = p.filename().string();
  return !n.empty() && n[0] == '.' && n.find(".partial-") != std::string::npos;
}

}  // namespace hyperplume::io
