#include <algorithm>
#include <hyperplume/app/retrieval_options.hpp>
#include <hyperplume/core/error.hpp>

namespace hyperplume::app {

void declare_retrieval_options(po::options_description& o, const std::string& rad_dist,
                               const std::string& rad_dist_help) {
  o.add_options()("species", po::value<std::string>()->default_value("ch4"),
                  "gases: a comma-separated list, or 'all'")(
      "rad-dist", po::value<std::string>()->default_value(rad_dist), rad_dist_help.c_str())(
      "cluster", po::bool_switch(),
      "cluster-tuned MF: statistics per column and k-means cluster (PCA, 10 clusters)")(
      "land-mask-source", po::value<std::string>()->default_value("osm"),
      "segmentation: osm (water-mask tiles), gshhs or natural-earth (polygon files), auto (quality "
      "mask), none")("skip-water", po::value<bool>()->default_value(true),
                     "do not retrieve water pixels")("skip-cloud",
                                                     po::value<bool>()->default_value(true),
                                                     "do not retrieve cloud and cirrus pixels")(
      "profile", po::value<std::string>()->default_value("default"),
      "default, or hypergas to reproduce HyperGas's numbers")(
      "format", po::value<std::string>()->default_value("netcdf4"),
      "L2 file format: netcdf4 (HDF5, compressed) or cdf5 (PnetCDF; GDAL cannot read it)")(
      "threads", po::value<int>()->default_value(0),
      "threads per rank for the matched filter, denoising and orthorectification (0 = cores / "
      "ranks)")("unortho-export", po::bool_switch(),
                "also write the sensor-geometry product <L2 stem>_unortho.nc (before denoising)");
}

pipeline::RadDist parse_rad_dist(const std::string& rd) {
  if (rd == "normal") return pipeline::RadDist::normal;
  if (rd == "lognormal") return pipeline::RadDist::lognormal;
  if (rd == "auto") return pipeline::RadDist::automatic;
  if (rd == "sparse") return pipeline::RadDist::sparse;
  throw UsageError("--rad-dist: '" + rd + "' is not normal, lognormal, auto or sparse");
}

std::string parse_profile(const std::string& text) {
  if (text != "default" && text != "hypergas")
    throw UsageError("--profile: '" + text + "' is not default or hypergas");
  return text;
}

pipeline::LandMaskSource parse_land_mask_source(const std::string& lm) {
  if (lm == "osm") return pipeline::LandMaskSource::osm;
  if (lm == "gshhs") return pipeline::LandMaskSource::gshhs;
  if (lm == "natural-earth") return pipeline::LandMaskSource::natural_earth;
  if (lm == "auto") return pipeline::LandMaskSource::automatic;
  if (lm == "none") return pipeline::LandMaskSource::none;
  throw UsageError("--land-mask-source: '" + lm +
                   "' is not osm, gshhs, natural-earth, auto or none");
}

std::vector<std::string> species_choice(const std::string& text, const Config& config) {
  std::vector<std::string> gases;
  if (text == "all") {
    for (const auto& [name, s] : config.species) gases.push_back(name);
    return gases;
  }
  std::string item;
  for (char ch : text + ",") {
    if (ch != ',') {
      item += ch;
      continue;
    }
    if (item.empty()) continue;
    if (std::find(gases.begin(), gases.end(), item) != gases.end())
      throw UsageError("--species: '" + item + "' is listed twice");
    if (!config.species.count(item)) {
      std::string known;
      for (const auto& [name, s] : config.species) known += (known.empty() ? "" : ", ") + name;
      throw UsageError("--species: unknown species '" + item + "' (configured: " + known + ")");
    }
    gases.push_back(item);
    item.clear();
  }
  if (gases.empty()) throw UsageError("--species: no gas given");
  return gases;
}

int threads_choice(const po::variables_map& vm) {
  const int threads = vm["threads"].as<int>();
  if (threads < 0)
    throw UsageError("--threads: " + std::to_string(threads) +
                     " is negative; give a count, or 0 for every core");
  return threads;
}

RetrievalChoice retrieval_choice(const po::variables_map& vm, const Config& config) {
  RetrievalChoice c;
  pipeline::L2Options& opt = c.options;
  try {
    c.format = io::parse_file_format(vm["format"].as<std::string>());
  } catch (const InputError& e) {
    throw UsageError(e.message());
  }
  const std::string species = vm["species"].as<std::string>();
  opt.species = species_choice(species, config);
  const std::string rd = vm["rad-dist"].as<std::string>();
  opt.rad_dist = parse_rad_dist(rd);
  const std::string lm = vm["land-mask-source"].as<std::string>();
  opt.land_mask = parse_land_mask_source(lm);
  opt.skip_water = vm["skip-water"].as<bool>();
  opt.skip_cloud = vm["skip-cloud"].as<bool>();
  opt.cluster = vm["cluster"].as<bool>();
  c.profile = parse_profile(vm["profile"].as<std::string>());
  opt.hypergas = c.profile == "hypergas";
  opt.threads = threads_choice(vm);
  c.chain.unortho_export = vm["unortho-export"].as<bool>();
  c.description = "species=" + species + " rad_dist=" + rd +
                  " cluster=" + (opt.cluster ? "true" : "false") + " land_mask_source=" + lm +
                  " skip_water=" + (opt.skip_water ? "true" : "false") +
                  " skip_cloud=" + (opt.skip_cloud ? "true" : "false");
  return c;
}

}  // namespace hyperplume::app
