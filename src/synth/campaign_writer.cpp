#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/synth/ancillary.hpp>
#include <hyperplume/synth/campaign_writer.hpp>
#include <hyperplume/synth/scene_synthesizer.hpp>
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

  log::info("synth: loading resources from ", resources.root().string());
  const SynthModels models = SynthModels::load(resources);

  std::vector<Site> sites;
  sites.reserve(plan.facilities.size());
  for (const auto& f : plan.facilities) sites.push_back(make_site(models, plan, f));

  std::map<double, LonLatBox> era5_days;  // midnight -> union box
  std::set<double> geosfp_hours;
  std::vector<LonLatBox> boxes;
  std::string csv =
      "scene,facility,source,latitude,longitude,emission_rate_kg_h,wind_speed_m_s,wind_direction_"
      "deg,"
      "surface_pressure_pa,mass_in_scene_kg\n";

  for (const ScenePlan& sp : plan.scenes) {
    const FacilityPlan& fac = plan.facilities[static_cast<std::size_t>(sp.facility)];
    const Site& site = sites[static_cast<std::size_t>(sp.facility)];
    const SceneSynthesizer synth(models, plan, site, sp);
    const SyntheticGeometry& g = synth.geometry();
    const fs::path dir = out / fac.name;
    fs::create_directories(dir);
    WrittenScene ws;
    ws.facility = fac.name;
    ws.rad_path = (dir / (sp.stem + ".nc")).string();
    ws.obs_path = (dir / (sp.obs_stem + ".nc")).string();
    ws.truth_path = (dir / (sp.stem + "_truth.nc")).string();

    sensor::EmitGranuleInfo info;
    info.start = sp.start;
    info.end = g.swath.end_time();
    info.flight_line = flight_line(sp);
    info.history = history(o, sp);
    info.date_created = sp.start.plus_seconds(2 * 86400.0);
    const sensor::EmitGeolocation geo{&g.lat, &g.lon, &g.elevation, &g.glt};
    sensor::write_emit_rad(
        ws.rad_path, info, models.bands.centres, models.bands.fwhm, geo,
        [&](int r0, int r1, float* buf) { synth.render_rows(r0, r1, buf, threads); },
        wo.block_rows);
    std::array<const Raster<float>*, sensor::kEmitObsBands> obs{};
    for (int b = 0; b < sensor::kEmitObsBands; ++b)
      obs[static_cast<std::size_t>(b)] = &g.obs[static_cast<std::size_t>(b)];
    sensor::write_emit_obs(ws.obs_path, info, geo, obs);
    write_truth(ws.truth_path, synth, sp.stem + ".nc");

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
              models.bands.centres.size(), ", ", ws.sources, " emitting source(s), max dXCH4 ",
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
  for (const auto& s : sites) site_ptrs.push_back(&s);
  write_water_tiles(osm_dir, boxes, site_ptrs, wo.water_posting);

  result.truth_csv = (out / "truth_sources.csv").string();
  io::write_text_atomically(result.truth_csv, csv);
  result.config_path = (out / "hyperplume_campaign.ini").string();
  io::write_text_atomically(
      result.config_path,
      "# Written by `hyperplume synth`: where this campaign's ancillary files are.\n"
      "# Use with --config-overlay " +
          result.config_path + "\n[paths]\nera5_dir = " + era5_dir +
          "\ngeosfp_dir = " + geosfp_dir + "\nosm_dir = " + osm_dir + "\n");
  return result;
}

}  // namespace hyperplume::synth
