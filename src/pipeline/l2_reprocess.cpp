#include <algorithm>
#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <netcdf.h>
#include <hyperplume/pipeline/campaign_plan.hpp>
#include <hyperplume/pipeline/l2_reprocess.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/pipeline/l4_table.hpp>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

std::vector<std::string> l3_files_of(const std::string& l2_path) {
  // l3_path_for(l2, N) = <dir>/<stem with L2 -> L3>_plume<N>.nc
  const std::string probe = l3_path_for(l2_path, 0);
  const fs::path dir = fs::path(probe).parent_path();
  const std::string prefix = fs::path(probe).filename().string();
  const std::string stem = prefix.substr(0, prefix.size() - std::string("0.nc").size());
  std::vector<std::pair<long, std::string>> found;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= stem.size() + 3 || name.compare(0, stem.size(), stem) != 0 ||
        !name.ends_with(".nc"))
      continue;
    const std::string n = name.substr(stem.size(), name.size() - stem.size() - 3);
    if (n.empty() || !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;  // <stem>N_csf.nc, partial outputs
    found.emplace_back(std::stol(n), it->path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::string l2_path_for_l3(const std::string& l3_path) {
  const fs::path p(l3_path);
  std::string stem = p.stem().string();
  if (const auto at = stem.rfind("_plume"); at != std::string::npos) stem.resize(at);
  for (auto pos = stem.find("L3"); pos != std::string::npos; pos = stem.find("L3", pos + 2))
    stem.replace(pos, 2, "L2");
  return (p.parent_path() / (stem + ".nc")).string();
}

L2Identity L2Identity::of(const std::string& l2_path) {
  L2Identity id{fs::path(l2_path).filename().string(), file_checksum(l2_path), ""};
  const io::NcFile f(l2_path, io::NcFile::Mode::read);
  if (f.has_att(f.id(), NC_GLOBAL, "plume_exclusion_files"))
    id.exclusion_files = f.att_text(f.id(), NC_GLOBAL, "plume_exclusion_files");
  return id;
}

PlumeExclusion read_plume_exclusion(const std::vector<std::string>& l3_files, const std::string& gas,
                                    const geo::UtmGrid& grid, const L2Identity* l2) {
  PlumeExclusion out;
  out.grid = Raster<std::uint8_t>::Zero(grid.height, grid.width);
  for (const auto& path : l3_files) {
    const ErrorContext where{path, {}, {}};
    const io::NcFile f(path, io::NcFile::Mode::read);
    const std::vector<double> x = io::read_vector(f, f.id(), "x"), y = io::read_vector(f, f.id(), "y");
    bool same = static_cast<int>(x.size()) == grid.width && static_cast<int>(y.size()) == grid.height;
    // The grid is rebuilt from the same swath the same way: its coordinates agree exactly
    // unless the L3 was made from another L2 (another scene, zone or resolution).
    for (int c = 0; same && c < grid.width; ++c) same = std::abs(x[static_cast<std::size_t>(c)] - grid.x(c)) < 1e-6;
    for (int r = 0; same && r < grid.height; ++r) same = std::abs(y[static_cast<std::size_t>(r)] - grid.y(r)) < 1e-6;
    if (!same)
      throw InputError("this L3 plume file is on another grid than its L2 (" + std::to_string(y.size()) +
                           " x " + std::to_string(x.size()) + " against " + std::to_string(grid.height) +
                           " x " + std::to_string(grid.width) +
                           " or other coordinates): it does not belong to this scene",
                       where);
    if (!f.has_var(f.id(), gas)) throw InputError("no '" + gas + "' plume field", where);
    const std::string name = fs::path(path).filename().string(), checksum = file_checksum(path);
    if (l2) {
      auto global = [&](const char* key) {
        return f.has_att(f.id(), NC_GLOBAL, key) ? f.att_text(f.id(), NC_GLOBAL, key) : std::string();
      };
      const bool made_from = global("source_l2") == l2->name && global("source_l2_checksum") == l2->checksum;
      const bool excluded = (" " + l2->exclusion_files + " ").find(" " + name + ":" + checksum + " ") !=
                            std::string::npos;
      if (!made_from && !excluded)
        throw InputError("this L3 plume file was not made from " + l2->name +
                             " as it is now (its source_l2 / source_l2_checksum differ, and the "
                             "L2 was not made without it): make the L3 again first",
                         where);
    }
    const Raster<float> plume = io::read_raster<float>(f, f.id(), gas, grid.height, grid.width);
    out.grid = out.grid.max(plume.isFinite().cast<std::uint8_t>());
    out.files.emplace_back(name, checksum);
  }
  return out;
}

Raster<std::uint8_t> exclusion_in_sensor_geometry(const Raster<std::uint8_t>& grid_mask,
                                                  const geo::OrthoMap& map, int rows, int cols) {
  Raster<std::uint8_t> out = Raster<std::uint8_t>::Zero(rows, cols);
  Raster<std::uint8_t> shown = Raster<std::uint8_t>::Zero(rows, cols);
  const auto& source = map.source();
  // Raster is row-major: index = row * cols + col, as the map's source indices.
  for (Eigen::Index g = 0; g < grid_mask.size(); ++g) {
    const std::int64_t s = source[static_cast<std::size_t>(g)];
    if (s < 0) continue;
    shown.data()[s] = 1;
    if (grid_mask.data()[g]) out.data()[s] = 1;
  }
  const Raster<std::uint8_t> direct = out;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      if (shown(r, c)) continue;
      for (int dr = -1; dr <= 1 && !out(r, c); ++dr)
        for (int dc = -1; dc <= 1; ++dc) {
          const int rr = r + dr, cc = c + dc;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols && direct(rr, cc)) {
            out(r, c) = 1;
            break;
          }
        }
    }
  return out;
}

RadDist later_pass_rad_dist(RadDist option, const std::string& gas,
                            const std::vector<std::string>& l4_files) {
  if (option != RadDist::automatic) return option;
  if (gas != "ch4") return RadDist::normal;
  double largest = 0;
  for (const auto& csv : l4_files) {
    const auto row = read_l4_csv(csv);
    const auto it = row.find("emission");
    if (it == row.end())
      throw InputError("the L4 table has no 'emission' column", ErrorContext{csv, {}, {}});
    if (it->second.empty()) continue;  // NaN: no estimate for this plume
    char* end = nullptr;
    const double q = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end != '\0')
      throw InputError("the L4 table's 'emission' is not a number: '" + it->second + "'",
                       ErrorContext{csv, {}, {}});
    largest = std::max(largest, q);
  }
  return largest > 10000.0 ? RadDist::lognormal : RadDist::normal;
}

}  // namespace hyperplume::pipeline
