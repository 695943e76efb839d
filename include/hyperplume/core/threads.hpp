#pragma once
// Threads for the kernels: how many, and one way to run work on them.
//
// A worker that throws must not take the process down (a std::thread whose function throws
// calls std::terminate), and a scene that fails in a kernel is an ordinary per-scene error.
// So every thread's function runs inside a catch-all; the first exception is kept and
// rethrown in the caller once every thread has joined.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

namespace hyperplume {

// What was asked, or every core for 0 (or less).
inline int thread_count(int requested) {
  return requested > 0 ? requested
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Runs member(t) for every t in [0, members) at the same time, member 0 on the calling
// thread, and returns when all have finished. The first exception a member throws is
// rethrown here after the join. Either every member runs or none does: the threads wait at
// a start gate until all of them exist, and if one cannot be created the others leave
// without running and the creation error is rethrown — so members may wait for each other
// (barriers). Members that do wait for each other must not throw once they have started
// waiting, or the others wait forever; allocate their scratch before the team starts.
void run_team(int members, const std::function<void(int member)>& member);

// Calls body(i) for every i in [0, n) on min(threads, n) threads (at least one). The split
// is fixed: worker t of T takes i = t, t + T, t + 2T, … — the assignment never depends on
// timing, so per-worker state gives the same results on every run. With one worker the
// calls run in order on the calling thread. When a call throws, the workers stop taking new
// indices and the first exception is rethrown here after every worker has joined.
template <class Body>
void parallel_for(std::int64_t n, int threads, Body&& body) {
  if (n <= 0) return;
  const auto workers = static_cast<int>(std::clamp<std::int64_t>(threads, 1, n));
  if (workers == 1) {
    for (std::int64_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::atomic<bool> failed{false};
  run_team(workers, [&](int t) {
    try {
      for (std::int64_t i = t; i < n && !failed.load(std::memory_order_relaxed); i += workers)
        body(i);
    } catch (...) {
      failed.store(true, std::memory_order_relaxed);
      throw;
    }
  });
}

}  // namespace hyperplume
