#include <unistd.h>

#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>

namespace hyperplume::io {
namespace fs = std::filesystem;

AtomicOutput::AtomicOutput(fs::path final_path) : final_(std::move(final_path)) {
  if (final_.has_parent_path()) fs::create_directories(final_.parent_path());
  const std::string prefix = "." + final_.filename().string() + ".partial-";
  temp_ = final_.parent_path() / (prefix + std::to_string(::getpid()));
  // Temporaries of the same output left by a killed process are garbage: each output has
  // one writer at a time.
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(
           final_.parent_path().empty() ? fs::path(".") : final_.parent_path(), ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) fs::remove(e.path(), ec);
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

void write_text_atomically(const fs::path& path, const std::string& text) {
  AtomicOutput out(path);
  {
    std::ofstream f(out.temp_path());
    f << text;
    f.flush();
    if (!f) throw InputError("cannot write the file", ErrorContext{path.string(), {}, {}});
  }
  out.commit();
}

}  // namespace hyperplume::io
