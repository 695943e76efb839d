#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/geo/rpc.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/rpc_geolocation.hpp>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/sensor/enmap/l1b.hpp>
#include <hyperplume/synth/ancillary.hpp>
#include <hyperplume/synth/campaign_writer.hpp>
#include <hyperplume/synth/scene_synthesizer.hpp>
#include <limits>
#include <map>
#include <set>

namespace hyperplume::synth {
namespace fs = std::filesystem;

namespace {
std::string flight_line(const ScenePlan& s) {
  // emitYYYYMMDDtHHMMSS_oOOOOO_sSSS from the granule name's time, orbit and scene.
  const std::string tail =
      s.stem.substr(std::string("EMIT_L1B_RAD_001_").size());  // time_orbit_scene
  std::string t = tail.substr(0, 15);
  std::transform(t.begin(), t.end(), t.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::string orbit = tail.substr(16, 7), scene = tail.substr(24, 3);
  return "emit" + t + "_o" + orbit.substr(2) + "_s" + scene;
}

std::string history(const SynthOptions& o, const ScenePlan& s) {
  char buf[512];
  std::snprintf(
      buf, sizeof buf,
      "PGE Run Command: {hyperplume synth --seed %llu --rows %d --cols %d (facility %d, scene %d, "
      "noise %s, plumes %s%s)}, PGE Input Files: {absorption/mag1c_ch4.lut, "
      "surface/ecostress_library_with_mixtures, noise/emit_noise.txt, "
      "solar/earth_sun_distance.txt, "
      "atmosphere/libradtran/LUT_AOT550-%.4f_H2OSTR-%.4f_alb{0,025,05}.out}",
      static_cast<unsigned long long>(o.seed), o.rows, o.cols, s.facility + 1, s.index + 1,
      o.noise ? "on" : "off", o.plumes ? "on" : "off", o.negative_plumes ? ", sign-flipped" : "",
      s.atmosphere.aot550, s.atmosphere.h2o_cm);
  return buf;
}

LonLatBox scene_box(const SyntheticGeometry& g) {
  return {g.lon.minCoeff(), g.lat.minCoeff(), g.lon.maxCoeff(), g.lat.maxCoeff()};
}

void write_emit_scene(WrittenScene& ws, const fs::path& dir, const SynthOptions& o,
                      const ScenePlan& sp, const SceneSynthesizer& synth,
                      const SynthModels& models, int threads, int block_rows) {
  const SyntheticGeometry& g = synth.geometry();
  ws.rad_path = (dir / (sp.stem + ".nc")).string();
  ws.obs_path = (dir / (sp.obs_stem + ".nc")).string();
  sensor::EmitGranuleInfo info;
  info.start = sp.start;
  info.end = g.swath.end_time();
  info.flight_line = flight_line(sp);
  info.history = history(o, sp);
  info.date_created = sp.start.plus_seconds(2 * 86400.0);
  const sensor::EmitGeolocation geo{&g.lat, &g.lon, &g.elevation, &g.glt};
  sensor::write_emit_rad(
      ws.rad_path, info, models.bands.centres, models.bands.fwhm, geo,
      [&](int r0, int r1, float* buf) { synth.render_rows(r0, r1, buf, threads); }, block_rows);
  std::array<const Raster<float>*, sensor::kEmitObsBands> obs{};
  for (int b = 0; b < sensor::kEmitObsBands; ++b)
    obs[static_cast<std::size_t>(b)] = &g.obs[static_cast<std::size_t>(b)];
  sensor::write_emit_obs(ws.obs_path, info, geo, obs);
}

// The RPC of the rendered geometry: image positions of points at several heights on each
// pixel's line of sight (a margin of rows and columns around the tile, the heights spanning
// the terrain), fitted by least squares.
geo::Rpc scene_rpc(const SwathGeometry& sw, const Site& site, const Raster<double>& elevation) {
  const double z0 = elevation.minCoeff() - 100, z1 = elevation.maxCoeff() + 100;
  const int R = sw.rows(), C = sw.cols();
  const int dr = std::max(1, R / 12), dc = std::max(1, C / 12);
  std::vector<geo::RpcSample> samples;
  for (int k = 0; k < 4; ++k) {
    const double h = z0 + (z1 - z0) * k / 3.0;
    for (int r = -dr; r <= R - 1 + dr; r += dr)
      for (int c = -dc; c <= C - 1 + dc; c += dc) {
        const geo::EastNorth en = sw.pixel_en(r, c, h);
        const geo::LonLat ll = site.frame().to_lonlat(en.east, en.north);
        samples.push_back({ll.lat, ll.lon, h, static_cast<double>(r), static_cast<double>(c)});
      }
  }
  const geo::RpcFit fit = geo::fit_rpc(samples);
  if (fit.max_residual > 0.01)
    log::warn("synth: the RPC fits the swath within ", fit.max_residual, " pixels only");
  return fit.rpc;
}

void write_enmap_scene(WrittenScene& ws, const fs::path& dir, const ScenePlan& sp,
                       const SceneSynthesizer& synth, const Site& site,
                       const SynthModels& models, int threads, int block_rows) {
  const SyntheticGeometry& g = synth.geometry();
  const int R = synth.geometry().swath.rows(), C = synth.geometry().swath.cols();
  sensor::EnmapGranuleInfo info;
  info.datatake = sp.stem.substr(std::string("ENMAP01-____L1B-").size(), 12);
  info.start = sp.start;
  info.end = g.swath.end_time();
  info.tile = 1;
  info.processed = sp.start.plus_seconds(2 * 86400.0);
  if (sensor::enmap_granule_stem(info) != sp.stem)
    throw InternalError("EnMAP granule name differs from the plan's: " + sp.stem);
  info.across_off_nadir = sp.roll;
  info.scene_azimuth = g.swath.view(0.5 * (C - 1)).azimuth;
  info.sun_elevation = 90.0 - static_cast<double>(g.obs[kToSunZenith](R / 2, C / 2));
  info.sun_azimuth = static_cast<double>(g.obs[kToSunAzimuth](R / 2, C / 2));
  info.corners = {std::pair{g.lon(0, 0), g.lat(0, 0)}, std::pair{g.lon(0, C - 1), g.lat(0, C - 1)},
                  std::pair{g.lon(R - 1, 0), g.lat(R - 1, 0)},
                  std::pair{g.lon(R - 1, C - 1), g.lat(R - 1, C - 1)}};
  sensor::EnmapImage im;
  im.rows = R;
  im.cols = C;
  // DN steps far below the noise: VNIR 0.04, SWIR 0.002 mW m-2 sr-1 nm-1.
  for (std::size_t b = 0; b < models.bands.centres.size(); ++b) {
    const bool vnir = b < 91;
    (vnir ? im.vnir : im.swir)
        .push_back({models.bands.centres[b], models.bands.fwhm[b], vnir ? 4e-5 : 2e-6, 0.0});
  }
  im.rpc = scene_rpc(g.swath, site, g.elevation);
  for (const auto& name : sensor::kEnmapQualityLayers)
    im.quality[name] = Raster<std::uint8_t>::Zero(R, C);
  const std::size_t nb = models.bands.centres.size();
  ws.rad_path = sensor::write_enmap_l1b(dir.string(), info, im, [&](int r0, int r1, float* buf) {
    synth.render_rows(r0, r1, buf, threads);
    const std::size_t n = static_cast<std::size_t>(r1 - r0) * static_cast<std::size_t>(C) * nb;
    for (std::size_t i = 0; i < n; ++i) buf[i] *= 10.0f;  // uW cm-2 -> mW m-2
  }, block_rows);
}

// Copernicus GLO-30 tiles (1/3600 degree, pixel-centre referenced) over the boxes, from each
// box's site terrain; 0 elsewhere (the sea, as the real tiles have no data there).
void write_dem_tiles(const std::string& dem_dir,
                     const std::vector<std::pair<LonLatBox, const Site*>>& boxes) {
  constexpr int n = 3600;
  std::set<std::pair<int, int>> tiles;
  for (const auto& [b, site] : boxes)
    for (int lat = static_cast<int>(std::floor(b.south)); lat <= static_cast<int>(std::floor(b.north)); ++lat)
      for (int lon = static_cast<int>(std::floor(b.west)); lon <= static_cast<int>(std::floor(b.east)); ++lon)
        tiles.insert({lat, lon});
  fs::create_directories(dem_dir);
  for (const auto& [lat, lon] : tiles) {
    Raster<float> z = Raster<float>::Zero(n, n);
    for (const auto& [b, site] : boxes) {
      const int c0 = std::max(0, static_cast<int>(std::floor((b.west - lon) * n))),
                c1 = std::min(n - 1, static_cast<int>(std::ceil((b.east - lon) * n)));
      const int r0 = std::max(0, static_cast<int>(std::floor((lat + 1 - b.north) * n))),
                r1 = std::min(n - 1, static_cast<int>(std::ceil((lat + 1 - b.south) * n)));
      for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c) {
          const geo::EastNorth en = site->frame().to_east_north(lon + static_cast<double>(c) / n,
                                                                lat + 1 - static_cast<double>(r) / n);
          z(r, c) = static_cast<float>(site->elevation(en.east, en.north));
        }
    }
    GeoTransform gt;
    gt.gt = {lon - 0.5 / n, 1.0 / n, 0.0, lat + 1 + 0.5 / n, 0.0, -1.0 / n};
    io::write_float_geotiff((fs::path(dem_dir) / io::copernicus_tile_name(lat, lon)).string(), z,
                            gt, std::numeric_limits<double>::quiet_NaN());
  }
}

}  // namespace

CampaignResult write_campaign(const SynthOptions& options, const Resources& resources,
                              const CampaignWriteOptions& wo) {
  CampaignResult result;
  result.plan = plan_campaign(options);
  const CampaignPlan& plan = result.plan;
  const SynthOptions& o = plan.options;
  const int threads = thread_count(o.threads);
  const fs::path out = fs::absolute(o.out_dir);
  result.ancillary_dir = o.ancillary_dir.empty() ? (out / "ancillary").string()
                                                 : fs::absolute(o.ancillary_dir).string();
  const std::string era5_dir = (fs::path(result.ancillary_dir) / "era5").string();
  const std::string geosfp_dir = (fs::path(result.ancillary_dir) / "geosfp").string();
  const std::string osm_dir = (fs::path(result.ancillary_dir) / "osm_worldcover").string();

  const std::string dem_dir = (fs::path(result.ancillary_dir) / "dem").string();

  log::info("synth: loading resources from ", resources.root().string());
  // Each instrument its band set, noise and sites (the surfaces are sampled on its bands).
  std::map<std::string, SynthModels> models;
  std::map<std::string, std::vector<Site>> sites;
  for (const auto& key : o.sensors) {
    if (models.count(key)) continue;
    models.emplace(key, SynthModels::load(resources, key));
    auto& s = sites[key];
    s.reserve(plan.facilities.size());
    for (const auto& f : plan.facilities) s.push_back(make_site(models.at(key), plan, f));
  }
  std::vector<std::pair<LonLatBox, const Site*>> dem_boxes;

  std::map<double, LonLatBox> era5_days;  // midnight -> union box
  std::set<double> geosfp_hours;
  std::vector<LonLatBox> boxes;
  std::string csv =
      "scene,facility,source,latitude,longitude,emission_rate_kg_h,wind_speed_m_s,wind_direction_"
      "deg,"
      "surface_pressure_pa,mass_in_scene_kg\n";

  for (const ScenePlan& sp : plan.scenes) {
    const FacilityPlan& fac = plan.facilities[static_cast<std::size_t>(sp.facility)];
    const SynthModels& model = models.at(sp.sensor);
    const Site& site = sites.at(sp.sensor)[static_cast<std::size_t>(sp.facility)];
    const SceneSynthesizer synth(model, plan, site, sp);
    const SyntheticGeometry& g = synth.geometry();
    const fs::path dir = out / fac.name;
    fs::create_directories(dir);
    WrittenScene ws;
    ws.facility = fac.name;
    ws.truth_path = (dir / (sp.stem + "_truth.nc")).string();
    if (sp.sensor == "enmap") {
      write_enmap_scene(ws, dir, sp, synth, site, model, threads, wo.block_rows);
      const LonLatBox b = scene_box(g);
      dem_boxes.push_back({{b.west - 0.02, b.south - 0.02, b.east + 0.02, b.north + 0.02}, &site});
    } else {
      write_emit_scene(ws, dir, o, sp, synth, model, threads, wo.block_rows);
    }
    write_truth(ws.truth_path, synth, fs::path(ws.rad_path).filename().string());

    std::vector<SourceTruth> emitting;
    for (const auto& s : synth.truth().sources)
      if (s.emission_rate > 0) emitting.push_back(s);
    if ((!emitting.empty() || o.mark_plume_free) && o.plumes && !synth.truth().sources.empty()) {
      ws.markers_path = (dir / (sp.l2_stem + ".geojson")).string();
      write_markers(ws.markers_path, synth.truth().sources);
    }
    ws.sources = static_cast<int>(emitting.size());
    ws.max_delta_xch4 = synth.truth().delta_xch4.maxCoeff();
    for (std::size_t k = 0; k < synth.truth().sources.size(); ++k) {
      const SourceTruth& s = synth.truth().sources[k];
      char row[400];
      std::snprintf(row, sizeof row, "%s,%s,%zu,%.7f,%.7f,%.3f,%.4f,%.3f,%.2f,%.4f\n",
                    sp.stem.c_str(), fac.name.c_str(), k, s.lat, s.lon, s.emission_rate,
                    s.wind_speed, s.wind_direction, s.surface_pressure, s.mass_in_scene);
      csv += row;
    }

    const LonLatBox box = scene_box(g);
    boxes.push_back(box);
    const double day = std::floor(sp.start.unix_seconds() / 86400.0) * 86400.0;
    auto [it, inserted] = era5_days.try_emplace(day, box);
    if (!inserted)
      it->second = {std::min(it->second.west, box.west), std::min(it->second.south, box.south),
                    std::max(it->second.east, box.east), std::max(it->second.north, box.north)};
    geosfp_hours.insert(std::floor(sp.start.unix_seconds() / 3600.0) * 3600.0);
    log::info("synth: ", ws.rad_path, " (", o.rows, " x ", o.cols, " x ",
              model.bands.centres.size(), ", ", ws.sources, " emitting source(s), max dXCH4 ",
              static_cast<int>(ws.max_delta_xch4), " ppb)");
    result.scenes.push_back(ws);
  }

  for (const auto& [day, box] : era5_days) {
    const LonLatBox padded{box.west - 1.0, box.south - 1.0, box.east + 1.0, box.north + 1.0};
    write_era5_day(era5_dir, UtcTime::from_unix(day), padded, plan.weather);
  }
  for (double hour : geosfp_hours)
    write_geosfp_hour(geosfp_dir, UtcTime::from_unix(hour), plan.weather);
  std::vector<const Site*> site_ptrs;
  for (const auto& s : sites.begin()->second) site_ptrs.push_back(&s);
  write_water_tiles(osm_dir, boxes, site_ptrs, wo.water_posting);
  if (!dem_boxes.empty()) write_dem_tiles(dem_dir, dem_boxes);

  result.truth_csv = (out / "truth_sources.csv").string();
  io::write_text_atomically(result.truth_csv, csv);
  result.config_path = (out / "hyperplume_campaign.ini").string();
  io::write_text_atomically(
      result.config_path,
      "# Written by `hyperplume synth`: where this campaign's ancillary files are.\n"
      "# Use with --config-overlay " +
          result.config_path + "\n[paths]\nera5_dir = " + era5_dir +
          "\ngeosfp_dir = " + geosfp_dir + "\nosm_dir = " + osm_dir + "\n" +
          (dem_boxes.empty() ? "" : "dem_dir = " + dem_dir + "\n"));
  return result;
}

}  // namespace hyperplume::synth
