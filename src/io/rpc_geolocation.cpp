#include <cpl_string.h>
#include <gdal_alg.h>
#include <gdal_utils.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/rpc_geolocation.hpp>
#include <memory>

namespace hyperplume::io {
namespace fs = std::filesystem;

std::string copernicus_tile_name(int lat, int lon) {
  char name[96];
  std::snprintf(name, sizeof name, "Copernicus_DSM_COG_10_%c%02d_00_%c%03d_00_DEM.tif",
                lat < 0 ? 'S' : 'N', std::abs(lat), lon < 0 ? 'W' : 'E', std::abs(lon));
  return name;
}

std::vector<std::string> dem_files_for(const std::string& dem, double lon0, double lat0,
                                       double lon1, double lat1) {
  std::error_code ec;
  if (fs::is_regular_file(dem, ec)) return {dem};
  if (!fs::is_directory(dem, ec))
    throw InputError("the DEM directory or file does not exist (paths.dem_dir)",
                     ErrorContext{dem, {}, {}});
  std::vector<std::string> files;
  for (int lat = static_cast<int>(std::floor(lat0)); lat <= static_cast<int>(std::floor(lat1)); ++lat)
    for (int lon = static_cast<int>(std::floor(lon0)); lon <= static_cast<int>(std::floor(lon1)); ++lon) {
      const fs::path tile = fs::path(dem) / copernicus_tile_name(lat, lon);
      if (!fs::is_regular_file(tile, ec))
        throw InputError("DEM tile " + tile.filename().string() +
                             " is missing (the scene needs it; paths.dem_dir = none uses the RPC "
                             "height offset instead)",
                         ErrorContext{dem, {}, {}});
      files.push_back(tile.string());
    }
  return files;
}

namespace {

GDALRPCInfoV2 gdal_rpc(const geo::Rpc& r) {
  GDALRPCInfoV2 g{};
  g.dfLINE_OFF = r.line_off;
  g.dfSAMP_OFF = r.samp_off;
  g.dfLAT_OFF = r.lat_off;
  g.dfLONG_OFF = r.lon_off;
  g.dfHEIGHT_OFF = r.height_off;
  g.dfLINE_SCALE = r.line_scale;
  g.dfSAMP_SCALE = r.samp_scale;
  g.dfLAT_SCALE = r.lat_scale;
  g.dfLONG_SCALE = r.lon_scale;
  g.dfHEIGHT_SCALE = r.height_scale;
  for (std::size_t k = 0; k < 20; ++k) {
    g.adfLINE_NUM_COEFF[k] = r.line_num[k];
    g.adfLINE_DEN_COEFF[k] = r.line_den[k];
    g.adfSAMP_NUM_COEFF[k] = r.samp_num[k];
    g.adfSAMP_DEN_COEFF[k] = r.samp_den[k];
  }
  g.dfMIN_LONG = -180;
  g.dfMIN_LAT = -90;
  g.dfMAX_LONG = 180;
  g.dfMAX_LAT = 90;
  g.dfERR_BIAS = g.dfERR_RAND = -1;
  return g;
}

// One VRT in GDAL's memory file system over the DEM files (one file is used as it is).
class DemMosaic {
 public:
  explicit DemMosaic(const std::vector<std::string>& files) {
    if (files.size() == 1) {
      path_ = files[0];
      return;
    }
    path_ = "/vsimem/hyperplume_dem_" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".vrt";
    std::vector<const char*> names;
    for (const auto& f : files) names.push_back(f.c_str());
    int failed = 0;
    GDALDatasetH vrt = GDALBuildVRT(path_.c_str(), static_cast<int>(names.size()), nullptr,
                                    names.data(), nullptr, &failed);
    if (!vrt || failed)
      throw InputError("cannot mosaic the DEM tiles: " + std::string(CPLGetLastErrorMsg()),
                       ErrorContext{files[0], {}, {}});
    GDALClose(vrt);
    owned_ = true;
  }
  ~DemMosaic() {
    if (owned_) VSIUnlink(path_.c_str());
  }
  DemMosaic(const DemMosaic&) = delete;
  DemMosaic& operator=(const DemMosaic&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool owned_ = false;
};

// Heights of the DEM at the points, bilinear between its pixel centres; 0 where it has no
// data (the sea) or does not reach.
void sample_dem(const std::string& dem, const Raster<double>& lon, const Raster<double>& lat,
                Raster<double>& height, const std::string& what) {
  GDALDatasetH ds = GDALOpen(dem.c_str(), GA_ReadOnly);
  if (!ds) throw InputError("cannot open the DEM: " + std::string(CPLGetLastErrorMsg()), ErrorContext{what, {}, {}});
  std::array<double, 6> gt{};
  GDALGetGeoTransform(ds, gt.data());
  const int w = GDALGetRasterXSize(ds), h = GDALGetRasterYSize(ds);
  // The window of DEM pixels around the points.
  const double x0 = (lon.minCoeff() - gt[0]) / gt[1], x1 = (lon.maxCoeff() - gt[0]) / gt[1];
  const double y0 = (lat.maxCoeff() - gt[3]) / gt[5], y1 = (lat.minCoeff() - gt[3]) / gt[5];
  const int c0 = std::clamp(static_cast<int>(std::floor(std::min(x0, x1))) - 2, 0, w - 1);
  const int c1 = std::clamp(static_cast<int>(std::ceil(std::max(x0, x1))) + 2, 0, w - 1);
  const int r0 = std::clamp(static_cast<int>(std::floor(std::min(y0, y1))) - 2, 0, h - 1);
  const int r1 = std::clamp(static_cast<int>(std::ceil(std::max(y0, y1))) + 2, 0, h - 1);
  const int ww = c1 - c0 + 1, wh = r1 - r0 + 1;
  Raster<double> z(wh, ww);
  GDALRasterBandH band = GDALGetRasterBand(ds, 1);
  int has_nodata = 0;
  const double nodata = GDALGetRasterNoDataValue(band, &has_nodata);
  const CPLErr err = GDALRasterIO(band, GF_Read, c0, r0, ww, wh, z.data(), ww, wh, GDT_Float64, 0, 0);
  GDALClose(ds);
  if (err != CE_None) throw InputError("cannot read the DEM: " + std::string(CPLGetLastErrorMsg()), ErrorContext{what, {}, {}});
  auto at = [&](int r, int c) {
    if (r < 0 || c < 0 || r >= wh || c >= ww) return 0.0;
    const double v = z(r, c);
    return (has_nodata && v == nodata) || !std::isfinite(v) ? 0.0 : v;
  };
  height.resize(lon.rows(), lon.cols());
  for (Eigen::Index i = 0; i < lon.size(); ++i) {
    const double fx = (lon.data()[i] - gt[0]) / gt[1] - 0.5 - c0, fy = (lat.data()[i] - gt[3]) / gt[5] - 0.5 - r0;
    const int cx = static_cast<int>(std::floor(fx)), cy = static_cast<int>(std::floor(fy));
    const double ax = fx - cx, ay = fy - cy;
    height.data()[i] = (1 - ay) * ((1 - ax) * at(cy, cx) + ax * at(cy, cx + 1)) +
                       ay * ((1 - ax) * at(cy + 1, cx) + ax * at(cy + 1, cx + 1));
  }
}

struct TransformerCloser {
  void operator()(void* t) const { GDALDestroyRPCTransformer(t); }
};

}  // namespace

PixelGround locate_rpc_pixels(const geo::Rpc& rpc, int rows, int cols,
                              const std::vector<std::string>& dem_files, const std::string& what) {
  gdal_register_once();
  std::unique_ptr<DemMosaic> dem;
  char** options = nullptr;
  if (!dem_files.empty()) {
    dem = std::make_unique<DemMosaic>(dem_files);
    options = CSLSetNameValue(options, "RPC_DEM", dem->path().c_str());
    options = CSLSetNameValue(options, "RPC_DEMINTERPOLATION", "bilinear");
    options = CSLSetNameValue(options, "RPC_DEM_MISSING_VALUE", "0");
  } else {
    options = CSLSetNameValue(options, "RPC_HEIGHT", std::to_string(rpc.height_off).c_str());
  }
  const std::unique_ptr<char*, void (*)(char**)> own_options(options, CSLDestroy);
  const GDALRPCInfoV2 info = gdal_rpc(rpc);
  PixelGround g;
  g.dem = dem ? (dem_files.size() == 1 ? dem_files[0] : fs::path(dem_files[0]).parent_path().string())
              : "none: RPC height offset " + std::to_string(rpc.height_off) + " m";
  g.lat.resize(rows, cols);
  g.lon.resize(rows, cols);
  // Rows shared among threads, each with its own transformer (a transformer caches DEM
  // blocks and is not shared); every row's result is its own, so the thread count cannot
  // change it.
  const int threads = std::min(2, thread_count(0));
  parallel_for(threads, threads, [&](std::int64_t worker) {
    // Threshold for the iterative inversion: 0.01 pixel.
    std::unique_ptr<void, TransformerCloser> t(GDALCreateRPCTransformerV2(&info, FALSE, 0.01, options));
    if (!t) throw InputError("the RPC cannot be used: " + std::string(CPLGetLastErrorMsg()),
                             ErrorContext{what, {}, {}});
    std::vector<double> x(static_cast<std::size_t>(cols)), y(x.size()), z(x.size());
    std::vector<int> ok(x.size());
    for (int r = static_cast<int>(worker); r < rows; r += threads) {
      // GDAL's image coordinates put 0 at the first pixel's corner; the RPC at its centre.
      for (int c = 0; c < cols; ++c) {
        x[static_cast<std::size_t>(c)] = c + 0.5;
        y[static_cast<std::size_t>(c)] = r + 0.5;
        z[static_cast<std::size_t>(c)] = 0;
      }
      GDALRPCTransform(t.get(), FALSE, cols, x.data(), y.data(), z.data(), ok.data());
      for (int c = 0; c < cols; ++c) {
        const auto k = static_cast<std::size_t>(c);
        if (!ok[k] || !std::isfinite(x[k]) || !std::isfinite(y[k]))
          throw InputError("the RPC does not invert at pixel (row " + std::to_string(r) +
                               ", column " + std::to_string(c) + ")",
                           ErrorContext{what, {}, {}});
        g.lon(r, c) = x[k];
        g.lat(r, c) = y[k];
      }
    }
  });
  if (dem)
    sample_dem(dem->path(), g.lon, g.lat, g.height, what);
  else
    g.height = Raster<double>::Constant(rows, cols, rpc.height_off);
  return g;
}

}  // namespace hyperplume::io
