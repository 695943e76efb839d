#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>

namespace hyperplume::io {
namespace fs = std::filesystem;

namespace {
void require_free_space(const fs::path& file, std::uintmax_t bytes) {
  constexpr double kMiB = 1024.0 * 1024.0;
  const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
  struct statvfs st {};
  if (bytes == 0 || ::statvfs(dir.c_str(), &st) != 0) return;
  const double free_bytes = static_cast<double>(st.f_bavail) * static_cast<double>(st.f_frsize);
  const double needed = static_cast<double>(bytes) * 1.125 + kMiB;  // metadata, B-trees
  if (free_bytes >= needed) return;
  char buf[160];
  std::snprintf(buf, sizeof buf, "no space left on device: the file needs about %.1f MiB, %.1f MiB "
                "are free on the file system of ", needed / kMiB, free_bytes / kMiB);
  throw InputError(buf + dir.string(), ErrorContext{file.string(), {}, {}});
}
}  // namespace

AtomicOutput::AtomicOutput(fs::path final_path, std::uintmax_t expected_bytes)
    : final_(std::move(final_path)) {
  if (final_.has_parent_path()) fs::create_directories(final_.parent_path());
  require_free_space(final_, expected_bytes);
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
    throw InputError(write_failure("cannot rename " + temp_.string() + " to its final name",
                                   ec.message(), final_, ec.value()),
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
    errno = 0;
    std::ofstream f(out.temp_path());
    f << text;
    f.flush();
    if (!f) {
      const int e = errno;
      throw InputError(write_failure("cannot write the file", e ? std::strerror(e) : "", path, e),
                       ErrorContext{path.string(), {}, {}});
    }
  }
  out.commit();
}

std::string disk_full_note(const fs::path& path, int error_number) {
  constexpr double kMiB = 1024.0 * 1024.0;
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) return error_number == ENOSPC ? "no space left on device" : "";
  const double free_bytes = static_cast<double>(st.f_bavail) * static_cast<double>(st.f_frsize);
  if (error_number != ENOSPC && free_bytes >= 16 * kMiB) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f MiB", free_bytes / kMiB);
  return "no space left on device (" + std::string(buf) + " free on the file system of " +
         dir.string() + ")";
}

std::string write_failure(const std::string& what, const std::string& reported,
                          const fs::path& path, int error_number) {
  const std::string full = disk_full_note(path, error_number);
  if (full.empty()) return reported.empty() ? what : what + ": " + reported;
  const bool says_it = reported.find("No space left") != std::string::npos;
  return what + ": " + full + (reported.empty() || says_it ? "" : " (reported as: " + reported + ")");
}

std::string canonical_path(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal().string() : p.string();
}

}  // namespace hyperplume::io
