#pragma once
// Dynamic scheduling of independent work items over a communicator. Rank 0 hands items
// out in the given order (callers sort largest first) to whichever worker asks next; a
// worker reports the previous item's result with each request. With one rank the same
// code runs serially. Results come back to rank 0 indexed by item, so what is written
// afterwards never depends on which rank did what.
#include <functional>
#include <string>
#include <vector>

#include <hyperplume/par/comm.hpp>

namespace hyperplume::par {

struct SchedulerEvents {
  // Rank 0, when an item is handed to `rank` (journal: "started").
  std::function<void(std::size_t item, int rank)> on_start;
  // Rank 0, when an item's result arrives (journal: "done"/"failed", progress).
  std::function<void(std::size_t item, const std::string& result)> on_result;
};

// work(item) runs on the worker that got the item and returns its result as text (it must
// not throw: per-item failures are part of the result). Returns, on rank 0, every item's
// result; on other ranks an empty vector. Events are called one at a time, on rank 0.
// Rank 0 also works (its scheduler then runs in a second thread, the only one calling
// MPI) unless `root_works` is false or MPI lacks MPI_THREAD_SERIALIZED support.
std::vector<std::string> schedule(const Comm& comm, std::size_t items, const std::function<std::string(std::size_t)>& work,
                                  const SchedulerEvents& events = {}, bool root_works = true);

}  // namespace hyperplume::par
