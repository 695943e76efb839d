#pragma once
// The files a campaign's later stages read besides L1: ERA5-like hourly 10 m wind
// (GRIB2), GEOS-FP-like hourly means (NetCDF-4), water-mask tiles named like the
// OSM/WorldCover tiles, source markers (GeoJSON) and the per-scene truth sidecar.
#include <hyperplume/core/time.hpp>
#include <hyperplume/synth/scene_synthesizer.hpp>
#include <hyperplume/synth/site.hpp>
#include <hyperplume/synth/weather.hpp>
#include <string>
#include <vector>

namespace hyperplume::synth {

struct LonLatBox {
  double west, south, east, north;
};

// <era5_dir>/<YYYY>/sl_<YYYYMMDD>.grib: u10, v10 at 00..23 UTC on the 0.25-degree ERA5
// grid covering `box` (rounded outwards), north-up.
std::string era5_path(const std::string& era5_dir, const UtcTime& day);
void write_era5_day(const std::string& era5_dir, const UtcTime& day, const LonLatBox& box,
                    const Weather& weather);

// <geosfp_dir>/<YYYY>/<MM>/<DD>/GEOS.fp.asm.tavg1_2d_slv_Nx.<YYYYMMDD>_<HH>30.V01.nc4:
// global 0.3125 x 0.25 degree hourly means of U10M, V10M, PS.
std::string geosfp_path(const std::string& geosfp_dir, const UtcTime& hour);
void write_geosfp_hour(const std::string& geosfp_dir, const UtcTime& hour, const Weather& weather);

// 5 x 5 degree tiles, SW corner in the name (n40e045.tif), 1 = water, at `posting`
// degrees, for every tile touched by `boxes`; water from the sites.
std::string water_tile_name(double lat, double lon);
void write_water_tiles(const std::string& osm_dir, const std::vector<LonLatBox>& boxes,
                       const std::vector<const Site*>& sites, double posting);

// <L2 stem>.geojson beside the L1 files: FeatureCollection of Points [lon, lat] in source
// order (plume0, plume1, ...).
void write_markers(const std::string& path, const std::vector<SourceTruth>& sources);

// <RAD stem>_truth.nc
void write_truth(const std::string& path, const SceneSynthesizer& scene,
                 const std::string& rad_name);

}  // namespace hyperplume::synth
