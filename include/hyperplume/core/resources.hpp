#pragma once
// Where the reference resources live (absorption LUT, solar, noise, surface, atmosphere).
// Precedence: --resources (or [paths] resources in the config) > $HYPERPLUME_RESOURCES >
// ../shared/resources next to the source tree. Files are never copied into the project.
#include <filesystem>
#include <string>

namespace hyperplume {

class Resources {
 public:
  // explicit_dir: the option value (empty = not given).
  static Resources locate(const std::string& explicit_dir);

  Resources(std::filesystem::path root, std::string origin)
      : root_(std::move(root)), origin_(std::move(origin)) {}

  const std::filesystem::path& root() const { return root_; }
  const std::string& origin() const { return origin_; }  // how the directory was chosen
  // Absolute path of a resource file; InputError naming the file and the option to set
  // if it does not exist.
  std::string file(const std::string& relative) const;

 private:
  std::filesystem::path root_;
  std::string origin_;
};

}  // namespace hyperplume
