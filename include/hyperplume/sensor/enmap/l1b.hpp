#pragma once
// EnMAP L1B granules as DLR delivers them: one ZIP per tile holding a folder named like the
// ZIP with <base>-METADATA.XML (band characterisation: centre, FWHM, gain, offset; scene
// angles; one RPC per band; times; AOT), <base>-SPECTRAL_IMAGE_VNIR.TIF and _SWIR.TIF
// (int16 DN, band-sequential GeoTIFFs with an approximate EPSG:4326 affine) and the
// QL_QUALITY_* masks. Read in place through GDAL's /vsizip/, never unpacked to disk.
// Radiance = 1000 (DN gain + offset), mW m-2 sr-1 nm-1 (HyperGas's hsi_l1b).
#include <functional>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/scene.hpp>
#include <hyperplume/core/time.hpp>
#include <hyperplume/geo/rpc.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hyperplume::sensor {

inline constexpr const char* kEnmapRadianceUnits = "mW m-2 sr-1 nm-1";
// The quality layers of an L1B tile that screening uses (QL_QUALITY_<name>.TIF, 1 = flagged).
inline const std::vector<std::string> kEnmapQualityLayers = {"CLOUD", "CLOUDSHADOW", "HAZE",
                                                             "CIRRUS", "SNOW"};

// ENMAP01-____L1B-DT<10 digits>_<yyyymmddThhmmssZ>_<ttt>_V<6 digits>_<yyyymmddThhmmssZ>.ZIP
bool is_enmap_l1b_name(const std::string& filename);

struct EnmapBand {
  double centre = 0, fwhm = 0;  // nm
  double gain = 0, offset = 0;  // W m-2 sr-1 nm-1 per DN, W m-2 sr-1 nm-1
};

// ---------------------------------------------------------------------------------------
// Writing (synthetic products, test fixtures)
// ---------------------------------------------------------------------------------------
struct EnmapGranuleInfo {
  std::string datatake = "DT0000004147";
  UtcTime start, end;
  int tile = 1;
  std::string version = "V010501";
  UtcTime processed;                     // in the name (deterministic)
  double across_off_nadir = 0;           // degrees, signed; vza = |value|
  double scene_azimuth = 0;              // degrees
  double sun_elevation = 45, sun_azimuth = 150;
  double aot = 0.17;                     // metadata holds AOT x 1000
  std::array<std::pair<double, double>, 4> corners{};  // (lon, lat): UL, UR, LL, LR
};
// The granule stem (the ZIP's name without .ZIP).
std::string enmap_granule_stem(const EnmapGranuleInfo& info);

// Fills rows [r0, r1) of the radiance, (row, column, band) over VNIR then SWIR bands,
// mW m-2 sr-1 nm-1.
using EnmapRowSource = std::function<void(int r0, int r1, float* out)>;

struct EnmapImage {
  int rows = 0, cols = 0;
  std::vector<EnmapBand> vnir, swir;
  geo::Rpc rpc;  // every band's (the synthetic tiles are co-registered)
  std::map<std::string, Raster<std::uint8_t>> quality;  // kEnmapQualityLayers, 1 = flagged
};

// Writes `<dir>/<stem>.ZIP` atomically and returns its path.
std::string write_enmap_l1b(const std::string& dir, const EnmapGranuleInfo& info,
                            const EnmapImage& image, const EnmapRowSource& radiance,
                            int block_rows = 64);

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------
class EnmapL1bReader {
 public:
  // Opens the ZIP and validates its metadata and both images: InputError naming the file
  // and the item (no METADATA.XML, a band without its characterisation, an image whose
  // size or band count is not the metadata's, a GeoTIFF GDAL cannot read).
  explicit EnmapL1bReader(const std::string& zip_path);

  const std::string& path() const { return zip_; }
  int rows() const { return rows_; }
  int cols() const { return cols_; }
  int bands() const { return static_cast<int>(bands_.size()); }
  int vnir_bands() const { return vnir_; }
  const std::vector<double>& wavelengths() const { return centres_; }
  const std::vector<double>& fwhm() const { return fwhm_; }
  const std::vector<EnmapBand>& band_table() const { return bands_; }
  // The RPC of the SWIR band nearest 2300 nm: the gas windows' geometry (the VNIR and SWIR
  // images are not co-registered at L1B; HyperGas stacks them by pixel index as well).
  const geo::Rpc& rpc() const { return rpc_; }

  // Metadata, angles (the scene-centre scalars), and lat/lon/elevation of every pixel from
  // the RPC over the DEM (`dem`: a tile directory, one GeoTIFF/VRT, or "none"), with the
  // GLT built from them.
  Scene read_geometry(const std::string& dem) const;
  // Radiance of detector columns [c0, c1), rows [r0, r1) of the listed bands (0-based over
  // VNIR then SWIR, ascending). Returns the count of finite values.
  std::size_t read_box(const std::vector<int>& bands, int r0, int r1, int c0, int c1,
                       RadianceCube& into) const;
  // QL_QUALITY_<name> (1 = flagged), or an empty raster if the tile does not have it.
  Raster<std::uint8_t> read_quality(const std::string& name) const;

 private:
  std::string member(const std::string& suffix) const;  // /vsizip/ path of <base>-<suffix>
  std::string zip_, folder_, base_;
  int rows_ = 0, cols_ = 0, vnir_ = 0;
  std::vector<EnmapBand> bands_;
  std::vector<double> centres_, fwhm_;
  geo::Rpc rpc_;
  UtcTime start_, end_;
  double vza_ = 0, vaa_ = 0, sza_ = 0, saa_ = 0;
  std::string vnir_image_, swir_image_;
  // The two images. A band-sequential member of a ZIP has no random access (each window of
  // each band would inflate it again from its start), so on the first radiance read both are
  // inflated once, side by side, into memory, and read from there.
  void inflate_images() const;
  mutable std::shared_ptr<void> vnir_ds_, swir_ds_;
  mutable bool inflated_ = false;
};

}  // namespace hyperplume::sensor
