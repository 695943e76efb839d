#pragma once
// The table of instruments HyperPlume reads: for each, its name, the file-name rules of its
// L1 granules (what discovery takes, what it reports as a near miss) and how to open one.
// Adding an instrument is a folder under sensor/ and a row here.
#include <hyperplume/sensor/granule.hpp>
#include <memory>
#include <string>
#include <vector>

namespace hyperplume::sensor {

struct SensorType {
  const char* key;   // config sensor key: "emit"
  const char* name;  // "EMIT"
  // The strict granule name, for messages: EMIT_L1B_RAD_<vvv>_<yyyymmddThhmmss>_<ooooooo>_<sss>.nc
  const char* granule_pattern;
  // A lower-case token a user's copy of a granule keeps in its name (a .bak, another case):
  // names holding it that are not granules are reported, not passed over silently.
  const char* look_alike;
  const char* extension;  // of the granule file: ".nc", ".ZIP"
  bool (*is_granule_name)(const std::string& filename);
  // Every file whose identity keys the scene's products, from the granule's path alone.
  std::vector<std::string> (*files)(const std::string& path);
  std::unique_ptr<Granule> (*open)(const std::string& path, const GranuleOptions& options);
};

const std::vector<SensorType>& sensor_types();
// Every instrument's granule name pattern, comma-separated, for messages.
std::string granule_patterns();
// The instrument whose granule name `filename` (no directories) is; nullptr if none.
const SensorType* sensor_type_of(const std::string& filename);
// The granule's files (SensorType::files) of a path discovery found; InputError if its name
// is no instrument's.
std::vector<std::string> granule_files(const std::string& path);
// The granule named `stem` (its file name without extension) in `dir`, of whichever
// instrument names its granules so; InputError if there is none.
std::string granule_path(const std::string& dir, const std::string& stem);
// Opens and validates a granule; InputError naming the file and the problem.
std::unique_ptr<Granule> open_granule(const std::string& path,
                                      const GranuleOptions& options = {});

}  // namespace hyperplume::sensor
