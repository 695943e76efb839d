#include <algorithm>
#include <cmath>
#include <cstdio>
#include <hyperplume/core/constants.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/sensor/enmap/l1b.hpp>
#include <hyperplume/synth/campaign_plan.hpp>
#include <hyperplume/synth/swath.hpp>
#include <numeric>

namespace hyperplume::synth {
namespace {
// The options come from `hyperplume synth`'s command line: a bad one is a usage error.
void require(bool ok, const std::string& option, const std::string& what) {
  if (!ok) throw UsageError("synth: --" + option + " " + what);
}
// EnMAP L1B names: datatake, start, tile, version and processing time.
void name_enmap_scene(ScenePlan& sp, int flat) {
  sensor::EnmapGranuleInfo info;
  char datatake[16];
  std::snprintf(datatake, sizeof datatake, "DT%010d", 4000 + flat);
  info.datatake = datatake;
  info.start = sp.start;
  info.tile = 1;
  info.processed = sp.start.plus_seconds(2 * 86400.0);
  sp.stem = sensor::enmap_granule_stem(info);
  sp.obs_stem.clear();
  sp.l2_stem = sp.stem;
  sp.l2_stem.replace(sp.l2_stem.find("L1B"), 3, "L2B");
}
}  // namespace

const SynthSensor& synth_sensor(const std::string& key) {
  // EMIT on the ISS (51.6 degrees, 410 km, 60 m); EnMAP sun-synchronous (97.96 degrees,
  // 653 km, 30 m, tilting up to 30 degrees across track; here up to 15).
  static const SynthSensor sensors[] = {
      {"emit", 60.0, 410.0e3, 51.64, true, 4.0, 60.0 / 7200.0, false},
      {"enmap", 30.0, 653.0e3, 97.96, false, 15.0, 30.0 / 7100.0, true},
  };
  for (const auto& s : sensors)
    if (key == s.key) return s;
  throw UsageError("synth: --sensor '" + key + "' is not one of emit, enmap");
}

CampaignPlan plan_campaign(const SynthOptions& o) {
  require(!o.out_dir.empty(), "out", "is required");
  require(o.rows >= 8 && o.rows <= 20000, "rows", "must be between 8 and 20000");
  require(o.cols >= 8 && o.cols <= 20000, "cols", "must be between 8 and 20000");
  require(o.facilities >= 1 && o.facilities <= 99, "facilities", "must be between 1 and 99");
  require(o.scenes_per_facility >= 1 && o.scenes_per_facility <= 999, "scenes-per-facility",
          "must be between 1 and 999");
  require(o.sources_per_scene >= 0 && o.sources_per_scene <= 20, "sources-per-scene",
          "must be between 0 and 20");
  require(o.emission_min >= 0 && o.emission_max >= o.emission_min, "emission-min/--emission-max",
          "must satisfy 0 <= min <= max");
  require(o.wind_min > 0 && o.wind_max >= o.wind_min, "wind-min/--wind-max",
          "must satisfy 0 < min <= max");
  require(o.plume_free >= 0 && o.plume_free <= o.facilities * o.scenes_per_facility, "plume-free",
          "exceeds the number of scenes");
  require(o.surface_brightness > 0 && o.surface_brightness <= 3, "surface-brightness",
          "must be in (0, 3]");
  require(o.terrain_relief >= 0 && o.terrain_relief <= 2000, "terrain-relief", "must be in [0, 2000] m");
  require(std::abs(o.place_lat) <= 51.0, "lat",
          "must be within +/-51 degrees (the ISS orbit's reach)");
  require(std::abs(o.place_lon) <= 180.0, "lon", "must be within +/-180 degrees");
  require(o.days_between_scenes >= 1, "revisit-days", "must be at least 1");
  const UtcTime date0 = UtcTime::parse_iso8601(o.start_date);

  require(!o.sensors.empty(), "sensor", "names no instrument");
  CampaignPlan plan;
  plan.options = o;
  plan.gsd = 1e300;
  plan.max_gsd = 0;
  for (const auto& key : o.sensors) {
    plan.gsd = std::min(plan.gsd, synth_sensor(key).gsd);
    plan.max_gsd = std::max(plan.max_gsd, synth_sensor(key).gsd);
  }
  const CounterRng rng(o.seed, stream_id("campaign"));
  const double half_along = 0.5 * o.rows * plan.gsd, half_cross = 0.5 * o.cols * plan.gsd;
  const double half_min = std::min(half_along, half_cross);

  for (int f = 0; f < o.facilities; ++f) {
    const CounterRng r = rng.substream(static_cast<std::uint64_t>(f));
    FacilityPlan fp;
    fp.index = f;
    char name[32];
    std::snprintf(name, sizeof name, "facility_%02d", f + 1);
    fp.name = name;
    fp.lat = std::clamp(o.place_lat + o.place_spread * (2 * r.uniform(0) - 1), -51.0, 51.0);
    fp.lon = o.place_lon + o.place_spread * (2 * r.uniform(1) - 1);
    fp.elevation = 50.0 + 1200.0 * r.uniform(2);
    fp.seed = r.block(0, 3)[0] ^ (static_cast<std::uint64_t>(r.block(0, 3)[1]) << 32);
    // Sources in the central part of the scene, at least 600 m apart where room allows.
    const double box = 0.45 * half_min;
    for (int s = 0, attempt = 0; s < o.sources_per_scene && attempt < 500; ++attempt) {
      const geo::EastNorth p{
          box * (2 * r.uniform(10 + static_cast<std::uint64_t>(attempt), 0) - 1),
          box * (2 * r.uniform(10 + static_cast<std::uint64_t>(attempt), 1) - 1)};
      bool ok = true;
      for (const auto& q : fp.sources)
        ok = ok && std::hypot(p.east - q.east, p.north - q.north) > std::min(600.0, box);
      if (ok || attempt > 400) {
        fp.sources.push_back(p);
        ++s;
      }
    }
    plan.facilities.push_back(fp);
  }

  // Plume-free scenes: a seeded choice among all scenes.
  const int total = o.facilities * o.scenes_per_facility;
  std::vector<int> order(static_cast<std::size_t>(total));
  std::iota(order.begin(), order.end(), 0);
  const CounterRng shuffle = rng.substream(1000);
  for (int i = total - 1; i > 0; --i)
    std::swap(
        order[static_cast<std::size_t>(i)],
        order[static_cast<std::size_t>(shuffle.uniform(static_cast<std::uint64_t>(i)) * (i + 1))]);
  std::vector<bool> free_scene(static_cast<std::size_t>(total), false);
  for (int i = 0; i < o.plume_free; ++i)
    free_scene[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = true;

  std::vector<WeatherAnchor> anchors;
  for (int f = 0; f < o.facilities; ++f) {
    const FacilityPlan& fp = plan.facilities[static_cast<std::size_t>(f)];
    for (int s = 0; s < o.scenes_per_facility; ++s) {
      const int flat = f * o.scenes_per_facility + s;
      const CounterRng r = rng.substream(10000 + static_cast<std::uint64_t>(flat));
      ScenePlan sp;
      sp.facility = f;
      sp.index = s;
      sp.sensor = o.sensors[static_cast<std::size_t>(f + s) % o.sensors.size()];
      const SynthSensor& instrument = synth_sensor(sp.sensor);
      sp.seed = r.block(0, 0)[0] ^ (static_cast<std::uint64_t>(r.block(0, 0)[1]) << 32);
      // Overpass between 10:00 and 14:00 local solar time.
      const double day = std::floor(date0.unix_seconds() / 86400.0) + s * o.days_between_scenes + f;
      const double lst = 10.0 + 4.0 * r.uniform(1);
      double utc = lst - fp.lon / 15.0;
      const double t = day * 86400.0 + utc * 3600.0;
      sp.start = UtcTime::from_unix(std::round(t));
      sp.heading = orbit_heading(fp.lat, instrument.inclination,
                                 instrument.either_pass && r.uniform(2) < 0.5);
      sp.roll = instrument.max_roll * (2 * r.uniform(3) - 1);
      // The swath centre wanders by up to 15 % of the scene so sources are not always central.
      sp.centre_east = 0.15 * half_min * (2 * r.uniform(4) - 1);
      sp.centre_north = 0.15 * half_min * (2 * r.uniform(5) - 1);
      const auto& atms = available_atmospheres();
      sp.atmosphere =
          atms[static_cast<std::size_t>(r.uniform(6) * static_cast<double>(atms.size())) %
               atms.size()];
      for (std::size_t k = 0; k < fp.sources.size(); ++k) {
        const double u = r.uniform(100 + k);
        // Log-uniform: emission rates of real facilities span orders of magnitude.
        const double q = o.emission_min > 0
                             ? o.emission_min * std::pow(o.emission_max / o.emission_min, u)
                             : o.emission_max * u;
        sp.emission.push_back(free_scene[static_cast<std::size_t>(flat)] ? 0.0 : q);
      }
      // EMIT names: orbit = YYDDD + two-digit orbit of the day, scene = 3 digits.
      const CivilTime c = sp.start.civil();
      char orbit[16], scene[8];
      std::snprintf(orbit, sizeof orbit, "%02d%03d%02d", c.year % 100, sp.start.day_of_year(),
                    (f % 15) + 1);
      std::snprintf(scene, sizeof scene, "%03d", (s % 999) + 1);
      const std::string tail = sp.start.compact() + "_" + orbit + "_" + scene;
      sp.stem = "EMIT_L1B_RAD_001_" + tail;
      sp.obs_stem = "EMIT_L1B_OBS_001_" + tail;
      sp.l2_stem = "EMIT_L2B_001_" + tail;
      if (sp.sensor == "enmap") name_enmap_scene(sp, flat);
      // Wind drawn for this scene, anchoring the campaign weather at the site and time.
      const double speed = o.wind_min + (o.wind_max - o.wind_min) * r.uniform(7);
      const double dir = 360.0 * r.uniform(8);
      double u = 0, v = 0;
      wind_components(speed, dir, u, v);
      const double ps =
          constants::kStandardPressure * std::exp(-fp.elevation / constants::kScaleHeightPressure) +
          600.0 * (2 * r.uniform(9) - 1);
      anchors.push_back({fp.lon, fp.lat, sp.start.unix_seconds(), u, v, ps});
      plan.scenes.push_back(sp);
    }
  }
  plan.weather = Weather(anchors);
  return plan;
}

}  // namespace hyperplume::synth
