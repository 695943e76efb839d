#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/simulate_command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/par/scheduler.hpp>

namespace hyperplume::app {

void SimulateCommand::declare(po::options_description& o) {
  o.add_options()("scenes", po::value<int>()->default_value(10000), "scenes in the campaign")(
      "ranks", po::value<int>()->default_value(1000), "MPI ranks")(
      "cost-mean", po::value<double>()->default_value(5.0),
      "mean seconds per scene (a full-size EMIT scene measures ~7 s for L2 + L3: docs/benchmarks.md)")(
      "cost-cv", po::value<double>()->default_value(0.25),
      "coefficient of variation of scene costs (lognormal)")(
      "long-fraction", po::value<double>()->default_value(0.1),
      "fraction of scenes up to twice as long (EMIT's last scene of a segment)")(
      "overhead-ms", po::value<double>()->default_value(0.5),
      "rank 0's time per scene, request and result (measured by hyperplume run)")(
      "scheduler-only", po::bool_switch(), "rank 0 only schedules")(
      "seed", po::value<std::uint64_t>()->default_value(1), "random seed of the scene costs");
}

int SimulateCommand::execute(const po::variables_map& vm, const Config&) {
  const int n = vm["scenes"].as<int>(), ranks = vm["ranks"].as<int>();
  if (n < 1 || ranks < 1)
    throw UsageError("simulate-scheduler: --scenes and --ranks must be positive");
  const double mean = vm["cost-mean"].as<double>(), cv = vm["cost-cv"].as<double>(),
               longf = vm["long-fraction"].as<double>();
  const double sigma = std::sqrt(std::log(1 + cv * cv)), mu = std::log(mean) - 0.5 * sigma * sigma;
  const CounterRng rng(vm["seed"].as<std::uint64_t>(), stream_id("scheduler-simulation"));
  std::vector<double> costs(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    double c = std::exp(mu + sigma * rng.normal(static_cast<std::uint64_t>(i)));
    if (rng.uniform(static_cast<std::uint64_t>(i), 1) < longf)
      c *= 1.0 + rng.uniform(static_cast<std::uint64_t>(i), 2);
    costs[static_cast<std::size_t>(i)] = c;
  }
  const double overhead = vm["overhead-ms"].as<double>() / 1e3;
  const bool only = vm["scheduler-only"].as<bool>();
  const auto as_given = par::simulate_schedule(costs, ranks, overhead, only);
  std::sort(costs.begin(), costs.end(), std::greater<>());
  const auto when_idle = par::simulate_schedule(costs, ranks, overhead, only, false);
  const auto largest_first = par::simulate_schedule(costs, ranks, overhead, only);
  auto show = [](const char* what, const par::SimulationResult& r) {
    std::printf(
        "%-47s makespan %8.1f s  efficiency %5.1f %%  rank-0 busy %5.1f %%  idle tail %4.1f %%\n",
        what, r.makespan, 100 * r.efficiency, 100 * r.scheduler_busy, 100 * r.tail);
  };
  std::printf(
      "%d scenes on %d ranks, scene cost %.1f s mean (cv %.2f, %.0f %% up to 2x), %.2f ms per "
      "scene at rank 0\n",
      n, ranks, mean, cv, 100 * longf, overhead * 1e3);
  show("arrival order:", as_given);
  show("largest first, asking when idle:", when_idle);
  show("largest first, asking ahead (hyperplume run):", largest_first);
  // The losses: ranks idle after the queue ran dry (tail), and ranks waiting for rank 0's
  // answers (latency, including the start-up ramp when every rank asks at once).
  const double loss = 1 - largest_first.efficiency, tail = largest_first.tail,
               latency = loss - tail;
  std::printf("losses (asking ahead): tail %.1f %%, waiting for rank 0 %.1f %%\n", 100 * tail,
              100 * latency);
  if (largest_first.scheduler_busy > 0.5)
    std::printf(
        "limited by: rank 0, busy %.0f %% of the time: requests arrive nearly as fast as it "
        "answers them\n",
        100 * largest_first.scheduler_busy);
  else if (tail >= latency)
    std::printf(
        "limited by: the tail: with %.1f scenes per rank, the last round of scenes leaves ranks "
        "idle; more scenes per\n"
        "rank or smaller spread in scene cost raise the efficiency\n",
        static_cast<double>(n) / ranks);
  else
    std::printf("limited by: waiting for rank 0 (%.2f ms per scene x %d ranks queueing)\n",
                overhead * 1e3, ranks);
  return kExitOk;
}

}  // namespace hyperplume::app
