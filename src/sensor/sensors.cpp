#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/sensor/emit/granule.hpp>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/sensor/enmap/granule.hpp>
#include <hyperplume/sensor/enmap/l1b.hpp>
#include <hyperplume/sensor/sensors.hpp>

namespace hyperplume::sensor {
namespace {

std::vector<std::string> emit_files(const std::string& rad) { return {rad, emit_obs_path_for(rad)}; }
std::vector<std::string> one_file(const std::string& path) { return {path}; }

const SensorType& type_of_path(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (const SensorType* type = sensor_type_of(name)) return *type;
  throw InputError("not the name of an L1 granule HyperPlume reads (" + granule_patterns() + ")",
                   ErrorContext{path, {}, {}});
}

}  // namespace

const std::vector<SensorType>& sensor_types() {
  static const std::vector<SensorType> types = {
      {"emit", "EMIT", "EMIT_L1B_RAD_<vvv>_<yyyymmddThhmmss>_<ooooooo>_<sss>.nc", "emit_l1b_rad", ".nc",
       is_emit_rad_name, emit_files, open_emit_granule},
      {"enmap", "EnMAP",
       "ENMAP01-____L1B-DT<10 digits>_<yyyymmddThhmmssZ>_<ttt>_V<6 digits>_<yyyymmddThhmmssZ>.ZIP",
       "enmap01-____l1b", ".ZIP", is_enmap_l1b_name, one_file, open_enmap_granule},
  };
  return types;
}

std::string granule_patterns() {
  std::string known;
  for (const SensorType& t : sensor_types())
    known += (known.empty() ? "" : ", ") + std::string(t.granule_pattern);
  return known;
}

const SensorType* sensor_type_of(const std::string& filename) {
  for (const SensorType& t : sensor_types())
    if (t.is_granule_name(filename)) return &t;
  return nullptr;
}

std::vector<std::string> granule_files(const std::string& path) {
  return type_of_path(path).files(path);
}

std::string granule_path(const std::string& dir, const std::string& stem) {
  for (const SensorType& t : sensor_types()) {
    const std::string name = stem + t.extension;
    std::error_code ec;
    if (t.is_granule_name(name) && std::filesystem::exists(std::filesystem::path(dir) / name, ec))
      return (std::filesystem::path(dir) / name).string();
  }
  throw InputError("no L1 granule named " + stem + " here", ErrorContext{dir, {}, {}});
}

std::unique_ptr<Granule> open_granule(const std::string& path, const GranuleOptions& options) {
  return type_of_path(path).open(path, options);
}

}  // namespace hyperplume::sensor
