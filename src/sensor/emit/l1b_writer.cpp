#include <netcdf.h>

#include <cmath>
#include <cstdio>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <vector>

namespace hyperplume::sensor {
using io::AtomicOutput;
using io::nc_check;
using io::NcFile;
namespace {

const char* kBaseSummary =
    "The Earth Surface Mineral Dust Source Investigation (EMIT) is an Earth Ventures-Instrument "
    "(EVI-4) Mission "
    "that maps the surface mineralogy of arid dust source regions via imaging spectroscopy in the "
    "visible and "
    "short-wave infrared (VSWIR). Installed on the International Space Station (ISS), the EMIT "
    "instrument is a "
    "Dyson imaging spectrometer that uses contiguous spectroscopic measurements from 410 to 2450 "
    "nm to resolve "
    "absorption features of iron oxides, clays, sulfates, carbonates, and other dust-forming "
    "minerals. During its "
    "one-year mission, EMIT will observe the sunlit Earth's dust source regions that occur within "
    "+/-52\u00b0 latitude "
    "and produce maps of the source regions that can be used to improve forecasts of the role of "
    "mineral dust in "
    "the radiative forcing (warming or cooling) of the atmosphere.";

std::string utc_z(const UtcTime& t) {
  const CivilTime c = UtcTime::from_unix(std::floor(t.unix_seconds())).civil();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, static_cast<int>(c.second));
  return buf;
}

void put_string_att(NcFile& f, int grp, int var, const char* name, const std::string& value) {
  const char* p = value.c_str();
  nc_check(nc_put_att_string(grp, var, name, 1, &p), f.path(),
           std::string("cannot write attribute '") + name + "'");
}

// Global attributes in the order the EMIT SDS writes them; `title` last.
void global_attributes(NcFile& f, const EmitGranuleInfo& info, const Glt& glt,
                       const std::string& title, const std::string& product_summary) {
  const int g = f.id();
  f.put_att(g, NC_GLOBAL, "ncei_template_version", "NCEI_NetCDF_Swath_Template_v2.0");
  // The summary holds a degree sign, so the SDS stores it as NC_STRING; the product part
  // follows a literal backslash-n pair, as in the granules.
  put_string_att(f, g, NC_GLOBAL, "summary",
                 std::string(kBaseSummary) + "\\n\\n" + product_summary);
  f.put_att(g, NC_GLOBAL, "keywords",
            "Imaging Spectroscopy, minerals, EMIT, dust, radiative forcing");
  f.put_att(g, NC_GLOBAL, "Conventions", "CF-1.63");
  f.put_att(g, NC_GLOBAL, "sensor", "EMIT (Earth Surface Mineral Dust Source Investigation)");
  f.put_att(g, NC_GLOBAL, "instrument", "EMIT");
  f.put_att(g, NC_GLOBAL, "platform", "ISS");
  f.put_att(g, NC_GLOBAL, "institution",
            "NASA Jet Propulsion Laboratory/California Institute of Technology");
  f.put_att(g, NC_GLOBAL, "license",
            "https://science.nasa.gov/earth-science/earth-science-data/data-information-policy/");
  f.put_att(g, NC_GLOBAL, "naming_authority", "LPDAAC");
  f.put_att(g, NC_GLOBAL, "date_created", utc_z(info.date_created));
  f.put_att(g, NC_GLOBAL, "keywords_vocabulary",
            "NASA Global Change Master Directory (GCMD) Science Keywords");
  f.put_att(g, NC_GLOBAL, "stdname_vocabulary",
            "NetCDF Climate and Forecast (CF) Metadata Convention");
  f.put_att(g, NC_GLOBAL, "creator_name",
            "Jet Propulsion Laboratory/California Institute of Technology");
  f.put_att(g, NC_GLOBAL, "creator_url", "https://earth.jpl.nasa.gov/emit/");
  f.put_att(g, NC_GLOBAL, "project", "Earth Surface Mineral Dust Source Investigation");
  f.put_att(g, NC_GLOBAL, "project_url", "https://earth.jpl.nasa.gov/emit/");
  f.put_att(g, NC_GLOBAL, "publisher_name", "NASA LPDAAC");
  f.put_att(g, NC_GLOBAL, "publisher_url", "https://lpdaac.usgs.gov");
  f.put_att(g, NC_GLOBAL, "publisher_email", "lpdaac@usgs.gov");
  f.put_att(g, NC_GLOBAL, "identifier_product_doi_authority", "https://doi.org");
  f.put_att(g, NC_GLOBAL, "flight_line", info.flight_line);
  f.put_att(g, NC_GLOBAL, "time_coverage_start", info.start.iso8601());
  f.put_att(g, NC_GLOBAL, "time_coverage_end", info.end.iso8601());
  f.put_att(g, NC_GLOBAL, "software_build_version", info.software_build_version);
  f.put_att(g, NC_GLOBAL, "software_delivery_version", info.software_build_version);
  f.put_att(g, NC_GLOBAL, "product_version", "V001");
  f.put_att(g, NC_GLOBAL, "history", info.history);
  f.put_att(g, NC_GLOBAL, "crosstrack_orientation", "as seen on ground");
  const auto& gt = glt.transform.gt;
  const double east = gt[0] + static_cast<double>(glt.x.cols()) * gt[1];
  const double south = gt[3] + static_cast<double>(glt.x.rows()) * gt[5];
  f.put_att(g, NC_GLOBAL, "easternmost_longitude", east);
  f.put_att(g, NC_GLOBAL, "northernmost_latitude", gt[3]);
  f.put_att(g, NC_GLOBAL, "westernmost_longitude", gt[0]);
  f.put_att(g, NC_GLOBAL, "southernmost_latitude", south);
  f.put_att(g, NC_GLOBAL, "spatialResolution", gt[1]);
  f.put_att(g, NC_GLOBAL, "spatial_ref", kEmitSpatialRef);
  f.put_att(g, NC_GLOBAL, "geotransform", std::vector<double>(gt.begin(), gt.end()));
  f.put_att(g, NC_GLOBAL, "day_night_flag", "Day");
  f.put_att(g, NC_GLOBAL, "title", title);
}

int add_variable(NcFile& f, int grp, const std::string& name, nc_type type,
                 const std::vector<int>& dims, const std::string& long_name, const char* units) {
  const int v = f.def_var(grp, name, type, dims);
  if (type == NC_FLOAT) {
    const float fill = kEmitFill;
    nc_check(nc_def_var_fill(grp, v, NC_FILL, &fill), f.path(), "cannot set fill of " + name);
  } else if (type == NC_DOUBLE) {
    const double fill = kEmitFill;
    nc_check(nc_def_var_fill(grp, v, NC_FILL, &fill), f.path(), "cannot set fill of " + name);
  } else if (type == NC_INT) {
    const int fill = -9999;
    nc_check(nc_def_var_fill(grp, v, NC_FILL, &fill), f.path(), "cannot set fill of " + name);
  } else if (type == NC_STRING) {
    const char* fill = "-9999.0";
    nc_check(nc_def_var_fill(grp, v, NC_FILL, &fill), f.path(), "cannot set fill of " + name);
  }
  f.put_att(grp, v, "long_name", long_name);
  if (units) f.put_att(grp, v, "units", std::string(units));
  return v;
}

struct LocationVars {
  int grp, lon, lat, elev, glt_x, glt_y;
};

LocationVars define_location(NcFile& f, int downtrack, int crosstrack, int oy, int ox) {
  LocationVars l{};
  l.grp = f.def_group(f.id(), "location");
  l.lon = add_variable(f, l.grp, "lon", NC_DOUBLE, {downtrack, crosstrack}, "Longitude (WGS-84)",
                       "degrees east");
  l.lat = add_variable(f, l.grp, "lat", NC_DOUBLE, {downtrack, crosstrack}, "Latitude (WGS-84)",
                       "degrees north");
  l.elev =
      add_variable(f, l.grp, "elev", NC_DOUBLE, {downtrack, crosstrack}, "Surface Elevation", "m");
  l.glt_x =
      add_variable(f, l.grp, "glt_x", NC_INT, {oy, ox}, "GLT Sample Lookup", "pixel location");
  l.glt_y = add_variable(f, l.grp, "glt_y", NC_INT, {oy, ox}, "GLT Line Lookup", "pixel location");
  for (int v : {l.glt_x, l.glt_y})
    nc_check(nc_def_var_deflate(l.grp, v, 1, 1, 9), f.path(), "cannot compress GLT");
  return l;
}

void write_location(NcFile& f, const LocationVars& l, const EmitGeolocation& geo) {
  nc_check(nc_put_var_double(l.grp, l.lon, geo.lon->data()), f.path(), "cannot write location/lon");
  nc_check(nc_put_var_double(l.grp, l.lat, geo.lat->data()), f.path(), "cannot write location/lat");
  nc_check(nc_put_var_double(l.grp, l.elev, geo.elev->data()), f.path(),
           "cannot write location/elev");
  nc_check(nc_put_var_int(l.grp, l.glt_x, geo.glt->x.data()), f.path(),
           "cannot write location/glt_x");
  nc_check(nc_put_var_int(l.grp, l.glt_y, geo.glt->y.data()), f.path(),
           "cannot write location/glt_y");
}

void check_geolocation(const EmitGeolocation& geo, const std::string& path) {
  if (!geo.lat || !geo.lon || !geo.elev || !geo.glt)
    throw InternalError("EMIT writer: incomplete geolocation", ErrorContext{path, {}, {}});
}

struct Dims {
  int downtrack, crosstrack, bands, oy, ox;
};

Dims define_dims(NcFile& f, const EmitGeolocation& geo, int bands) {
  Dims d{};
  d.downtrack = f.def_dim(f.id(), "downtrack", static_cast<std::size_t>(geo.lat->rows()));
  d.crosstrack = f.def_dim(f.id(), "crosstrack", static_cast<std::size_t>(geo.lat->cols()));
  d.bands = f.def_dim(f.id(), "bands", static_cast<std::size_t>(bands));
  d.oy = f.def_dim(f.id(), "ortho_y", static_cast<std::size_t>(geo.glt->x.rows()));
  d.ox = f.def_dim(f.id(), "ortho_x", static_cast<std::size_t>(geo.glt->x.cols()));
  return d;
}

}  // namespace

void write_emit_rad(const std::string& path, const EmitGranuleInfo& info,
                    const std::vector<double>& wavelengths, const std::vector<double>& fwhm,
                    const EmitGeolocation& geo, const RowBlockSource& radiance, int block_rows) {
  check_geolocation(geo, path);
  AtomicOutput out(path);
  {
    NcFile f(out.temp_path().string(), NcFile::Mode::create_netcdf4);
    const int nb = static_cast<int>(wavelengths.size());
    global_attributes(
        f, info, *geo.glt, "EMIT L1B At-Sensor Calibrated Radiance Data 60 m V001",
        "This file contains L1B at-sensor calibrated radiances. The radiance calibration occurs in "
        "two "
        "basic stages: 1) transforming raw digital numbers into radiance units using a calibrated "
        "radiometric response and correcting for electronic artifacts, and 2) a correction for "
        "instrument optical effects which results in an absolute spectral wavelength calibration. "
        "The "
        "radiance file contains radiance for each of 285 channels in units of microwatts per "
        "centimeter per centimeter squared per steradian. Geolocation data (latitude, longitude, "
        "height) and a lookup table to project the data are also included.");
    const Dims d = define_dims(f, geo, nb);
    const int sbp = f.def_group(f.id(), "sensor_band_parameters");
    const int v_wl =
        add_variable(f, sbp, "wavelengths", NC_FLOAT, {d.bands}, "Wavelength Centers", "nm");
    const int v_fw =
        add_variable(f, sbp, "fwhm", NC_FLOAT, {d.bands}, "Full Width at Half Max", "nm");
    const int v_rad =
        add_variable(f, f.id(), "radiance", NC_FLOAT, {d.downtrack, d.crosstrack, d.bands},
                     "Radiance Data", "uW/cm^2/SR/nm");
    nc_check(nc_def_var_chunking(f.id(), v_rad, NC_CONTIGUOUS, nullptr), path,
             "cannot set radiance storage");
    const LocationVars loc = define_location(f, d.downtrack, d.crosstrack, d.oy, d.ox);
    f.enddef();

    std::vector<float> wl(wavelengths.begin(), wavelengths.end()), fw(fwhm.begin(), fwhm.end());
    nc_check(nc_put_var_float(sbp, v_wl, wl.data()), path, "cannot write wavelengths");
    nc_check(nc_put_var_float(sbp, v_fw, fw.data()), path, "cannot write fwhm");
    const int rows = static_cast<int>(geo.lat->rows()), cols = static_cast<int>(geo.lat->cols());
    std::vector<float> buf(static_cast<std::size_t>(block_rows) * cols * nb);
    for (int r0 = 0; r0 < rows; r0 += block_rows) {
      const int r1 = std::min(rows, r0 + block_rows);
      radiance(r0, r1, buf.data());
      const std::size_t start[3] = {static_cast<std::size_t>(r0), 0, 0};
      const std::size_t count[3] = {static_cast<std::size_t>(r1 - r0),
                                    static_cast<std::size_t>(cols), static_cast<std::size_t>(nb)};
      nc_check(nc_put_vara_float(f.id(), v_rad, start, count, buf.data()), path,
               "cannot write radiance");
    }
    write_location(f, loc, geo);
    f.close();
  }
  out.commit();
}

void write_emit_obs(const std::string& path, const EmitGranuleInfo& info,
                    const EmitGeolocation& geo,
                    const std::array<const Raster<float>*, kEmitObsBands>& obs) {
  check_geolocation(geo, path);
  AtomicOutput out(path);
  {
    NcFile f(out.temp_path().string(), NcFile::Mode::create_netcdf4);
    global_attributes(
        f, info, *geo.glt, "EMIT L1B Observation Data 60 m V001",
        "This file contains L1B geometric information (path length, view and solar angles, timing) "
        "associated with each pixel in an acquisition. Geolocation data (latitude, longitude, "
        "height) "
        "and a lookup table to project the data are also included.");
    const Dims d = define_dims(f, geo, kEmitObsBands);
    const int v_obs = add_variable(f, f.id(), "obs", NC_FLOAT, {d.downtrack, d.crosstrack, d.bands},
                                   "Observation Data", nullptr);
    nc_check(nc_def_var_chunking(f.id(), v_obs, NC_CONTIGUOUS, nullptr), path,
             "cannot set obs storage");
    const int sbp = f.def_group(f.id(), "sensor_band_parameters");
    const int v_names = add_variable(f, sbp, "observation_bands", NC_STRING, {d.bands},
                                     "Observation Band Names", nullptr);
    const LocationVars loc = define_location(f, d.downtrack, d.crosstrack, d.oy, d.ox);
    f.enddef();

    std::vector<const char*> names(kEmitObsBandNames.begin(), kEmitObsBandNames.end());
    nc_check(nc_put_var_string(sbp, v_names, names.data()), path, "cannot write observation_bands");
    const int rows = static_cast<int>(geo.lat->rows()), cols = static_cast<int>(geo.lat->cols());
    std::vector<float> buf(static_cast<std::size_t>(cols) * kEmitObsBands);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c)
        for (int b = 0; b < kEmitObsBands; ++b)
          buf[static_cast<std::size_t>(c) * kEmitObsBands + b] = (*obs[b])(r, c);
      const std::size_t start[3] = {static_cast<std::size_t>(r), 0, 0};
      const std::size_t count[3] = {1, static_cast<std::size_t>(cols), kEmitObsBands};
      nc_check(nc_put_vara_float(f.id(), v_obs, start, count, buf.data()), path,
               "cannot write obs");
    }
    write_location(f, loc, geo);
    f.close();
  }
  out.commit();
}

}  // namespace hyperplume::sensor
