#pragma once
// What a synthetic campaign contains, decided up front from the options and the seed:
// facilities (sites with their sources), scenes (date, time, swath, atmosphere, emission
// rates) and the weather anchors. Pure data; rendering and writing come after.
#include <cstdint>
#include <hyperplume/core/time.hpp>
#include <hyperplume/geo/local_frame.hpp>
#include <hyperplume/synth/atmosphere.hpp>
#include <hyperplume/synth/weather.hpp>
#include <string>
#include <vector>

namespace hyperplume::synth {

// How an instrument images a synthetic scene.
struct SynthSensor {
  const char* key;     // "emit", "enmap" (the sensor table's key)
  double gsd;          // m, nadir ground sampling distance
  double altitude;     // m
  double inclination;  // degrees, of the orbit
  bool either_pass;    // overpasses drawn ascending or descending (else descending only)
  double max_roll;     // degrees: |roll| drawn up to this (EnMAP tilts across track)
  double line_time;    // s per row
  bool parallax;       // geometry over the terrain (an RPC sensor; its product says nothing else)
};
// UsageError naming --sensor for an unknown key.
const SynthSensor& synth_sensor(const std::string& key);

struct SynthOptions {
  std::string out_dir;
  std::string ancillary_dir;  // default <out>/ancillary
  std::uint64_t seed = 1;
  int rows = 128, cols = 128;  // full EMIT scene: 1280 x 1242
  int facilities = 2;
  int scenes_per_facility = 2;
  int sources_per_scene = 1;
  double emission_min = 1000.0, emission_max = 15000.0;  // kg/h
  double wind_min = 2.0, wind_max = 8.0;                 // m/s
  int plume_free = 0;  // scenes in the campaign without any emission
  bool mark_plume_free = false;    // markers at the sources of plume-free scenes too (validation)
  double surface_brightness = 1.0;  // scales every land reflectance (dark or bright ground)
  double terrain_relief = 60.0;     // m, peak to peak: hills for the RPC sensors' parallax
  std::string start_date = "2023-08-14";
  double place_lat = 32.0, place_lon = -103.5;  // centre of the facility cluster
  double place_spread = 1.5;    // degrees: facilities within +/- spread of the place
  int days_between_scenes = 9;  // revisit interval of a facility
  bool noise = true;            // add EMIT instrument noise
  bool plumes = true;           // inject the plumes (false: same scenes, no methane)
  bool negative_plumes =
      false;  // sign-flipped injections (radiance gained, dXCH4 < 0), for false-positive tests
  int threads = 0;  // 0 = hardware concurrency
  // Instruments of the campaign; scene s of facility f is imaged by sensors[(f + s) % n], so a
  // mixed campaign sees each facility with each of them.
  std::vector<std::string> sensors{"emit"};
};

struct FacilityPlan {
  int index = 0;
  std::string name;  // directory name
  double lat = 0, lon = 0, elevation = 0;
  std::vector<geo::EastNorth> sources;  // m, in the site frame
  std::uint64_t seed = 0;
};

struct ScenePlan {
  int facility = 0;
  int index = 0;     // scene number of the facility
  std::string sensor = "emit";
  std::string stem;  // the granule's name without extension: EMIT_L1B_RAD_001_<time>_<orbit>_<scene>
  std::string obs_stem;
  std::string l2_stem;  // EMIT_L2B_001_... (markers file stem)
  UtcTime start;
  double heading = 0, roll = 0;
  double centre_east = 0, centre_north = 0;  // scene centre in the site frame
  AtmosphereState atmosphere{0.01, 1.5};
  std::vector<double> emission;  // kg/h per facility source (0 in plume-free scenes)
  std::uint64_t seed = 0;
};

struct CampaignPlan {
  SynthOptions options;
  std::vector<FacilityPlan> facilities;
  std::vector<ScenePlan> scenes;
  Weather weather{{}};
  double gsd = 60.0;      // the finest sensor's: sources and swath centres stay in its scenes
  double max_gsd = 60.0;  // the coarsest sensor's: the sites cover its scenes
};

// Throws InputError naming the option for impossible values.
CampaignPlan plan_campaign(const SynthOptions& options);

}  // namespace hyperplume::synth
