#pragma once
// One L1 granule of any instrument, as the per-scene chain sees it: its bands, its geometry
// (lat/lon, angles and the locator the orthorectification uses, today a GLT), its radiance
// read by band list and detector-column range, and its instrument noise. Each instrument
// implements it in its own folder (sensor/emit, ...); sensor/sensors.hpp names them, and
// nothing downstream asks which instrument it has.
#include <cstddef>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/core/scene.hpp>
#include <hyperplume/par/comm.hpp>
#include <hyperplume/retrieval/matched_filter.hpp>
#include <memory>
#include <string>
#include <vector>

namespace hyperplume::sensor {

// What opening a granule may need besides its own files.
struct GranuleOptions {
  // RPC sensors' terrain: a directory of Copernicus GLO-30 tiles, one GeoTIFF/VRT, or "none"
  // (the RPC's height offset); empty: not given (an RPC sensor then fails, naming the key).
  std::string dem;
};

// Screening flags an instrument ships with its L1 (1 = flagged), in sensor geometry; an empty
// raster where it ships none.
struct ShippedFlags {
  Raster<std::uint8_t> cloud, cirrus;
};

// The radiance of an open granule, opened once for many slab reads: serially, or (a scene
// group) collectively, each rank then reading its own column slabs.
class RadianceSlabs {
 public:
  virtual ~RadianceSlabs() = default;
  // Detector columns [col_begin, col_end) of the listed bands (0-based, ascending) into
  // `into` (reallocated only if its shape changes). Returns the number of finite values.
  virtual std::size_t read(const std::vector<int>& bands, int col_begin, int col_end,
                           RadianceCube& into) = 0;
  // Rows [row_begin, row_end) of those columns only (a candidate plume's surroundings).
  virtual std::size_t read_box(const std::vector<int>& bands, int row_begin, int row_end,
                               int col_begin, int col_end, RadianceCube& into) = 0;
  // Collective for a group's open; every rank of the group calls it.
  virtual void close() = 0;
};

class Granule {
 public:
  virtual ~Granule() = default;
  // The file the scene is named by (EMIT: the RAD file).
  virtual const std::string& path() const = 0;
  virtual int rows() const = 0;
  virtual int cols() const = 0;
  virtual int bands() const = 0;
  // Band centres and widths, nm, in file order (EnMAP: VNIR then SWIR, overlapping at
  // 902-993 nm).
  virtual const std::vector<double>& wavelengths() const = 0;
  virtual const std::vector<double>& fwhm() const = 0;
  // The factor that takes the granule's radiance to uW cm-2 sr-1 nm-1 (EMIT 1, EnMAP 0.1).
  virtual double radiance_to_uW_cm2() const = 0;

  // Metadata, geolocation, angles and the orthorectification locator, without radiance.
  virtual Scene read_geometry() const = 0;
  // The listed bands over the whole scene; InputError if they hold only fill values.
  virtual RadianceCube read_radiance(const std::vector<int>& bands) const;
  // Collective when `group` has more than one rank (every rank fails alike, so no rank is
  // left in a collective).
  virtual std::unique_ptr<RadianceSlabs> open_slabs(const par::Comm* group) const = 0;
  // EnMAP: cloud = QL_QUALITY_CLOUD | CLOUDSHADOW | SNOW, cirrus = CIRRUS | HAZE. EMIT: none.
  virtual ShippedFlags shipped_flags() const { return {}; }
  // Noise-equivalent radiance sigma(L) = a sqrt(b + L) + c of the listed bands, in the
  // granule's radiance units.
  virtual retrieval::BandNoise band_noise(const Resources& resources,
                                          const std::vector<int>& bands) const = 0;
};

}  // namespace hyperplume::sensor
