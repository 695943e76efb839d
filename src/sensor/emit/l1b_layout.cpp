#include <filesystem>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <regex>

namespace hyperplume::sensor {

const std::array<const char*, kEmitObsBands> kEmitObsBandNames = {
    "Path length (sensor-to-ground in meters)",
    "To-sensor azimuth (0 to 360 degrees CW from N)",
    "To-sensor zenith (0 to 90 degrees from zenith)",
    "To-sun azimuth (0 to 360 degrees CW from N)",
    "To-sun zenith (0 to 90 degrees from zenith)",
    "Solar phase (degrees between to-sensor and to-sun vectors in principal plane)",
    "Slope (local surface slope as derived from DEM in degrees)",
    "Aspect (local surface aspect 0 to 360 degrees clockwise from N)",
    "Cosine(i) (apparent local illumination factor based on DEM slope and aspect and to sun "
    "vector)",
    "UTC Time (decimal hours for mid-line pixels)",
    "Earth-sun distance (AU)",
};

const char* const kEmitSpatialRef =
    "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS "
    "84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],"
    "AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT["
    "\"degree\","
    "0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\","
    "EAST],"
    "AUTHORITY[\"EPSG\",\"4326\"]]";

std::string emit_obs_path_for(const std::string& rad_path) {
  std::filesystem::path p(rad_path);
  std::string name = p.filename().string();
  const auto pos = name.find("_RAD_");
  if (pos != std::string::npos) name.replace(pos, 5, "_OBS_");
  return (p.parent_path() / name).string();
}

bool is_emit_rad_name(const std::string& filename) {
  static const std::regex re(R"(^EMIT_L1B_RAD_\d{3}_\d{8}T\d{6}_\d{7}_\d{3}\.nc$)");
  return std::regex_match(filename, re);
}

std::vector<int> bands_in_window(const std::vector<double>& wl, double lo, double hi) {
  std::vector<int> out;
  for (std::size_t i = 0; i < wl.size(); ++i)
    if (wl[i] >= lo && wl[i] <= hi) out.push_back(static_cast<int>(i));
  return out;
}

}  // namespace hyperplume::sensor
