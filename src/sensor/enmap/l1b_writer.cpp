// Synthetic EnMAP L1B tiles in DLR's layout: GeoTIFFs written by GDAL into a scratch folder
// beside the output, then stored with METADATA.XML in one ZIP (GDAL's zip writer).
#include <cpl_conv.h>
#include <gdal_priv.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/sensor/enmap/l1b.hpp>
#include <memory>
#include <sstream>

namespace hyperplume::sensor {
namespace fs = std::filesystem;

namespace {

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

std::string num(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

std::string iso_micro(const UtcTime& t) {  // 2022-10-02T07:48:33.000000Z
  const CivilTime c = t.civil();
  char b[40];
  std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%09.6fZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return b;
}

void tag(std::ostringstream& x, const std::string& name, const std::string& value) {
  x << "<" << name << ">" << value << "</" << name << ">";
}

void corner_block(std::ostringstream& x, const std::string& name, double centre) {
  x << "<" << name << ">";
  for (const char* corner : {"upper_left", "upper_right", "lower_left", "lower_right"})
    tag(x, corner, num(centre));
  tag(x, "center", num(centre));
  x << "</" << name << ">\n";
}

void rpc_block(std::ostringstream& x, int number, const geo::Rpc& r) {
  x << "<bandID number=\"" << number << "\">";
  tag(x, "ROW_OFF", num(r.line_off));
  tag(x, "COL_OFF", num(r.samp_off));
  tag(x, "LAT_OFF", num(r.lat_off));
  tag(x, "LONG_OFF", num(r.lon_off));
  tag(x, "HEIGHT_OFF", num(r.height_off));
  tag(x, "ROW_SCALE", num(r.line_scale));
  tag(x, "COL_SCALE", num(r.samp_scale));
  tag(x, "LAT_SCALE", num(r.lat_scale));
  tag(x, "LONG_SCALE", num(r.lon_scale));
  tag(x, "HEIGHT_SCALE", num(r.height_scale));
  auto coeffs = [&](const char* name, const std::array<double, 20>& c) {
    for (std::size_t k = 0; k < 20; ++k) tag(x, name + std::to_string(k + 1), num(c[k]));
  };
  coeffs("ROW_NUM_COEFF_", r.line_num);
  coeffs("ROW_DEN_COEFF_", r.line_den);
  coeffs("COL_NUM_COEFF_", r.samp_num);
  coeffs("COL_DEN_COEFF_", r.samp_den);
  x << "</bandID>\n";
}

std::string metadata_xml(const EnmapGranuleInfo& info, const EnmapImage& im,
                         const std::string& base) {
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<level_X>\n<base>";
  tag(x, "format", "ENMAP_L1B");
  tag(x, "level", "L1B");
  tag(x, "revision", "01.05.01");
  x << "<temporalCoverage>";
  tag(x, "startTime", iso_micro(info.start));
  tag(x, "stopTime", iso_micro(info.end));
  x << "</temporalCoverage>\n<spatialCoverage><boundingPolygon>";
  const char* frames[] = {"upper_left", "upper_right", "lower_left", "lower_right"};
  for (std::size_t k = 0; k < 4; ++k) {
    x << "<point>";
    tag(x, "frame", frames[k]);
    tag(x, "latitude", num(info.corners[k].second));
    tag(x, "longitude", num(info.corners[k].first));
    x << "</point>";
  }
  x << "</boundingPolygon></spatialCoverage>\n</base>\n<specific>\n";
  corner_block(x, "acrossOffNadirAngle", info.across_off_nadir);
  corner_block(x, "alongOffNadirAngle", 0.0);
  corner_block(x, "sceneAzimuthAngle", info.scene_azimuth);
  corner_block(x, "sunElevationAngle", info.sun_elevation);
  corner_block(x, "sunAzimuthAngle", info.sun_azimuth);
  x << "<qualityFlag>";
  tag(x, "sceneAOT", num(std::round(info.aot * 1000)));
  tag(x, "sceneWV", "1200");
  x << "</qualityFlag>\n<bandCharacterisation>\n";
  int number = 1;
  for (const auto* set : {&im.vnir, &im.swir})
    for (const EnmapBand& b : *set) {
      x << "<bandID number=\"" << number++ << "\">";
      tag(x, "wavelengthCenterOfBand", num(b.centre));
      tag(x, "FWHMOfBand", num(b.fwhm));
      tag(x, "GainOfBand", num(b.gain));
      tag(x, "OffsetOfBand", num(b.offset));
      x << "</bandID>\n";
    }
  x << "</bandCharacterisation>\n</specific>\n<product>\n<image>\n";
  for (const char* kind : {"vnir", "swir"}) {
    const bool vnir = std::string(kind) == "vnir";
    x << "<" << kind << ">";
    tag(x, "name", base + "-SPECTRAL_IMAGE_" + (vnir ? "VNIR" : "SWIR") + ".TIF");
    x << "<dimension>";
    tag(x, "columns", std::to_string(im.cols));
    tag(x, "rows", std::to_string(im.rows));
    x << "</dimension>";
    tag(x, "channels", std::to_string(vnir ? im.vnir.size() : im.swir.size()));
    x << "</" << kind << ">\n";
  }
  x << "</image>\n<navigation><RPC>\n";
  for (int b = 1; b < number; ++b) rpc_block(x, b, im.rpc);
  x << "</RPC></navigation>\n</product>\n</level_X>\n";
  return x.str();
}

GeoTransform approximate_affine(const EnmapGranuleInfo& info, int rows, int cols) {
  const auto& [ul, ur, ll, lr] = info.corners;
  GeoTransform gt;
  gt.gt = {ul.first,  (ur.first - ul.first) / cols,  (ll.first - ul.first) / rows,
           ul.second, (ur.second - ul.second) / cols, (ll.second - ul.second) / rows};
  return gt;
}

DatasetPtr create_tiff(const fs::path& path, int cols, int rows, int bands, GDALDataType type,
                       const GeoTransform& gt) {
  GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!gtiff) throw InternalError("GDAL lacks the GTiff driver");
  const char* options[] = {"INTERLEAVE=BAND", nullptr};
  DatasetPtr ds(gtiff->Create(path.c_str(), cols, rows, bands, type, const_cast<char**>(options)));
  if (!ds)
    throw InputError(std::string("GDAL cannot create GeoTIFF: ") + CPLGetLastErrorMsg(),
                     ErrorContext{path.string(), {}, {}});
  ds->SetGeoTransform(const_cast<double*>(gt.gt.data()));
  ds->SetProjection(SRS_WKT_WGS84_LAT_LONG);
  return ds;
}

void check(CPLErr e, const fs::path& path) {
  if (e != CE_None)
    throw InputError(std::string("GDAL write failed: ") + CPLGetLastErrorMsg(),
                     ErrorContext{path.string(), {}, {}});
}

// DN of a radiance for a band: L = 1000 (DN gain + offset).
std::int16_t to_dn(float radiance, const EnmapBand& b) {
  const double dn = std::round((static_cast<double>(radiance) / 1000.0 - b.offset) / b.gain);
  return static_cast<std::int16_t>(std::clamp(dn, -32767.0, 32767.0));
}

void write_spectral_images(const fs::path& vnir_path, const fs::path& swir_path,
                           const EnmapGranuleInfo& info, const EnmapImage& im,
                           const EnmapRowSource& radiance, int block_rows) {
  const int nv = static_cast<int>(im.vnir.size()), ns = static_cast<int>(im.swir.size());
  const int nb = nv + ns, cols = im.cols;
  const GeoTransform gt = approximate_affine(info, im.rows, im.cols);
  DatasetPtr vnir = create_tiff(vnir_path, cols, im.rows, nv, GDT_Int16, gt);
  DatasetPtr swir = create_tiff(swir_path, cols, im.rows, ns, GDT_Int16, gt);
  std::vector<float> rad;
  std::vector<std::int16_t> dv, ds;
  for (int r0 = 0; r0 < im.rows; r0 += block_rows) {
    const int r1 = std::min(im.rows, r0 + block_rows), n = r1 - r0;
    const std::size_t pixels = static_cast<std::size_t>(n) * cols;
    rad.assign(pixels * nb, 0.0f);
    radiance(r0, r1, rad.data());
    dv.resize(pixels * nv);
    ds.resize(pixels * ns);
    for (std::size_t p = 0; p < pixels; ++p) {
      for (int b = 0; b < nv; ++b)
        dv[p * nv + b] = to_dn(rad[p * nb + b], im.vnir[static_cast<std::size_t>(b)]);
      for (int b = 0; b < ns; ++b)
        ds[p * ns + b] = to_dn(rad[p * nb + nv + b], im.swir[static_cast<std::size_t>(b)]);
    }
    // Pixel-interleaved buffers written into band-sequential files.
    check(vnir->RasterIO(GF_Write, 0, r0, cols, n, dv.data(), cols, n, GDT_Int16, nv, nullptr,
                         2 * nv, 2 * nv * cols, 2, nullptr),
          vnir_path);
    check(swir->RasterIO(GF_Write, 0, r0, cols, n, ds.data(), cols, n, GDT_Int16, ns, nullptr,
                         2 * ns, 2 * ns * cols, 2, nullptr),
          swir_path);
  }
}

void write_quality(const fs::path& path, const Raster<std::uint8_t>& q, const GeoTransform& gt) {
  DatasetPtr ds = create_tiff(path, static_cast<int>(q.cols()), static_cast<int>(q.rows()), 1,
                              GDT_Byte, gt);
  check(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, static_cast<int>(q.cols()),
                                       static_cast<int>(q.rows()),
                                       const_cast<std::uint8_t*>(q.data()),
                                       static_cast<int>(q.cols()), static_cast<int>(q.rows()),
                                       GDT_Byte, 0, 0, nullptr),
        path);
}

// Stores the files under `folder/` in a new ZIP (deflated, as DLR's).
void zip_files(const fs::path& zip, const std::string& folder, const std::vector<fs::path>& files) {
  void* h = CPLCreateZip(zip.c_str(), nullptr);
  if (!h) throw InputError("cannot create the ZIP", ErrorContext{zip.string(), {}, {}});
  std::vector<char> buf(1 << 20);
  bool ok = true;
  for (const fs::path& f : files) {
    const std::string name = folder + "/" + f.filename().string();
    if (CPLCreateFileInZip(h, name.c_str(), nullptr) != CE_None) {
      ok = false;
      break;
    }
    std::ifstream in(f, std::ios::binary);
    while (ok && in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const auto got = static_cast<int>(in.gcount());
      if (got > 0 && CPLWriteFileInZip(h, buf.data(), got) != CE_None) ok = false;
    }
    if (CPLCloseFileInZip(h) != CE_None) ok = false;
    if (!ok) break;
  }
  if (CPLCloseZip(h) != CE_None) ok = false;
  if (!ok)
    throw InputError(std::string("cannot write the ZIP: ") + CPLGetLastErrorMsg(),
                     ErrorContext{zip.string(), {}, {}});
}

}  // namespace

std::string write_enmap_l1b(const std::string& dir, const EnmapGranuleInfo& info,
                            const EnmapImage& im, const EnmapRowSource& radiance,
                            int block_rows) {
  io::gdal_register_once();
  const std::string base = enmap_granule_stem(info);
  const fs::path zip = fs::path(dir) / (base + ".ZIP");
  io::AtomicOutput out(zip);
  const fs::path scratch = out.temp_path().string() + ".d";
  fs::create_directories(scratch);
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{scratch};

  std::vector<fs::path> files;
  files.push_back(scratch / (base + "-METADATA.XML"));
  {
    std::ofstream x(files.back());
    x << metadata_xml(info, im, base);
    if (!x) throw InputError("cannot write METADATA.XML", ErrorContext{files.back().string(), {}, {}});
  }
  files.push_back(scratch / (base + "-SPECTRAL_IMAGE_VNIR.TIF"));
  files.push_back(scratch / (base + "-SPECTRAL_IMAGE_SWIR.TIF"));
  write_spectral_images(files[1], files[2], info, im, radiance, block_rows);
  const GeoTransform gt = approximate_affine(info, im.rows, im.cols);
  for (const auto& [name, q] : im.quality) {
    files.push_back(scratch / (base + "-QL_QUALITY_" + name + ".TIF"));
    write_quality(files.back(), q, gt);
  }
  zip_files(out.temp_path(), base, files);
  out.commit();
  return zip.string();
}

}  // namespace hyperplume::sensor
