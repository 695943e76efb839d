#pragma once
// EMIT L1B RAD/OBS granules (NetCDF-4), in the layout NASA's EMIT SDS writes them
// (emit-utils daac_converter, emit-sds-l1b output_conversion): root variable `radiance`
// or `obs` (downtrack, crosstrack, bands) float32 with _FillValue -9999, group
// `sensor_band_parameters`, group `location` with lat/lon/elev (float64) and the 1-based
// GLT (int32, 0 = no data, deflate 9), global attributes in the SDS's order.
#include <array>
#include <functional>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/scene.hpp>
#include <hyperplume/core/time.hpp>
#include <hyperplume/par/comm.hpp>
#include <string>
#include <vector>

namespace hyperplume::sensor {

inline constexpr float kEmitFill = -9999.0f;
inline constexpr int kEmitObsBands = 11;
extern const std::array<const char*, kEmitObsBands> kEmitObsBandNames;
extern const char* const kEmitSpatialRef;  // EPSG:4326 WKT as in the granules

// "EMIT_L1B_RAD_..." -> "EMIT_L1B_OBS_..." in the file name only (never the directories).
std::string emit_obs_path_for(const std::string& rad_path);
// True for names of the form EMIT_L1B_RAD_<ver>_<YYYYMMDDTHHMMSS>_<orbit>_<scene>.nc.
bool is_emit_rad_name(const std::string& filename);

// ---------------------------------------------------------------------------------------
// Writing (synthetic products, test fixtures)
// ---------------------------------------------------------------------------------------
struct EmitGranuleInfo {
  UtcTime start, end;
  std::string flight_line;  // emitYYYYMMDDtHHMMSS_oOOOOO_sSSS
  std::string software_build_version = "010619";
  std::string history;   // what produced the file
  UtcTime date_created;  // recorded processing time (deterministic)
};

struct EmitGeolocation {
  const Raster<double>* lat = nullptr;
  const Raster<double>* lon = nullptr;
  const Raster<double>* elev = nullptr;
  const Glt* glt = nullptr;
};

// Fills rows [r0, r1) of the (downtrack, crosstrack, bands) cube into `out`.
using RowBlockSource = std::function<void(int r0, int r1, float* out)>;

void write_emit_rad(const std::string& path, const EmitGranuleInfo& info,
                    const std::vector<double>& wavelengths, const std::vector<double>& fwhm,
                    const EmitGeolocation& geo, const RowBlockSource& radiance,
                    int block_rows = 64);

void write_emit_obs(const std::string& path, const EmitGranuleInfo& info,
                    const EmitGeolocation& geo,
                    const std::array<const Raster<float>*, kEmitObsBands>& obs);

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------
class EmitL1bReader {
 public:
  // Opens and validates the RAD file and its OBS companion (same directory, RAD -> OBS in
  // the name). Throws InputError naming the file and the problem.
  explicit EmitL1bReader(const std::string& rad_path);

  const std::string& rad_path() const { return rad_path_; }
  const std::string& obs_path() const { return obs_path_; }
  int rows() const { return rows_; }
  int cols() const { return cols_; }
  int bands() const { return bands_; }
  const std::vector<double>& wavelengths() const { return wavelengths_; }
  const std::vector<double>& fwhm() const { return fwhm_; }

  // Reads only the listed bands (0-based, ascending) of the radiance cube, plus geometry.
  // Reads in row blocks over the smallest band range that covers the request.
  Scene read(const std::vector<int>& band_indices) const;
  Scene read_all() const;
  // Metadata, geolocation, GLT and angles, without radiance.
  Scene read_geometry() const;
  // Only the radiance of the listed bands (no geometry), e.g. a few screening bands.
  RadianceCube read_radiance(const std::vector<int>& band_indices) const;
  // The radiance of detector columns [col_begin, col_end) for the listed bands, into `into`
  // (reallocated only if its shape changes, so a slab loop reuses one buffer). Returns the
  // number of finite values read.
  std::size_t read_radiance(const std::vector<int>& band_indices, int col_begin, int col_end,
                            RadianceCube& into) const;

  // The radiance variable opened once for many slab reads: serially, or (scene groups)
  // collectively for parallel netCDF-4 access, each rank then reading its own slabs.
  struct OpenRadiance {
    int ncid = -1, varid = -1;
  };
  // Collective when `group` has more than one rank; InputError names the file on failure
  // (every rank of the group fails alike, so no rank is left in a collective).
  OpenRadiance open_radiance(const par::Comm* group) const;
  void close_radiance(OpenRadiance& f) const;  // collective for a parallel open
  std::size_t read_radiance(const OpenRadiance& f, const std::vector<int>& band_indices,
                            int col_begin, int col_end, RadianceCube& into) const;
  // Rows [row_begin, row_end) of those columns only (a candidate plume's surroundings).
  std::size_t read_radiance_box(const OpenRadiance& f, const std::vector<int>& band_indices,
                                int row_begin, int row_end, int col_begin, int col_end,
                                RadianceCube& into) const;

 private:
  std::string rad_path_, obs_path_;
  int rows_ = 0, cols_ = 0, bands_ = 0;
  std::vector<double> wavelengths_, fwhm_;
};

// Band indices whose centre lies in [lo, hi] nm.
std::vector<int> bands_in_window(const std::vector<double>& wavelengths, double lo, double hi);

}  // namespace hyperplume::sensor
