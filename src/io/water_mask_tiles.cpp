#include <gdal_priv.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/water_mask_tiles.hpp>
#include <map>
#include <vector>

namespace hyperplume::io {
namespace fs = std::filesystem;

namespace {
std::string tile_name(int la, int lo) {
  char b[32];
  std::snprintf(b, sizeof b, "%c%02d%c%03d.tif", la >= 0 ? 'n' : 's', std::abs(la),
                lo >= 0 ? 'e' : 'w', std::abs(lo));
  return b;
}

struct TileWindow {
  double gt[6];
  int x0 = 0, y0 = 0, w = 0, h = 0;
  std::vector<std::uint8_t> data;
};
}  // namespace

Raster<std::int32_t> land_mask_from_tiles(const std::string& dir, const Raster<double>& lat,
                                          const Raster<double>& lon) {
  gdal_register_once();
  if (dir.empty())
    throw InputError(
        "land mask: no water-mask tile directory (set paths.osm_dir or --paths.osm_dir)");
  // Pixels grouped by tile; the bounding box of each group is read once.
  struct Group {
    double w = 1e9, s = 1e9, e = -1e9, n = -1e9;
  };
  std::map<std::pair<int, int>, Group> groups;
  for (Eigen::Index i = 0; i < lat.size(); ++i) {
    const double la = lat.data()[i], lo = lon.data()[i];
    if (!std::isfinite(la) || !std::isfinite(lo) || std::abs(la) >= 85.0) continue;
    auto& g = groups[{static_cast<int>(std::floor(la / 5)) * 5,
                      static_cast<int>(std::floor(lo / 5)) * 5}];
    g.w = std::min(g.w, lo);
    g.e = std::max(g.e, lo);
    g.s = std::min(g.s, la);
    g.n = std::max(g.n, la);
  }
  std::map<std::pair<int, int>, TileWindow> windows;
  for (const auto& [key, g] : groups) {
    const std::string path = (fs::path(dir) / tile_name(key.first, key.second)).string();
    if (!fs::exists(path))
      throw InputError("water-mask tile is missing (the swath reaches it)",
                       ErrorContext{path, {}, {}});
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(path.c_str(), GA_ReadOnly));
    if (!ds)
      throw InputError(std::string("cannot open water-mask tile: ") + CPLGetLastErrorMsg(),
                       ErrorContext{path, {}, {}});
    TileWindow t;
    ds->GetGeoTransform(t.gt);
    const int nx = ds->GetRasterXSize(), ny = ds->GetRasterYSize();
    t.x0 = std::max(0, static_cast<int>(std::floor((g.w - t.gt[0]) / t.gt[1])) - 1);
    t.y0 = std::max(0, static_cast<int>(std::floor((g.n - t.gt[3]) / t.gt[5])) - 1);
    const int x1 = std::min(nx, static_cast<int>(std::ceil((g.e - t.gt[0]) / t.gt[1])) + 2);
    const int y1 = std::min(ny, static_cast<int>(std::ceil((g.s - t.gt[3]) / t.gt[5])) + 2);
    t.w = std::max(0, x1 - t.x0);
    t.h = std::max(0, y1 - t.y0);
    t.data.resize(static_cast<std::size_t>(t.w) * t.h);
    const CPLErr err = t.w && t.h
                           ? ds->GetRasterBand(1)->RasterIO(GF_Read, t.x0, t.y0, t.w, t.h,
                                                            t.data.data(), t.w, t.h, GDT_Byte, 0, 0)
                           : CE_None;
    GDALClose(ds);
    if (err != CE_None)
      throw InputError(std::string("cannot read water-mask tile: ") + CPLGetLastErrorMsg(),
                       ErrorContext{path, {}, {}});
    windows.emplace(key, std::move(t));
  }
  Raster<std::int32_t> land(lat.rows(), lat.cols());
  for (Eigen::Index i = 0; i < lat.size(); ++i) {
    const double la = lat.data()[i], lo = lon.data()[i];
    if (!std::isfinite(la) || !std::isfinite(lo)) {
      land.data()[i] = 0;
      continue;
    }
    if (la >= 85.0 || la <= -85.0) {
      land.data()[i] = la <= -85.0;
      continue;
    }
    const TileWindow& t = windows.at(
        {static_cast<int>(std::floor(la / 5)) * 5, static_cast<int>(std::floor(lo / 5)) * 5});
    const int x = static_cast<int>(std::floor((lo - t.gt[0]) / t.gt[1])) - t.x0;
    const int y = static_cast<int>(std::floor((la - t.gt[3]) / t.gt[5])) - t.y0;
    const bool inside = x >= 0 && y >= 0 && x < t.w && y < t.h;
    land.data()[i] = inside ? (t.data[static_cast<std::size_t>(y) * t.w + x] == 1 ? 0 : 1) : 1;
  }
  return land;
}

}  // namespace hyperplume::io
