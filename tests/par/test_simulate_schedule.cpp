#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <hyperplume/par/scheduler.hpp>
#include <vector>

using namespace hyperplume;

TEST_CASE("the scheduler model: exact for equal work, largest first helps, a slow rank 0 saturates",
          "[par]") {
  // 40 equal scenes of 10 s on 4 ranks, free scheduling: 100 s, full efficiency.
  const auto even = par::simulate_schedule(std::vector<double>(40, 10.0), 4, 0.0, false);
  CHECK(even.makespan == Approx(100.0));
  CHECK(even.efficiency == Approx(1.0));
  CHECK(even.tail == Approx(0.0).margin(1e-12));
  // Scheduler-only: one worker fewer.
  CHECK(par::simulate_schedule(std::vector<double>(40, 10.0), 4, 0.0, true).makespan ==
        Approx(40.0 / 3 * 10).epsilon(0.1));
  // Uneven work: largest first never loses to smallest first.
  std::vector<double> costs;
  for (int i = 1; i <= 50; ++i) costs.push_back(static_cast<double>(i % 7 + 1));
  std::vector<double> up = costs, down = costs;
  std::sort(up.begin(), up.end());
  std::sort(down.begin(), down.end(), std::greater<>());
  CHECK(par::simulate_schedule(down, 8, 0.0, false).makespan <=
        par::simulate_schedule(up, 8, 0.0, false).makespan);
  // Rank 0 taking as long per request as a scene takes: it becomes the bottleneck.
  const auto slow = par::simulate_schedule(std::vector<double>(100, 1.0), 10, 1.0, false);
  CHECK(slow.scheduler_busy > 0.9);
  CHECK(slow.efficiency < 0.2);
}
