#pragma once
// 10 m wind and surface pressure from local reanalysis files, sampled on a swath:
//   ERA5:    <era5_dir>/<YYYY>/sl_<YYYYMMDD>.grib (GRIB, u10/v10 hourly): bilinear in space,
//            linear in time between the bracketing hours (the next day's file is used
//            for the last hour of a day, unlike HyperGas).
//   GEOS-FP: <geosfp_dir>/<YYYY>/<MM>/<DD>/GEOS.fp.asm.tavg1_2d_slv_Nx.<YYYYMMDD>_<HH>30.V01.nc4
//            (hourly means U10M, V10M, PS): bilinear in space, linear in time between the
//            two hourly means around the observation when both exist, else the hour's mean.
// Interpolating the u and v components (never directions) keeps wind circular-safe.
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/time.hpp>
#include <string>
#include <vector>

namespace hyperplume::io {

struct SwathWeather {
  Raster<float> u10, v10, sp;  // NaN where the source has no field (e.g. sp in ERA5)
};

// Throw InputError naming the missing or unreadable file.
SwathWeather era5_on_swath(const std::string& era5_dir, const UtcTime& t, const Raster<double>& lat,
                           const Raster<double>& lon);
SwathWeather geosfp_on_swath(const std::string& geosfp_dir, const UtcTime& t,
                             const Raster<double>& lat, const Raster<double>& lon);

// Every file the samplers above look for at time t, present or not: a product made from
// them is stale when one of them appears, disappears or changes. Empty for an empty dir.
std::vector<std::string> era5_files_for(const std::string& era5_dir, const UtcTime& t);
std::vector<std::string> geosfp_files_for(const std::string& geosfp_dir, const UtcTime& t);

}  // namespace hyperplume::io
