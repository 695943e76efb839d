#include <algorithm>
#include <cmath>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/plot_command.hpp>
#include <hyperplume/app/plume_options.hpp>
#include <hyperplume/app/retrieval_options.hpp>
#include <hyperplume/app/run_command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/par/comm.hpp>
#include <hyperplume/pipeline/campaign.hpp>
#include <iostream>

namespace hyperplume::app {

void RunCommand::declare(po::options_description& o) {
  o.add_options()("root", po::value<std::string>()->required(),
                  "L1 root, walked recursively; L2 files are written next to the L1 files")(
      "out", po::value<std::string>()->default_value(""),
      "campaign files (journal, reports, quarantine, status); default the root")(
      "resume", po::value<bool>()->default_value(true),
      "skip scenes done and verified, redo what changed, retry failed ones (false: start afresh)")(
      "keep-existing", po::bool_switch(),
      "keep done products even when the settings, inputs or markers that made them changed")(
      "grace-period", po::value<double>()->default_value(60.0),
      "seconds running scenes may take to finish after SIGTERM/SIGINT/SIGUSR1 (then abandoned)")(
      "max-attempts", po::value<int>()->default_value(3),
      "attempts before a failing or crashing scene is quarantined")(
      "progress-interval", po::value<double>()->default_value(10.0),
      "seconds between progress lines")("scheduler-only", po::bool_switch(),
                                        "rank 0 only hands out work (default: it works too)")(
      "ranks-per-scene", po::value<int>()->default_value(1),
      "scene groups: K consecutive ranks share each scene's detector columns")(
      "plumes", po::value<bool>()->default_value(true),
      "L3/L4 after each scene's L2, from its source markers (<L2 stem>.geojson) or, by "
      "default where there are none, from automatic detection (--markers)")(
      "passes", po::value<int>(),
      "retrieval passes with L3/L4: 2 = the L2 again with its plume pixels out of the background "
      "statistics, then L3/L4 again (default 2; 1 with --profile hypergas)")(
      "reprocess", po::bool_switch(),
      "the second pass on every done scene whose L3 plume files are not those its last pass "
      "made (after markers were edited or `hyperplume l3` was run again)");
  declare_retrieval_options(o);
  declare_plume_options(o, /*standalone=*/false);
  declare_detection_options(o);
  po::options_description plots("visual products (with --plots)");
  plots.add_options()("plots", po::bool_switch(),
                      "each scene's quicklooks, map and plume figures (as `plot` and `plot-l3`), the "
                      "directory maps and <out>/campaign_index.html at the end");
  declare_plot_options(plots);
  o.add(plots);
}

int RunCommand::execute(const po::variables_map& vm, const Config& config) {
  const par::Comm world = par::Comm::world();
  pipeline::CampaignOptions o;
  o.root = vm["root"].as<std::string>();
  o.out_dir = vm["out"].as<std::string>();
  o.resume = vm["resume"].as<bool>();
  o.keep_existing = vm["keep-existing"].as<bool>();
  o.grace_seconds = vm["grace-period"].as<double>();
  if (!std::isfinite(o.grace_seconds) || o.grace_seconds < 0)
    throw UsageError("--grace-period must be a finite number of seconds, at least 0");
  o.max_attempts = vm["max-attempts"].as<int>();
  if (o.max_attempts < 1) throw UsageError("--max-attempts must be at least 1");
  o.progress_interval = vm["progress-interval"].as<double>();
  if (!(o.progress_interval > 0)) throw UsageError("--progress-interval must be more than 0 seconds");
  o.scheduler_only = vm["scheduler-only"].as<bool>();
  o.ranks_per_scene = vm["ranks-per-scene"].as<int>();
  if (o.ranks_per_scene < 1 || o.ranks_per_scene > world.size())
    throw UsageError("--ranks-per-scene must be between 1 and the number of ranks (" +
                     std::to_string(world.size()) + ")");
  const RetrievalChoice choice = retrieval_choice(vm, config);
  o.l2 = choice.options;
  o.l2_description = choice.description;
  o.profile = choice.profile;
  o.format = choice.format;
  o.chain = choice.chain;
  if (o.l2.threads == 0)  // the CPUs this rank may use, shared with the ranks on them
    o.l2.threads = par::threads_per_rank(world);
  o.passes = vm.count("passes") ? vm["passes"].as<int>() : choice.profile == "hypergas" ? 1 : 2;
  if (o.passes < 1 || o.passes > 2) throw UsageError("--passes must be 1 or 2");
  o.reprocess = vm["reprocess"].as<bool>();
  if (o.reprocess && !vm["plumes"].as<bool>())
    throw UsageError("--reprocess needs the plumes (--plumes true): it works from their L3 files");
  o.later_rad_dist = o.l2.rad_dist;  // auto: on the second pass, the L4 rule
  std::optional<io::Gazetteer> gazetteer;
  if (vm["plumes"].as<bool>()) {
    o.plumes = plume_choice(vm, choice.profile, choice.options.land_mask);
    check_plume_inputs(*o.plumes, config);
    gazetteer = open_gazetteer(vm);
    o.gazetteer = gazetteer ? &*gazetteer : nullptr;
    if (o.plumes->markers_from != pipeline::MarkerChoice::file) {
      o.detection = detection_choice(vm);
      o.detection->threads = o.l2.threads;
      o.detection->dem = config.paths.dem_dir;
    }
  }
  if (vm["plots"].as<bool>()) {
    o.plots = plot_choice(vm);
    o.plots->threads = o.l2.threads;
  }
  const auto result =
      pipeline::run_campaign(world, config, Resources::locate(config.paths.resources), o);
  if (result.interrupted) return kExitInterrupted;
  if (!result.stopped_by.empty()) return kExitFailure;
  return result.completed_with_failures() ? kExitFailure : kExitOk;
}

}  // namespace hyperplume::app
