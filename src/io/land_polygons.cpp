#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/land_polygons.hpp>
#include <memory>
#include <vector>

namespace hyperplume::io {

Raster<std::int32_t> land_mask_from_polygons(const std::string& path, const Raster<double>& lat,
                                             const Raster<double>& lon, double res) {
  gdal_register_once();
  if (path.empty())
    throw InputError("land mask: no polygon file configured (paths.gshhs or paths.natural_earth)");
  if (!std::filesystem::exists(path))
    throw InputError("land polygon file is missing", ErrorContext{path, {}, {}});
  std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> vec(
      static_cast<GDALDataset*>(
          GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)),
      [](GDALDataset* d) { GDALClose(d); });
  if (!vec || vec->GetLayerCount() == 0)
    throw InputError(std::string("cannot read land polygons: ") + CPLGetLastErrorMsg(),
                     ErrorContext{path, {}, {}});
  double w = 1e9, e = -1e9, s = 1e9, n = -1e9;
  for (Eigen::Index i = 0; i < lat.size(); ++i)
    if (std::isfinite(lat.data()[i]) && std::isfinite(lon.data()[i])) {
      w = std::min(w, lon.data()[i]);
      e = std::max(e, lon.data()[i]);
      s = std::min(s, lat.data()[i]);
      n = std::max(n, lat.data()[i]);
    }
  w -= res;
  n += res;
  const int nx = static_cast<int>(std::ceil((e + res - w) / res)),
            ny = static_cast<int>(std::ceil((n - (s - res)) / res));
  std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> grid(
      GetGDALDriverManager()->GetDriverByName("MEM")->Create("", nx, ny, 1, GDT_Byte, nullptr),
      [](GDALDataset* d) { GDALClose(d); });
  double gt[6] = {w, res, 0, n, 0, -res};
  grid->SetGeoTransform(gt);
  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  grid->SetSpatialRef(&wgs84);
  std::vector<OGRLayerH> layers;
  for (int l = 0; l < vec->GetLayerCount(); ++l) {
    OGRLayer* layer = vec->GetLayer(l);
    layer->SetSpatialFilterRect(w, s - res, e + res, n);
    layers.push_back(OGRLayer::ToHandle(layer));
  }
  int band = 1;
  double burn = 1.0;
  const char* options[] = {"ALL_TOUCHED=FALSE", nullptr};
  if (GDALRasterizeLayers(GDALDataset::ToHandle(grid.get()), 1, &band,
                          static_cast<int>(layers.size()), layers.data(), nullptr, nullptr, &burn,
                          const_cast<char**>(options), nullptr, nullptr) != CE_None)
    throw InputError(std::string("cannot rasterise land polygons: ") + CPLGetLastErrorMsg(),
                     ErrorContext{path, {}, {}});
  std::vector<std::uint8_t> cells(static_cast<std::size_t>(nx) * ny);
  if (grid->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, nx, ny, cells.data(), nx, ny, GDT_Byte, 0,
                                       0) != CE_None)
    throw InternalError("cannot read the rasterised land mask");
  Raster<std::int32_t> land(lat.rows(), lat.cols());
  for (Eigen::Index i = 0; i < lat.size(); ++i) {
    const int x = static_cast<int>(std::floor((lon.data()[i] - w) / res)),
              y = static_cast<int>(std::floor((n - lat.data()[i]) / res));
    land.data()[i] =
        (x >= 0 && y >= 0 && x < nx && y < ny) ? cells[static_cast<std::size_t>(y) * nx + x] : 0;
  }
  return land;
}

}  // namespace hyperplume::io
