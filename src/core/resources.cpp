#include <cstdlib>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/resources.hpp>

#ifndef HYPERPLUME_SOURCE_DIR
#define HYPERPLUME_SOURCE_DIR "."
#endif

namespace hyperplume {
namespace fs = std::filesystem;

Resources Resources::locate(const std::string& explicit_dir) {
  if (!explicit_dir.empty()) return {fs::absolute(explicit_dir), "--resources"};
  if (const char* env = std::getenv("HYPERPLUME_RESOURCES"); env && *env)
    return {fs::absolute(env), "HYPERPLUME_RESOURCES"};
  return {fs::weakly_canonical(fs::path(HYPERPLUME_SOURCE_DIR) / ".." / "shared" / "resources"),
          "the default ../shared/resources beside the source tree"};
}

std::string Resources::file(const std::string& relative) const {
  const fs::path p = root_ / relative;
  if (!fs::is_regular_file(p))
    throw InputError("missing resource file (resources directory " + root_.string() +
                         " chosen by " + origin_ +
                         "); set --resources or HYPERPLUME_RESOURCES to the directory holding '" +
                         relative + "'",
                     ErrorContext{p.string(), {}, {}});
  return p.string();
}

}  // namespace hyperplume
