#include <algorithm>
#include <hyperplume/app/file_walk.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/io/atomic_file.hpp>

namespace hyperplume::app {
namespace fs = std::filesystem;

std::vector<std::string> files_under(const fs::path& root, const std::function<bool(const std::string&)>& keep) {
  if (!fs::is_directory(root)) throw InputError("--root: not a directory", {root.string(), {}, {}});
  std::vector<std::string> out;
  // Error codes throughout: an unreadable directory or a link loop is skipped, not fatal.
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && !io::is_partial_output(it->path()) &&
        keep(it->path().filename().string()))
      out.push_back(it->path().string());
  }
  if (ec) log::warn("the walk of ", root.string(), " stopped early: ", ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

bool is_l2_product_name(const std::string& name) {
  return name.find("L2") != std::string::npos && name.ends_with(".nc") && !name.ends_with("_unortho.nc") &&
         name.find("L3") == std::string::npos;
}

}  // namespace hyperplume::app
