#include <algorithm>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/emit_l1b.hpp>
#include <hyperplume/io/l1_discovery.hpp>

namespace hyperplume::io {
namespace fs = std::filesystem;

std::vector<L1Granule> find_l1_granules(const std::string& root) {
  if (!fs::is_directory(root))
    throw InputError("L1 root is not a directory", ErrorContext{root, {}, {}});
  std::vector<L1Granule> out;
  for (auto it =
           fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied);
       it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    if (is_partial_output(it->path())) continue;
    if (is_emit_rad_name(name)) out.push_back({it->path().string(), "EMIT"});
  }
  std::sort(out.begin(), out.end(),
            [](const L1Granule& a, const L1Granule& b) { return a.path < b.path; });
  return out;
}

}  // namespace hyperplume::io
