#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <memory>
#include <mutex>
#include <sstream>

namespace hyperplume::io {
namespace fs = std::filesystem;

void gdal_register_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALAllRegister();
    CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");  // no .aux.xml side files
  });
}

namespace {
struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

std::string wgs84_wkt() {
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  std::string s = wkt;
  CPLFree(wkt);
  return s;
}

// A single-band EPSG:4326 GeoTIFF at the atomic output's temporary path.
DatasetPtr create_geotiff(const AtomicOutput& out, int width, int height, GDALDataType type,
                          const char* const* options, const GeoTransform& transform) {
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!gtiff) throw InternalError("GDAL lacks the GTiff driver");
  DatasetPtr ds(gtiff->Create(out.temp_path().c_str(), width, height, 1, type,
                              const_cast<char**>(options)));
  if (!ds)
    throw InputError(std::string("GDAL cannot create GeoTIFF: ") + CPLGetLastErrorMsg(),
                     ErrorContext{out.final_path().string(), {}, {}});
  ds->SetGeoTransform(const_cast<double*>(transform.gt.data()));
  const std::string wkt = wgs84_wkt();
  ds->SetProjection(wkt.c_str());
  return ds;
}

// Closes it (GDALClose flushes the tile index) and says if that failed.
void close_geotiff(DatasetPtr& ds, const AtomicOutput& out) {
  CPLErrorReset();
  ds.reset();
  if (CPLGetLastErrorType() >= CE_Failure)
    throw InputError(std::string("GDAL cannot close GeoTIFF: ") + CPLGetLastErrorMsg(),
                     ErrorContext{out.final_path().string(), {}, {}});
}

std::string iso_z(const UtcTime& t) {
  std::string s = t.iso8601();  // ...+0000
  return s.substr(0, 19) + "Z";
}
}  // namespace

void write_grib2(const std::string& path, const std::vector<Grib2Field>& fields) {
  gdal_register_once();
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  GDALDriver* grib = GetGDALDriverManager()->GetDriverByName("GRIB");
  if (!mem || !grib) throw InternalError("GDAL lacks the MEM or GRIB driver");
  AtomicOutput out(path);
  std::ofstream file(out.temp_path(), std::ios::binary);
  const std::string wkt = wgs84_wkt();
  const fs::path scratch = out.temp_path().string() + ".msg";
  for (const Grib2Field& f : fields) {
    const int w = static_cast<int>(f.values.cols()), h = static_cast<int>(f.values.rows());
    DatasetPtr ds(mem->Create("", w, h, 1, GDT_Float64, nullptr));
    ds->SetGeoTransform(const_cast<double*>(f.transform.gt.data()));
    ds->SetProjection(wkt.c_str());
    if (ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, w, h, const_cast<double*>(f.values.data()),
                                       w, h, GDT_Float64, 0, 0) != CE_None)
      throw InternalError("GDAL MEM write failed");
    std::ostringstream ids, pds;
    ids << "CENTER=98 SUBCENTER=0 MASTER_TABLE=2 LOCAL_TABLE=0 SIGNF_REF_TIME=0 REF_TIME="
        << iso_z(f.reference_time) << " PROD_STATUS=0 TYPE=0";
    // Template 4.0: category, number, process type (0 analysis), background id, process id,
    // cutoff h, cutoff min, time unit (1 h), forecast time, surface 1 (type, scale, value),
    // surface 2 (missing).
    pds << f.category << " " << f.number << " 0 0 0 0 0 1 0 " << f.surface_type << " 0 "
        << f.surface_value << " 255 0 0";
    const std::string ids_opt = "IDS=" + ids.str(),
                      pds_opt = "PDS_TEMPLATE_ASSEMBLED_VALUES=" + pds.str();
    const char* options[] = {"DISCIPLINE=0",
                             ids_opt.c_str(),
                             "PDS_PDTN=0",
                             pds_opt.c_str(),
                             "DATA_ENCODING=SIMPLE_PACKING",
                             "DECIMAL_SCALE_FACTOR=3",
                             nullptr};
    DatasetPtr copy(grib->CreateCopy(scratch.c_str(), ds.get(), FALSE, const_cast<char**>(options),
                                     nullptr, nullptr));
    if (!copy)
      throw InputError(std::string("GDAL cannot write GRIB2: ") + CPLGetLastErrorMsg(),
                       ErrorContext{path, {}, {}});
    copy.reset();
    std::ifstream msg(scratch, std::ios::binary);
    file << msg.rdbuf();
  }
  std::error_code ec;
  fs::remove(scratch, ec);
  file.close();
  if (!file) throw InputError("cannot write GRIB file", ErrorContext{path, {}, {}});
  out.commit();
}

void write_sparse_byte_geotiff(const std::string& path, int width, int height,
                               const GeoTransform& transform, int bx0, int by0, int bx1, int by1,
                               const BlockFiller& fill) {
  gdal_register_once();
  AtomicOutput out(path);
  {
    const char* options[] = {"TILED=YES",        "BLOCKXSIZE=512", "BLOCKYSIZE=512",
                             "COMPRESS=DEFLATE", "SPARSE_OK=TRUE", nullptr};
    DatasetPtr ds = create_geotiff(out, width, height, GDT_Byte, options, transform);
    std::vector<std::uint8_t> block(static_cast<std::size_t>(kGeoTiffBlock) * kGeoTiffBlock);
    for (int by = by0; by < by1; ++by)
      for (int bx = bx0; bx < bx1; ++bx) {
        const int x0 = bx * kGeoTiffBlock, y0 = by * kGeoTiffBlock;
        const int w = std::min(kGeoTiffBlock, width - x0), h = std::min(kGeoTiffBlock, height - y0);
        if (w <= 0 || h <= 0) continue;
        std::fill(block.begin(), block.end(), 0);
        if (!fill(x0, y0, w, h, block.data())) continue;
        if (ds->GetRasterBand(1)->RasterIO(GF_Write, x0, y0, w, h, block.data(), w, h, GDT_Byte, 0,
                                           0) != CE_None)
          throw InputError(std::string("GDAL write failed: ") + CPLGetLastErrorMsg(),
                           ErrorContext{path, {}, {}});
      }
    close_geotiff(ds, out);
  }
  out.commit();
}

void write_float_geotiff(const std::string& path, const Raster<float>& values,
                         const GeoTransform& transform, double nodata) {
  gdal_register_once();
  AtomicOutput out(path);
  {
    const int w = static_cast<int>(values.cols()), h = static_cast<int>(values.rows());
    const char* options[] = {"TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=3", nullptr};
    DatasetPtr ds = create_geotiff(out, w, h, GDT_Float32, options, transform);
    if (std::isfinite(nodata)) ds->GetRasterBand(1)->SetNoDataValue(nodata);
    if (ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, w, h, const_cast<float*>(values.data()), w,
                                       h, GDT_Float32, 0, 0) != CE_None)
      throw InputError(std::string("GDAL write failed: ") + CPLGetLastErrorMsg(),
                       ErrorContext{path, {}, {}});
    close_geotiff(ds, out);
  }
  out.commit();
}

}  // namespace hyperplume::io
