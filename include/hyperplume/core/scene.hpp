#pragma once
// The in-memory scene every L1 reader returns, whatever the sensor.
#include <Eigen/Core>
#include <cstddef>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/time.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hyperplume {

// Radiance cube, laid out column-major over the detector: for detector column x, the
// rows x bands block is contiguous and row-major (pixel-interleaved). The column-wise
// matched filter then works on one contiguous (rows x bands) matrix per column, and
// splitting a scene among ranks by column ranges gives each rank one contiguous slab.
class RadianceCube {
 public:
  using ColumnMatrix =
      Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
  using ConstColumnMatrix =
      Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;

  RadianceCube() = default;
  // Zero-filled. `uninitialized` skips the fill for a reader that writes every element.
  RadianceCube(int rows, int cols, int bands, bool uninitialized = false);

  int rows() const { return rows_; }
  int cols() const { return cols_; }
  int bands() const { return bands_; }
  std::size_t size() const { return size_; }

  float& at(int row, int col, int band) { return data_[index(row, col, band)]; }
  float at(int row, int col, int band) const { return data_[index(row, col, band)]; }
  float* pixel(int row, int col) { return &data_[index(row, col, 0)]; }
  const float* pixel(int row, int col) const { return &data_[index(row, col, 0)]; }

  ColumnMatrix column(int col) { return {&data_[index(0, col, 0)], rows_, bands_}; }
  ConstColumnMatrix column(int col) const { return {&data_[index(0, col, 0)], rows_, bands_}; }

  // One band as a (rows x cols) raster (a copy; strided in this layout).
  Raster<float> band_image(int band) const;

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }

 private:
  // Large cubes live in 2 MiB-aligned memory advised for transparent huge pages: first
  // touch of a fresh GB-sized cube costs far fewer page faults.
  struct Free {
    void operator()(float* p) const;
  };
  std::size_t index(int row, int col, int band) const {
    return (static_cast<std::size_t>(col) * rows_ + row) * bands_ + band;
  }
  int rows_ = 0, cols_ = 0, bands_ = 0;
  std::size_t size_ = 0;
  std::unique_ptr<float[], Free> data_;
};

struct SensorInfo {
  std::string platform;    // "ISS"
  std::string instrument;  // "EMIT"
  std::string name;        // config sensor key: "EMIT", "EnMAP", "PRISMA"
};

// Geographic lookup table (EMIT): for each cell of a regular EPSG:4326 grid, the 1-based
// sensor-geometry indices of the pixel that covers it; 0 = no data.
struct Glt {
  Raster<std::int32_t> x;  // crosstrack column, 1-based
  Raster<std::int32_t> y;  // downtrack row, 1-based
  GeoTransform transform;
  std::string crs_wkt;
};

struct Scene {
  std::string id;  // granule stem, e.g. EMIT_L1B_RAD_001_20230814T100819_2322607_004
  std::string radiance_file;
  std::string observation_file;
  SensorInfo sensor;
  UtcTime start_time;
  UtcTime end_time;

  RadianceCube radiance;
  std::string radiance_units;       // as in the file
  std::vector<double> wavelengths;  // nm, band centres of the bands loaded
  std::vector<double> fwhm;         // nm
  std::vector<int> band_indices;    // 0-based indices of the loaded bands in the file

  Raster<double> latitude;           // rows x cols, degrees
  Raster<double> longitude;          // rows x cols, degrees
  Raster<double> elevation;          // m (may be empty)
  Raster<float> sza, saa, vza, vaa;  // degrees

  std::optional<Glt> glt;
  // Where the GLT comes from: "glt" (the granule's own, EMIT) or the per-pixel lat/lon it was
  // built from ("rpc": EnMAP's RPC over the DEM), which then refine the orthorectification.
  std::string geolocation = "glt";
  GeoTransform geotransform;  // of the GLT grid
  std::string spatial_ref;

  // A copy of everything but the radiance cube (a retrieval's later passes start from it).
  Scene without_radiance() const {
    Scene s;
    s.id = id;
    s.radiance_file = radiance_file;
    s.observation_file = observation_file;
    s.sensor = sensor;
    s.start_time = start_time;
    s.end_time = end_time;
    s.radiance_units = radiance_units;
    s.wavelengths = wavelengths;
    s.fwhm = fwhm;
    s.band_indices = band_indices;
    s.latitude = latitude;
    s.longitude = longitude;
    s.elevation = elevation;
    s.sza = sza;
    s.saa = saa;
    s.vza = vza;
    s.vaa = vaa;
    s.glt = glt;
    s.geolocation = geolocation;
    s.geotransform = geotransform;
    s.spatial_ref = spatial_ref;
    return s;
  }
  // From the geometry, which outlives the cube (released once the retrieval is done).
  int rows() const { return static_cast<int>(latitude.rows()); }
  int cols() const { return static_cast<int>(latitude.cols()); }
};

}  // namespace hyperplume
