#include <cstdio>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/l2_command.hpp>
#include <hyperplume/app/retrieval_options.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/sensor/discovery.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/pipeline/l2_writer.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>
#include <iostream>

namespace hyperplume::app {

void L2Command::declare(po::options_description& o) {
  o.add_options()(
      "root", po::value<std::string>()->required(),
      "directory searched recursively for L1 scenes; L2 files are written next to them")(
      "skip-exist", po::bool_switch(), "skip scenes whose L2 file exists and is complete");
  declare_retrieval_options(o);
}

int L2Command::execute(const po::variables_map& vm, const Config& config) {
  if (vm["species"].as<std::string>() == "list") {
    for (const auto& [name, s] : config.species)
      std::cout << name << "  window " << s.window_min << "-" << s.window_max << " nm, full "
                << s.full_window_min << "-" << s.full_window_max << " nm, " << s.units << ", "
                << s.rad_source << "\n";
    return kExitOk;
  }
  const RetrievalChoice choice = retrieval_choice(vm, config);
  const Resources res = Resources::locate(config.paths.resources);
  const auto granules = sensor::find_l1_granules(vm["root"].as<std::string>());
  const std::vector<pipeline::Stage> chain = pipeline::l2_chain(choice.chain);
  int done = 0, skipped = 0, failed = 0;
  for (const auto& g : granules) {
    const std::string out = pipeline::l2_path_for(g.path);
    if (vm["skip-exist"].as<bool>() && pipeline::is_complete_l2(out)) {
      ++skipped;
      log::info("l2: ", out, " exists, skipped");
      continue;
    }
    try {
      pipeline::SceneWork work;
      work.l1_path = g.path;
      work.l2_path = out;
      work.l2 = choice.options;
      work.write = pipeline::L2WriteInfo{choice.profile, choice.description, choice.format};
      pipeline::run_chain(chain, work, config, res);
      const pipeline::L2Product& product = *work.product;
      ++done;
      char line[200];
      std::snprintf(line, sizeof line, "%.1f s", product.times.total());
      std::cout << out << "  " << line << "  (" << product.times.to_text() << ")\n";
      for (const auto& gas : choice.options.species)
        if (const auto* f = product.field(gas)) {
          const auto* u = product.field(gas + "_uncertainty");
          const auto s = pipeline::summarize(f->values, u ? &u->values : nullptr);
          std::snprintf(line, sizeof line,
                        "    %s: median %.1f, noise (16-84 %%) %.1f, max %.0f %s over %zu pixels",
                        gas.c_str(), s.median, s.noise, s.max,
                        std::get<std::string>(f->attributes.at("units")).c_str(), s.valid);
          std::cout << line << "\n";
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
