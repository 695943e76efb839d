#include <exception>
#include <hyperplume/core/threads.hpp>
#include <latch>
#include <mutex>
#include <vector>

namespace hyperplume {
namespace {

// The first exception of a team, kept until every member has joined.
class FirstException {
 public:
  void keep(std::exception_ptr e) {
    const std::lock_guard lock(mutex_);
    if (!first_) first_ = std::move(e);
  }
  void rethrow_if_any() const {
    if (first_) std::rethrow_exception(first_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr first_;
};

void join_all(std::vector<std::thread>& pool) {
  for (auto& th : pool) th.join();
}

}  // namespace

void run_team(int members, const std::function<void(int member)>& member) {
  if (members <= 1) {
    member(0);
    return;
  }
  FirstException first;
  const auto run_member = [&](int t) {
    try {
      member(t);
    } catch (...) {
      first.keep(std::current_exception());
    }
  };
  // The gate opens once every thread exists; `cancelled` tells them to leave instead.
  std::latch gate(1);
  std::atomic<bool> cancelled{false};
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(members - 1));
  try {
    for (int t = 1; t < members; ++t)
      pool.emplace_back([&, t] {
        gate.wait();
        if (!cancelled.load()) run_member(t);
      });
  } catch (...) {  // a thread could not be created: nobody runs
    cancelled.store(true);
    gate.count_down();
    join_all(pool);
    throw;
  }
  gate.count_down();
  run_member(0);
  join_all(pool);
  first.rethrow_if_any();
}

}  // namespace hyperplume
