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

TEST_CASE("the scheduler model: asking ahead hides rank 0's answer time, not the tail", "[par]") {
  // 200 scenes of 0.7-1.3 s (largest first) on 20 ranks; rank 0 needs 10 ms per scene.
  // Asking when idle, ranks that finish together queue at rank 0; asking ahead, the
  // answers are waiting for them.
  std::vector<double> costs;
  for (int i = 0; i < 200; ++i) costs.push_back(0.7 + 0.01 * ((i * 37) % 61));
  std::sort(costs.begin(), costs.end(), std::greater<>());
  const auto idle = par::simulate_schedule(costs, 20, 0.01, false, /*ask_ahead=*/false);
  const auto ahead = par::simulate_schedule(costs, 20, 0.01, false, /*ask_ahead=*/true);
  CHECK(ahead.efficiency > idle.efficiency + 0.02);
  CHECK(ahead.efficiency > 0.97);
  // Equal free work: identical either way (the last items are never held by a busy rank).
  CHECK(par::simulate_schedule(std::vector<double>(200, 1.0), 20, 0.0, false, true).makespan ==
        Approx(10.0));
  // The price: one long scene first and many short ones. The rank with the long scene has
  // one short scene reserved while the queue is still long, so it ends one short scene
  // later than LPT would; never more than that.
  std::vector<double> skewed = {10.0};
  for (int i = 0; i < 30; ++i) skewed.push_back(1.0);
  CHECK(par::simulate_schedule(skewed, 4, 0.0, false, false).makespan == Approx(10.0));
  CHECK(par::simulate_schedule(skewed, 4, 0.0, false, true).makespan == Approx(11.0));
}
