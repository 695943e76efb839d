// parallel_for and run_team: an exception in any worker reaches the caller after the join,
// and the work split (hence every result) is the same for any thread count.
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace hyperplume;

namespace {

// Every index's value, computed on `threads` threads.
std::vector<double> values_on(std::int64_t n, int threads) {
  std::vector<double> values(static_cast<std::size_t>(n));
  parallel_for(n, threads, [&](std::int64_t i) {
    values[static_cast<std::size_t>(i)] = std::sin(0.37 * static_cast<double>(i));
  });
  return values;
}

}  // namespace

TEST_CASE("parallel_for calls the body once for every index", "[core]") {
  for (const int threads : {1, 2, 3, 4, 8}) {
    for (const std::int64_t n : {0, 1, 3, 7, 100}) {
      std::vector<std::atomic<int>> calls(static_cast<std::size_t>(n));
      parallel_for(n, threads, [&](std::int64_t i) { ++calls[static_cast<std::size_t>(i)]; });
      for (const auto& c : calls) CHECK(c.load() == 1);
    }
  }
}

TEST_CASE("an exception thrown in a worker arrives at the caller", "[core]") {
  for (const int threads : {1, 2, 3, 4}) {
    INFO(threads << " thread(s)");
    const auto run = [&] {
      parallel_for(1000, threads, [&](std::int64_t i) {
        if (i == 1 || i == 998) throw InputError("index " + std::to_string(i) + " is bad");
      });
    };
    CHECK_THROWS_AS(run(), InputError);
    CHECK_THROWS_WITH(run(), Catch::Matchers::Contains("is bad"));
  }
  // The calling thread's own member and any other member.
  for (const int failing : {0, 1, 2}) {
    INFO("member " << failing << " throws");
    CHECK_THROWS_WITH(run_team(3,
                               [&](int t) {
                                 if (t == failing) throw std::runtime_error("member failed");
                               }),
                      "member failed");
  }
}

TEST_CASE("parallel_for splits the work the same way every time", "[core]") {
  const auto one = values_on(1001, 1);
  for (const int threads : {2, 3, 4}) CHECK(values_on(1001, threads) == one);
  // Worker t of T takes t, t + T, ...; worker 0 is the calling thread.
  std::vector<std::thread::id> ids(10);
  parallel_for(10, 3, [&](std::int64_t i) {
    ids[static_cast<std::size_t>(i)] = std::this_thread::get_id();
  });
  CHECK(ids[0] == std::this_thread::get_id());
  CHECK(ids[1] != ids[0]);
  CHECK(ids[2] != ids[1]);
  for (std::size_t i = 3; i < ids.size(); ++i) CHECK(ids[i] == ids[i - 3]);
}
