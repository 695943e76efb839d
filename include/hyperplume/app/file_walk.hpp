#pragma once
// The files a step-by-step command works on: those under a root whose name a predicate keeps.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace hyperplume::app {

// Regular files under root (recursively) whose file name `keep` accepts, sorted; partial
// outputs of an interrupted write are never listed, unreadable directories are skipped (with
// a warning). InputError when root is not a directory.
std::vector<std::string> files_under(const std::filesystem::path& root,
                                     const std::function<bool(const std::string& name)>& keep);

// An orthorectified L2 product's name: "L2" in it, ".nc", not a sensor-geometry export.
bool is_l2_product_name(const std::string& name);

}  // namespace hyperplume::app
