#include <hyperplume/app/app.hpp>
#include <hyperplume/app/retrieval_options.hpp>
#include <hyperplume/app/synth_command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/synth/campaign_writer.hpp>
#include <iostream>
#include <sstream>

namespace hyperplume::app {

std::vector<std::string> sensor_choice(const std::string& text) {
  std::vector<std::string> keys;
  std::stringstream list(text);
  for (std::string key; std::getline(list, key, ',');)
    if (!key.empty()) keys.push_back(synth::synth_sensor(key).key);
  if (keys.empty()) throw UsageError("--sensor names no instrument");
  return keys;
}

void SynthCommand::declare(po::options_description& o) {
  const synth::SynthOptions d;
  o.add_options()("out", po::value<std::string>()->required(),
                  "campaign root: writes <out>/<facility>/<files>")(
      "ancillary-out", po::value<std::string>()->default_value(""),
      "ancillary files root (default <out>/ancillary)")(
      "sensor", po::value<std::string>()->default_value("emit"),
      "instruments, comma-separated (emit, enmap): scene s of facility f is imaged by the "
      "((f + s) mod n)-th, each in its own format")(
      "terrain-relief", po::value<double>()->default_value(d.terrain_relief),
      "peak-to-peak relief of the sites' terrain, m (RPC sensors see its parallax)")(
      "seed", po::value<std::uint64_t>()->default_value(d.seed),
      "random seed: same seed and options, same bytes")(
      "rows", po::value<int>()->default_value(d.rows), "downtrack lines per scene (EMIT: 1280)")(
      "cols", po::value<int>()->default_value(d.cols), "crosstrack samples per scene (EMIT: 1242)")(
      "facilities", po::value<int>()->default_value(d.facilities),
      "number of facilities (one directory each)")(
      "scenes-per-facility", po::value<int>()->default_value(d.scenes_per_facility),
      "overpasses per facility")("sources-per-scene",
                                 po::value<int>()->default_value(d.sources_per_scene),
                                 "emission sources per facility")(
      "emission-min", po::value<double>()->default_value(d.emission_min),
      "smallest emission rate Q (kg/h), log-uniform draw")(
      "emission-max", po::value<double>()->default_value(d.emission_max),
      "largest emission rate Q (kg/h)")("wind-min", po::value<double>()->default_value(d.wind_min),
                                        "smallest 10 m wind speed at a source (m/s)")(
      "wind-max", po::value<double>()->default_value(d.wind_max), "largest 10 m wind speed (m/s)")(
      "plume-free", po::value<int>()->default_value(d.plume_free),
      "scenes of the campaign without any emission")(
      "date", po::value<std::string>()->default_value(d.start_date),
      "date of the first overpass (YYYY-MM-DD)")(
      "lat", po::value<double>()->default_value(d.place_lat),
      "latitude of the facility cluster (deg, |lat| <= 51)")(
      "lon", po::value<double>()->default_value(d.place_lon),
      "longitude of the facility cluster (deg)")("spread",
                                                 po::value<double>()->default_value(d.place_spread),
                                                 "facilities lie within +/- spread degrees")(
      "revisit-days", po::value<int>()->default_value(d.days_between_scenes),
      "days between overpasses of a facility")("noise", po::value<bool>()->default_value(d.noise),
                                               "add EMIT instrument noise (true/false)")(
      "plumes", po::value<bool>()->default_value(d.plumes),
      "inject the plumes (false: the same scenes without methane)")(
      "negative-plumes", po::value<bool>()->default_value(d.negative_plumes),
      "sign-flipped injections (dXCH4 < 0), to test false positives")(
      "mark-plume-free", po::value<bool>()->default_value(d.mark_plume_free),
      "write markers at the sources of plume-free scenes too")(
      "surface-brightness", po::value<double>()->default_value(d.surface_brightness),
      "scale of every land reflectance (e.g. 0.4: dark ground)")(
      "threads", po::value<int>()->default_value(0), "rendering threads (0 = all cores)")(
      "water-posting", po::value<double>()->default_value(1.0e-4),
      "water-mask tile posting (degrees)");
}

int SynthCommand::execute(const po::variables_map& vm, const Config& config) {
  synth::SynthOptions o;
  o.out_dir = vm["out"].as<std::string>();
  o.ancillary_dir = vm["ancillary-out"].as<std::string>();
  o.seed = vm["seed"].as<std::uint64_t>();
  o.terrain_relief = vm["terrain-relief"].as<double>();
  o.sensors = sensor_choice(vm["sensor"].as<std::string>());
  o.rows = vm["rows"].as<int>();
  o.cols = vm["cols"].as<int>();
  o.facilities = vm["facilities"].as<int>();
  o.scenes_per_facility = vm["scenes-per-facility"].as<int>();
  o.sources_per_scene = vm["sources-per-scene"].as<int>();
  o.emission_min = vm["emission-min"].as<double>();
  o.emission_max = vm["emission-max"].as<double>();
  o.wind_min = vm["wind-min"].as<double>();
  o.wind_max = vm["wind-max"].as<double>();
  o.plume_free = vm["plume-free"].as<int>();
  o.start_date = vm["date"].as<std::string>();
  o.place_lat = vm["lat"].as<double>();
  o.place_lon = vm["lon"].as<double>();
  o.place_spread = vm["spread"].as<double>();
  o.days_between_scenes = vm["revisit-days"].as<int>();
  o.noise = vm["noise"].as<bool>();
  o.plumes = vm["plumes"].as<bool>();
  o.negative_plumes = vm["negative-plumes"].as<bool>();
  o.mark_plume_free = vm["mark-plume-free"].as<bool>();
  o.surface_brightness = vm["surface-brightness"].as<double>();
  o.threads = threads_choice(vm);
  synth::CampaignWriteOptions w;
  w.water_posting = vm["water-posting"].as<double>();
  if (!(w.water_posting > 0 && w.water_posting <= 0.01))
    throw UsageError("synth: --water-posting must be in (0, 0.01] degrees");

  const auto result = synth::write_campaign(o, Resources::locate(config.paths.resources), w);
  std::cout << "Synthetic campaign: " << result.scenes.size() << " scene(s) under "
            << o.out_dir << "\n";
  for (const auto& s : result.scenes)
    std::cout << "  " << s.rad_path << "  sources " << s.sources << "  max dXCH4 "
              << static_cast<long>(s.max_delta_xch4) << " ppb\n";
  std::cout << "Ancillary files: " << result.ancillary_dir << "\nTruth table: " << result.truth_csv
            << "\nCampaign paths: " << result.config_path << "\n";
  return kExitOk;
}

}  // namespace hyperplume::app
