#include <algorithm>
#include <cmath>
#include <cstdio>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/l2_command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/io/l1_discovery.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <iostream>
#include <vector>

namespace hyperplume::app {

void L2Command::declare(po::options_description& o) {
  o.add_options()(
      "root", po::value<std::string>()->required(),
      "directory searched recursively for L1 scenes; L2 files are written next to them")(
      "species", po::value<std::string>()->default_value("ch4"),
      "gases: a comma-separated list, 'all', or 'list' to print the configured ones")(
      "skip-exist", po::bool_switch(), "skip scenes whose L2 file exists and is complete")(
      "cluster", po::bool_switch(),
      "cluster-tuned MF: statistics per column and k-means cluster (PCA, 10 clusters)")(
      "unortho-export", po::bool_switch(),
      "write the sensor-geometry product (the only geometry in this version)")(
      "rad-dist", po::value<std::string>()->default_value("normal"),
      "normal, lognormal, auto (lognormal when > 5 pixels exceed 1200 ppb) or sparse (mag1c)")(
      "land-mask-source", po::value<std::string>()->default_value("osm"),
      "segmentation: osm (water-mask tiles), gshhs or natural-earth (polygon files), auto (quality "
      "mask), none")("skip-water", po::value<bool>()->default_value(true),
                     "do not retrieve water pixels")("skip-cloud",
                                                     po::value<bool>()->default_value(true),
                                                     "do not retrieve cloud and cirrus pixels")(
      "profile", po::value<std::string>()->default_value("default"),
      "default, or hypergas to reproduce HyperGas's numbers")(
      "threads", po::value<int>()->default_value(0),
      "threads for the matched filter (0 = all cores)");
}

int L2Command::execute(const po::variables_map& vm, const Config& config) {
  pipeline::L2Options opt;
  const std::string species = vm["species"].as<std::string>();
  if (species == "list") {
    for (const auto& [name, s] : config.species)
      std::cout << name << "  window " << s.window_min << "-" << s.window_max << " nm, full "
                << s.full_window_min << "-" << s.full_window_max << " nm, " << s.units << ", "
                << s.rad_source << "\n";
    return kExitOk;
  }
  opt.species.clear();
  if (species == "all") {
    for (const auto& [name, s] : config.species) opt.species.push_back(name);
  } else {
    std::string item;
    for (char c : species + ",") {
      if (c == ',') {
        if (!item.empty()) opt.species.push_back(item);
        item.clear();
      } else {
        item += c;
      }
    }
  }
  for (const auto& g : opt.species) config.species_config(g);  // unknown species -> error now
  const std::string rd = vm["rad-dist"].as<std::string>();
  if (rd == "normal")
    opt.rad_dist = pipeline::RadDist::normal;
  else if (rd == "lognormal")
    opt.rad_dist = pipeline::RadDist::lognormal;
  else if (rd == "auto")
    opt.rad_dist = pipeline::RadDist::automatic;
  else if (rd == "sparse")
    opt.rad_dist = pipeline::RadDist::sparse;
  else
    throw InputError("--rad-dist: '" + rd + "' is not normal, lognormal, auto or sparse");
  const std::string lm = vm["land-mask-source"].as<std::string>();
  if (lm == "osm")
    opt.land_mask = pipeline::LandMaskSource::osm;
  else if (lm == "gshhs")
    opt.land_mask = pipeline::LandMaskSource::gshhs;
  else if (lm == "natural-earth")
    opt.land_mask = pipeline::LandMaskSource::natural_earth;
  else if (lm == "auto")
    opt.land_mask = pipeline::LandMaskSource::automatic;
  else if (lm == "none")
    opt.land_mask = pipeline::LandMaskSource::none;
  else
    throw InputError("--land-mask-source: '" + lm +
                     "' is not osm, gshhs, natural-earth, auto or none");
  opt.skip_water = vm["skip-water"].as<bool>();
  opt.skip_cloud = vm["skip-cloud"].as<bool>();
  opt.cluster = vm["cluster"].as<bool>();
  const std::string profile = vm["profile"].as<std::string>();
  if (profile != "default" && profile != "hypergas")
    throw InputError("--profile: '" + profile + "' is not default or hypergas");
  opt.hypergas = profile == "hypergas";
  opt.threads = vm["threads"].as<int>();
  const Resources res = Resources::locate(config.paths.resources);
  const pipeline::L2WriteInfo info{
      profile, "species=" + species + " rad_dist=" + rd + " land_mask_source=" + lm +
                   " skip_water=" + (opt.skip_water ? "true" : "false") +
                   " skip_cloud=" + (opt.skip_cloud ? "true" : "false")};

  const auto granules = io::find_l1_granules(vm["root"].as<std::string>());
  int done = 0, skipped = 0, failed = 0;
  for (const auto& g : granules) {
    const std::string out = pipeline::l2_path_for(g.path);
    if (vm["skip-exist"].as<bool>() && pipeline::is_complete_l2(out)) {
      ++skipped;
      log::info("l2: ", out, " exists, skipped");
      continue;
    }
    try {
      auto product = pipeline::retrieve_l2(g.path, config, res, opt);
      product.times.run("io.write_l2", [&] { pipeline::write_l2(out, product, config, info); });
      ++done;
      char summary[160];
      std::snprintf(summary, sizeof summary, "%.1f s", product.times.total());
      std::cout << out << "  " << summary << "  (" << product.times.to_text() << ")\n";
      for (const auto& gas : opt.species)
        if (const auto* f = product.field(gas)) {
          std::vector<float> v;
          for (Eigen::Index i = 0; i < f->values.size(); ++i)
            if (std::isfinite(f->values.data()[i])) v.push_back(f->values.data()[i]);
          if (v.empty()) continue;
          auto nth = [&](double q) {
            auto it =
                v.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
            std::nth_element(v.begin(), it, v.end());
            return static_cast<double>(*it);
          };
          const double med = nth(0.5), p16 = nth(0.16), p84 = nth(0.84), top = nth(1.0);
          std::snprintf(summary, sizeof summary,
                        "    %s: median %.1f, noise (16-84 %%) %.1f, max %.0f %s over %zu pixels",
                        gas.c_str(), med, 0.5 * (p84 - p16), top,
                        std::get<std::string>(f->attributes.at("units")).c_str(), v.size());
          std::cout << summary << "\n";
        }
    } catch (Error& e) {
      e.add_scene(g.path);
      ++failed;
      log::error(e.what());
    }
  }
  std::cout << "l2: " << done << " done, " << skipped << " skipped, " << failed << " failed of "
            << granules.size() << " scene(s)\n";
  return failed ? kExitFailure : kExitOk;
}

}  // namespace hyperplume::app
