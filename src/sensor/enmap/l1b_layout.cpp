// What EnMAP L1B tiles are named and how their members are found.
#include <cstdio>
#include <hyperplume/sensor/enmap/l1b.hpp>
#include <regex>

namespace hyperplume::sensor {

bool is_enmap_l1b_name(const std::string& filename) {
  static const std::regex pattern(
      R"(ENMAP01-____L1B-DT\d{10}_\d{8}T\d{6}Z_\d{3}_V\d{6}_\d{8}T\d{6}Z\.ZIP)");
  return std::regex_match(filename, pattern);
}

std::string enmap_granule_stem(const EnmapGranuleInfo& info) {
  auto stamp = [](const UtcTime& t) { return t.compact() + "Z"; };
  char tile[8];
  std::snprintf(tile, sizeof tile, "%03d", info.tile);
  return "ENMAP01-____L1B-" + info.datatake + "_" + stamp(info.start) + "_" + tile + "_" +
         info.version + "_" + stamp(info.processed);
}

}  // namespace hyperplume::sensor
