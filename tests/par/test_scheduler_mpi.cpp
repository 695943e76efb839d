// The real scheduler under mpiexec (1, 2 and 3 ranks): every item runs exactly once,
// results arrive on rank 0 by item whoever ran it, with rank 0 working or only
// scheduling, and with scene groups whose members all run their leader's items.
#define CATCH_CONFIG_RUNNER
#include <mpi.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <hyperplume/par/comm.hpp>
#include <hyperplume/par/scheduler.hpp>
#include <string>
#include <thread>
#include <vector>

using namespace hyperplume;

namespace {
constexpr std::size_t kItems = 37;

// Uneven work (largest first), so ranks ask ahead early on and when idle at the end.
std::string work_on(std::size_t i, std::vector<int>& ran) {
  ++ran[i];
  std::this_thread::sleep_for(std::chrono::microseconds(2000 - 40 * static_cast<int>(i)));
  return "item " + std::to_string(i) + " squared " + std::to_string(i * i);
}

std::vector<int> summed(const std::vector<int>& mine) {
  std::vector<int> all(mine.size());
  MPI_Allreduce(mine.data(), all.data(), static_cast<int>(mine.size()), MPI_INT, MPI_SUM,
                MPI_COMM_WORLD);
  return all;
}

void check_results(const par::Comm& world, const std::vector<std::string>& results) {
  if (!world.is_root()) {
    CHECK(results.empty());
    return;
  }
  REQUIRE(results.size() == kItems);
  for (std::size_t i = 0; i < kItems; ++i)
    CHECK(results[i] == "item " + std::to_string(i) + " squared " + std::to_string(i * i));
}
}  // namespace

TEST_CASE("every item runs once and its result reaches rank 0", "[mpi]") {
  const auto world = par::Comm::world();
  for (const bool root_works : {true, false}) {
    if (!root_works && world.size() == 1) continue;
    std::vector<int> ran(kItems, 0);
    std::vector<int> started(kItems, 0);
    par::SchedulerEvents events;
    events.on_start = [&](std::size_t i, int) { ++started[i]; };
    par::SchedulerStats stats;
    const auto results = par::schedule(
        world, kItems, [&](std::size_t i) { return work_on(i, ran); }, events, root_works, &stats);
    check_results(world, results);
    CHECK(summed(ran) == std::vector<int>(kItems, 1));
    if (world.is_root()) CHECK(started == std::vector<int>(kItems, 1));
  }
}

TEST_CASE("scene groups: every member runs each of its leader's items", "[mpi]") {
  const auto world = par::Comm::world();
  if (world.size() < 2) return;
  par::Comm group = world.split(world.rank() / 2, world.rank());
  std::vector<int> ran(kItems, 0);
  const auto results = par::schedule(
      world, kItems, [&](std::size_t i) { return work_on(i, ran); }, {}, true, nullptr, &group);
  check_results(world, results);
  // Leaders together ran each item once; each member ran exactly its leader's items.
  std::vector<int> led = group.rank() == 0 ? ran : std::vector<int>(kItems, 0);
  CHECK(summed(led) == std::vector<int>(kItems, 1));
  std::vector<std::int32_t> mine(ran.begin(), ran.end());
  const auto everyone = group.all_gather(mine);
  for (int r = 1; r < group.size(); ++r)
    CHECK(std::vector<std::int32_t>(everyone.begin() + r * static_cast<long>(kItems),
                                    everyone.begin() + (r + 1) * static_cast<long>(kItems)) ==
          std::vector<std::int32_t>(everyone.begin(), everyone.begin() + kItems));
  group.free();
}

int main(int argc, char** argv) {
  par::MpiSession mpi(argc, argv);
  const int failed = Catch::Session().run(argc, argv);
  int any = 0;
  MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return any ? 1 : 0;
}
