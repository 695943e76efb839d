#include <algorithm>
#include <cctype>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/sensor/discovery.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <system_error>

namespace hyperplume::sensor {
using io::is_partial_output;
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The instrument a user would take this name for a granule of (any case, anywhere in the
// name), or nullptr.
const SensorType* looks_like_granule(const std::string& name) {
  const std::string l = lower(name);
  for (const SensorType& t : sensor_types())
    if (l.find(t.look_alike) != std::string::npos) return &t;
  return nullptr;
}

// <granule stem>_truth.nc, written beside each synthetic granule.
bool is_truth_sidecar(const std::string& name) { return name.ends_with("_truth.nc"); }

template <class Items>
void sort_by_path(Items& items) {
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
}

// One walk of a tree. Every filesystem call takes an error_code, so nothing in here throws
// for what it finds on disk.
class Walk {
 public:
  void directory(const fs::path& dir) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) return skip(dir, "cannot read the directory: " + ec.message());
    const fs::directory_iterator end{};
    while (it != end) {
      entry(*it);
      it.increment(ec);
      if (ec) return skip(dir, "stopped reading the directory: " + ec.message());
    }
  }

  L1Discovery take() {
    sort_by_path(found_.granules);
    sort_by_path(found_.skipped);
    return std::move(found_);
  }

 private:
  void entry(const fs::directory_entry& e) {
    std::error_code ec;
    const fs::file_status own = e.symlink_status(ec);
    if (ec) return skip(e.path(), "cannot read the entry: " + ec.message());
    if (fs::is_symlink(own)) return link(e.path());
    if (fs::is_directory(own)) {
      if (looks_like_granule(e.path().filename().string()))
        skip(e.path(), "a directory with a granule's name (its contents are searched)");
      return directory(e.path());
    }
    if (fs::is_regular_file(own)) return file(e.path());
    not_a_file(e.path());
  }

  // Links to files count as the files; links to directories are not followed (a link to an
  // ancestor would make the walk endless).
  void link(const fs::path& p) {
    std::error_code ec;
    const fs::file_status target = fs::status(p, ec);
    if (ec == std::errc::too_many_symbolic_link_levels)
      return skip(p, "symbolic link loop");
    if (target.type() == fs::file_type::not_found) {
      std::error_code read_ec;
      const fs::path to = fs::read_symlink(p, read_ec);
      return skip(p, "dangling symbolic link" + (read_ec ? "" : " (to " + to.string() + ")"));
    }
    if (ec) return skip(p, "cannot follow the symbolic link: " + ec.message());
    if (fs::is_directory(target)) return skip(p, "symbolic link to a directory, not followed");
    if (fs::is_regular_file(target)) return file(p);
    not_a_file(p);
  }

  void file(const fs::path& p) {
    const std::string name = p.filename().string();
    if (is_partial_output(p)) return;  // a writer's temporary, removed by the next writer
    if (const SensorType* type = sensor_type_of(name)) {
      found_.granules.push_back({p.string(), type->name});
      return;
    }
    const SensorType* near = looks_like_granule(name);
    if (near && !is_truth_sidecar(name))
      skip(p, std::string("the name does not match the ") + near->name + " granule names (" +
                  near->granule_pattern + ")");
  }

  void not_a_file(const fs::path& p) {
    if (looks_like_granule(p.filename().string())) skip(p, "not a regular file");
  }

  void skip(const fs::path& p, std::string reason) {
    log::warn("L1 discovery: skipped ", p.string(), ": ", reason);
    found_.skipped.push_back({p.string(), std::move(reason)});
  }

  L1Discovery found_;
};

}  // namespace

L1Discovery discover_l1_granules(const std::string& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw InputError("L1 root is not a directory", ErrorContext{root, {}, {}});
  Walk walk;
  walk.directory(root);
  return walk.take();
}

std::vector<L1Granule> find_l1_granules(const std::string& root) {
  return discover_l1_granules(root).granules;
}

}  // namespace hyperplume::sensor
