#include <cpl_minixml.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/geo/geolocation_glt.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/rpc_geolocation.hpp>
#include <hyperplume/sensor/enmap/l1b.hpp>
#include <limits>
#include <memory>

namespace hyperplume::sensor {
namespace fs = std::filesystem;

namespace {

constexpr double kMetresPerDegree = 111319.49;
constexpr double kEnmapGsd = 30.0;

[[noreturn]] void fail(const std::string& file, const std::string& what) {
  throw InputError(what, ErrorContext{file, {}, {}});
}

struct XmlTree {
  CPLXMLNode* root = nullptr;
  ~XmlTree() {
    if (root) CPLDestroyXMLNode(root);
  }
};

// The document element (the first element that is not the <?xml?> declaration).
const CPLXMLNode* document(const CPLXMLNode* n) {
  for (; n; n = n->psNext)
    if (n->eType == CXT_Element && n->pszValue[0] != '?') return n;
  return nullptr;
}

double number(const CPLXMLNode* node, const char* path, const std::string& file,
              const std::string& item) {
  const char* v = CPLGetXMLValue(node, path, nullptr);
  char* end = nullptr;
  const double x = v ? std::strtod(v, &end) : std::numeric_limits<double>::quiet_NaN();
  if (!v || end == v || !std::isfinite(x)) fail(file, "METADATA.XML: " + item + " is missing or not a number");
  return x;
}

std::string text(const CPLXMLNode* node, const char* path, const std::string& file,
                 const std::string& item) {
  const char* v = CPLGetXMLValue(node, path, nullptr);
  if (!v || !*v) fail(file, "METADATA.XML: " + item + " is missing");
  return v;
}

// Children named `name` of `parent`, by their number="" attribute (1-based, contiguous).
std::vector<const CPLXMLNode*> numbered(const CPLXMLNode* parent, const char* name,
                                        const std::string& file, const std::string& where) {
  std::vector<const CPLXMLNode*> out;
  for (const CPLXMLNode* c = parent ? parent->psChild : nullptr; c; c = c->psNext) {
    if (c->eType != CXT_Element || std::string(c->pszValue) != name) continue;
    const int k = std::atoi(CPLGetXMLValue(c, "number", "0"));
    if (k < 1) fail(file, "METADATA.XML: a " + where + " entry has no band number");
    if (out.size() < static_cast<std::size_t>(k)) out.resize(static_cast<std::size_t>(k), nullptr);
    out[static_cast<std::size_t>(k - 1)] = c;
  }
  return out;
}

geo::Rpc parse_rpc(const CPLXMLNode* b, const std::string& file, int band) {
  const std::string item = "RPC of band " + std::to_string(band) + ": ";
  auto get = [&](const std::string& name) { return number(b, name.c_str(), file, item + name); };
  geo::Rpc r;
  r.line_off = get("ROW_OFF");
  r.samp_off = get("COL_OFF");
  r.lat_off = get("LAT_OFF");
  r.lon_off = get("LONG_OFF");
  r.height_off = get("HEIGHT_OFF");
  r.line_scale = get("ROW_SCALE");
  r.samp_scale = get("COL_SCALE");
  r.lat_scale = get("LAT_SCALE");
  r.lon_scale = get("LONG_SCALE");
  r.height_scale = get("HEIGHT_SCALE");
  for (std::size_t k = 0; k < 20; ++k) {
    const std::string i = std::to_string(k + 1);
    r.line_num[k] = get("ROW_NUM_COEFF_" + i);
    r.line_den[k] = get("ROW_DEN_COEFF_" + i);
    r.samp_num[k] = get("COL_NUM_COEFF_" + i);
    r.samp_den[k] = get("COL_DEN_COEFF_" + i);
  }
  return r;
}

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

DatasetPtr open_image(const std::string& vsi, const std::string& zip, const std::string& name) {
  DatasetPtr ds(static_cast<GDALDataset*>(GDALOpen(vsi.c_str(), GA_ReadOnly)));
  if (!ds) fail(zip, name + ": GDAL cannot read it (truncated or corrupt?): " + CPLGetLastErrorMsg());
  return ds;
}

}  // namespace

EnmapL1bReader::EnmapL1bReader(const std::string& zip_path) : zip_(zip_path) {
  io::gdal_register_once();
  std::error_code ec;
  if (!fs::is_regular_file(zip_, ec)) fail(zip_, "the L1B ZIP does not exist");
  const std::string vsi = "/vsizip/" + zip_;
  char** list = VSIReadDirRecursive(vsi.c_str());
  std::string metadata;
  for (char** p = list; p && *p; ++p) {
    const std::string entry = *p;
    if (entry.size() > 13 && entry.ends_with("-METADATA.XML") &&
        std::count(entry.begin(), entry.end(), '/') <= 1)
      metadata = entry;
  }
  CSLDestroy(list);
  if (metadata.empty()) fail(zip_, "no <base>-METADATA.XML in the ZIP (not an EnMAP L1B tile, or a damaged ZIP)");
  const auto slash = metadata.rfind('/');
  folder_ = slash == std::string::npos ? "" : metadata.substr(0, slash + 1);
  base_ = metadata.substr(folder_.size(), metadata.size() - folder_.size() - 13);

  XmlTree xml;
  xml.root = CPLParseXMLFile(member("METADATA.XML").c_str());
  const CPLXMLNode* doc = document(xml.root);
  if (!doc) fail(zip_, "METADATA.XML cannot be parsed: " + std::string(CPLGetLastErrorMsg()));
  if (text(doc, "base.level", zip_, "base/level") != "L1B")
    fail(zip_, "METADATA.XML: base/level is not L1B");
  start_ = UtcTime::parse_iso8601(text(doc, "base.temporalCoverage.startTime", zip_, "base/temporalCoverage/startTime"));
  end_ = UtcTime::parse_iso8601(text(doc, "base.temporalCoverage.stopTime", zip_, "base/temporalCoverage/stopTime"));
  vza_ = std::abs(number(doc, "specific.acrossOffNadirAngle.center", zip_, "specific/acrossOffNadirAngle/center"));
  vaa_ = number(doc, "specific.sceneAzimuthAngle.center", zip_, "specific/sceneAzimuthAngle/center");
  sza_ = 90.0 - number(doc, "specific.sunElevationAngle.center", zip_, "specific/sunElevationAngle/center");
  saa_ = number(doc, "specific.sunAzimuthAngle.center", zip_, "specific/sunAzimuthAngle/center");

  vnir_image_ = text(doc, "product.image.vnir.name", zip_, "product/image/vnir/name");
  swir_image_ = text(doc, "product.image.swir.name", zip_, "product/image/swir/name");
  rows_ = static_cast<int>(number(doc, "product.image.swir.dimension.rows", zip_, "product/image/swir/dimension/rows"));
  cols_ = static_cast<int>(number(doc, "product.image.swir.dimension.columns", zip_, "product/image/swir/dimension/columns"));
  vnir_ = static_cast<int>(number(doc, "product.image.vnir.channels", zip_, "product/image/vnir/channels"));
  const int swir = static_cast<int>(number(doc, "product.image.swir.channels", zip_, "product/image/swir/channels"));
  if (rows_ <= 0 || cols_ <= 0 || vnir_ <= 0 || swir <= 0) fail(zip_, "METADATA.XML: an image dimension or channel count is not positive");

  const auto chars = numbered(CPLGetXMLNode(doc, "specific.bandCharacterisation"), "bandID", zip_, "bandCharacterisation");
  if (chars.size() != static_cast<std::size_t>(vnir_ + swir))
    fail(zip_, "METADATA.XML: bandCharacterisation has " + std::to_string(chars.size()) +
                   " bands, the images " + std::to_string(vnir_ + swir));
  for (std::size_t k = 0; k < chars.size(); ++k) {
    const std::string item = "band " + std::to_string(k + 1) + " ";
    if (!chars[k]) fail(zip_, "METADATA.XML: " + item + "has no band characterisation");
    EnmapBand b;
    b.centre = number(chars[k], "wavelengthCenterOfBand", zip_, item + "wavelengthCenterOfBand");
    b.fwhm = number(chars[k], "FWHMOfBand", zip_, item + "FWHMOfBand");
    b.gain = number(chars[k], "GainOfBand", zip_, item + "GainOfBand");
    b.offset = number(chars[k], "OffsetOfBand", zip_, item + "OffsetOfBand");
    bands_.push_back(b);
  }
  // The retrieval sees the bands in wavelength order; VNIR's and SWIR's overlap (902-993 nm)
  // is kept as it is (HyperGas keeps both).
  for (const auto& b : bands_) {
    centres_.push_back(b.centre);
    fwhm_.push_back(b.fwhm);
  }

  const auto rpcs = numbered(CPLGetXMLNode(doc, "product.navigation.RPC"), "bandID", zip_, "RPC");
  int nearest = -1;
  for (int k = vnir_; k < vnir_ + swir; ++k)
    if (nearest < 0 || std::abs(centres_[static_cast<std::size_t>(k)] - 2300.0) <
                           std::abs(centres_[static_cast<std::size_t>(nearest)] - 2300.0))
      nearest = k;
  if (static_cast<int>(rpcs.size()) <= nearest || !rpcs[static_cast<std::size_t>(nearest)])
    fail(zip_, "METADATA.XML: no RPC for band " + std::to_string(nearest + 1));
  rpc_ = parse_rpc(rpcs[static_cast<std::size_t>(nearest)], zip_, nearest + 1);

  for (const auto& [name, bands] : {std::pair{vnir_image_, vnir_}, std::pair{swir_image_, swir}}) {
    DatasetPtr ds = open_image("/vsizip/" + zip_ + "/" + folder_ + name, zip_, name);
    if (ds->GetRasterXSize() != cols_ || ds->GetRasterYSize() != rows_ || ds->GetRasterCount() != bands)
      fail(zip_, name + " is " + std::to_string(ds->GetRasterXSize()) + " x " +
                     std::to_string(ds->GetRasterYSize()) + " x " + std::to_string(ds->GetRasterCount()) +
                     ", the metadata says " + std::to_string(cols_) + " x " + std::to_string(rows_) +
                     " x " + std::to_string(bands));
    (name == vnir_image_ ? vnir_ds_ : swir_ds_) =
        std::shared_ptr<void>(ds.release(), [](void* d) { GDALClose(static_cast<GDALDataset*>(d)); });
  }
}

std::string EnmapL1bReader::member(const std::string& suffix) const {
  return "/vsizip/" + zip_ + "/" + folder_ + base_ + "-" + suffix;
}

std::size_t EnmapL1bReader::read_box(const std::vector<int>& bands, int r0, int r1, int c0,
                                     int c1, RadianceCube& cube) const {
  if (bands.empty()) fail(zip_, "no bands requested");
  for (std::size_t i = 0; i < bands.size(); ++i)
    if (bands[i] < 0 || bands[i] >= this->bands() || (i > 0 && bands[i] <= bands[i - 1]))
      fail(zip_, "band selection is not ascending within 0.." + std::to_string(this->bands() - 1));
  if (r0 < 0 || r1 > rows_ || r0 >= r1 || c0 < 0 || c1 > cols_ || c0 >= c1)
    fail(zip_, "requested window is outside the image");
  inflate_images();
  const int nr = r1 - r0, nc = c1 - c0, nb = static_cast<int>(bands.size());
  if (cube.rows() != nr || cube.cols() != nc || cube.bands() != nb)
    cube = RadianceCube(nr, nc, nb, true);
  std::vector<double> gain, offset;
  for (int b : bands) {
    gain.push_back(1000.0 * bands_[static_cast<std::size_t>(b)].gain);
    offset.push_back(1000.0 * bands_[static_cast<std::size_t>(b)].offset);
  }
  // A few bands at a time as GDAL lays them out (plane after plane), then into the cube's
  // (column, row, band) layout in tiles small enough to stay in cache; calibrated on the way.
  constexpr int kGroup = 16, kTileCols = 8, kTileRows = 64;
  std::vector<float> planes(static_cast<std::size_t>(kGroup) * static_cast<std::size_t>(nr) *
                            static_cast<std::size_t>(nc));
  const std::size_t plane = static_cast<std::size_t>(nr) * static_cast<std::size_t>(nc);
  for (int i0 = 0; i0 < nb;) {
    const int i1 = std::min(nb, i0 + kGroup);
    // A group never straddles the two images.
    const bool vnir = bands[static_cast<std::size_t>(i0)] < vnir_;
    int end = i0;
    std::vector<int> map;
    while (end < i1 && (bands[static_cast<std::size_t>(end)] < vnir_) == vnir)
      map.push_back(bands[static_cast<std::size_t>(end++)] - (vnir ? 0 : vnir_) + 1);
    const std::string& name = vnir ? vnir_image_ : swir_image_;
    auto* ds = static_cast<GDALDataset*>((vnir ? vnir_ds_ : swir_ds_).get());
    if (ds->RasterIO(GF_Read, c0, r0, nc, nr, planes.data(), nc, nr, GDT_Float32,
                     static_cast<int>(map.size()), map.data(), 0, 0, 0, nullptr) != CE_None)
      fail(zip_, name + ": cannot read (truncated or corrupt?): " + CPLGetLastErrorMsg());
    for (int tc = 0; tc < nc; tc += kTileCols)
      for (int tr = 0; tr < nr; tr += kTileRows)
        for (int i = i0; i < end; ++i) {
          const float* src = planes.data() + static_cast<std::size_t>(i - i0) * plane;
          const auto k = static_cast<std::size_t>(i);
          for (int c = tc; c < std::min(nc, tc + kTileCols); ++c)
            for (int r = tr; r < std::min(nr, tr + kTileRows); ++r)
              cube.pixel(r, c)[i] = static_cast<float>(
                  static_cast<double>(src[static_cast<std::size_t>(r) * static_cast<std::size_t>(nc) + static_cast<std::size_t>(c)]) * gain[k] + offset[k]);
        }
    i0 = end;
  }
  std::size_t finite = 0;
  for (std::size_t i = 0; i < cube.size(); ++i) finite += std::isfinite(cube.data()[i]);
  return finite;
}

void EnmapL1bReader::inflate_images() const {
  if (inflated_) return;
  // Each member is read start to end (one inflation, the two side by side) into GDAL's
  // memory file system, where its windows then have random access.
  std::array<std::shared_ptr<void>, 2> opened;
  parallel_for(2, std::min(2, thread_count(0)), [&](std::int64_t image) {
    const std::string& name = image == 0 ? vnir_image_ : swir_image_;
    const std::string from = "/vsizip/" + zip_ + "/" + folder_ + name;
    VSILFILE* in = VSIFOpenL(from.c_str(), "rb");
    if (!in) fail(zip_, name + ": cannot open in the ZIP");
    std::vector<GByte> bytes;
    constexpr std::size_t kChunk = std::size_t{16} << 20;
    for (std::size_t got = kChunk; got == kChunk;) {
      const std::size_t at = bytes.size();
      bytes.resize(at + kChunk);
      got = VSIFReadL(bytes.data() + at, 1, kChunk, in);
      bytes.resize(at + got);
    }
    VSIFCloseL(in);
    const std::string mem = "/vsimem/hyperplume/" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "/" + name;
    auto* held = new std::vector<GByte>(std::move(bytes));
    VSILFILE* f = VSIFileFromMemBuffer(mem.c_str(), held->data(), static_cast<vsi_l_offset>(held->size()), FALSE);
    if (!f) {
      delete held;
      fail(zip_, name + ": cannot hold it in memory");
    }
    VSIFCloseL(f);
    // The dataset, then the memory file and its bytes, go together.
    GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(mem.c_str(), GA_ReadOnly));
    if (!ds) {
      VSIUnlink(mem.c_str());
      delete held;
      fail(zip_, name + ": GDAL cannot read it (truncated or corrupt?): " + CPLGetLastErrorMsg());
    }
    opened[static_cast<std::size_t>(image)] = std::shared_ptr<void>(ds, [mem, held](void* d) {
      GDALClose(static_cast<GDALDataset*>(d));
      VSIUnlink(mem.c_str());
      delete held;
    });
  });
  vnir_ds_ = opened[0];
  swir_ds_ = opened[1];
  inflated_ = true;
}

Raster<std::uint8_t> EnmapL1bReader::read_quality(const std::string& name) const {
  const std::string vsi = member("QL_QUALITY_" + name + ".TIF");
  VSIStatBufL st;
  if (VSIStatL(vsi.c_str(), &st) != 0) return {};
  const DatasetPtr ds = open_image(vsi, zip_, "QL_QUALITY_" + name);
  if (ds->GetRasterXSize() != cols_ || ds->GetRasterYSize() != rows_)
    fail(zip_, "QL_QUALITY_" + name + " is not the images' size");
  Raster<std::uint8_t> q(rows_, cols_);
  if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, cols_, rows_, q.data(), cols_, rows_, GDT_Byte, 0, 0, nullptr) != CE_None)
    fail(zip_, "QL_QUALITY_" + name + ": cannot read: " + CPLGetLastErrorMsg());
  return q;
}

Scene EnmapL1bReader::read_geometry(const std::string& dem) const {
  Scene s;
  s.id = fs::path(zip_).stem().string();
  s.radiance_file = zip_;
  s.sensor.platform = "EnMAP";
  s.sensor.instrument = "HSI";
  s.sensor.name = "EnMAP";
  s.start_time = start_;
  s.end_time = end_;
  s.radiance_units = kEnmapRadianceUnits;
  if (dem.empty()) fail(zip_, "EnMAP needs a DEM for its RPC: set paths.dem_dir (a directory of Copernicus GLO-30 tiles, one GeoTIFF/VRT, or none for the RPC height offset)");
  // The DEM tiles of the RPC's own domain (offset +- scale), with HyperGas's 0.01 degree margin.
  std::vector<std::string> dem_files;
  if (dem != "none") {
    const double margin = 0.01;
    dem_files = io::dem_files_for(dem, rpc_.lon_off - std::abs(rpc_.lon_scale) - margin,
                                  rpc_.lat_off - std::abs(rpc_.lat_scale) - margin,
                                  rpc_.lon_off + std::abs(rpc_.lon_scale) + margin,
                                  rpc_.lat_off + std::abs(rpc_.lat_scale) + margin);
  }
  io::PixelGround g = io::locate_rpc_pixels(rpc_, rows_, cols_, dem_files, zip_);
  s.latitude = std::move(g.lat);
  s.longitude = std::move(g.lon);
  s.elevation = std::move(g.height);
  s.sza = Raster<float>::Constant(rows_, cols_, static_cast<float>(sza_));
  s.saa = Raster<float>::Constant(rows_, cols_, static_cast<float>(saa_));
  s.vza = Raster<float>::Constant(rows_, cols_, static_cast<float>(vza_));
  s.vaa = Raster<float>::Constant(rows_, cols_, static_cast<float>(vaa_));
  Glt glt = geo::glt_from_geolocation(s.latitude, s.longitude, kEnmapGsd / kMetresPerDegree);
  glt.crs_wkt = SRS_WKT_WGS84_LAT_LONG;
  s.geotransform = glt.transform;
  s.spatial_ref = glt.crs_wkt;
  s.glt = std::move(glt);
  s.geolocation = "rpc";
  return s;
}

}  // namespace hyperplume::sensor
