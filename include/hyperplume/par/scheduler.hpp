#pragma once
// Dynamic scheduling of independent work items over a communicator. Rank 0 hands items
// out in the given order (callers sort largest first) to whichever worker asks next. A
// worker asks for its next item when it starts one, so the answer is waiting when it is
// done; once no more items are left than workers, rank 0 defers those early requests
// ("ask when idle"), so the last items go to whichever rank is free first. With one rank
// the same code runs serially. Results come back to rank 0 indexed by item, so what is
// written afterwards never depends on which rank did what.
#include <functional>
#include <hyperplume/par/comm.hpp>
#include <string>
#include <vector>

namespace hyperplume::par {

// What scheduling itself cost on rank 0: time spent handling the messages of each item
// handed out (its request and its result, event callbacks included).
struct SchedulerStats {
  std::size_t scenes = 0;  // handed out to other ranks
  double busy_seconds = 0;
  double per_scene_ms() const {
    return scenes ? 1e3 * busy_seconds / static_cast<double>(scenes) : 0.0;
  }
};

struct SchedulerEvents {
  // Rank 0, when `rank` starts an item (journal: "started"); an item handed out ahead
  // counts from the moment its rank reports starting it.
  std::function<void(std::size_t item, int rank)> on_start;
  // Rank 0, when an item's result arrives (journal: "done"/"failed", progress).
  std::function<void(std::size_t item, const std::string& result)> on_result;
  // Rank 0, polled between messages: true once the campaign must stop (a stop signal, or a
  // record that cannot be written). From then on no item is handed out; items already
  // running end as their work decides, and their results still arrive.
  std::function<bool()> should_stop;
  // Rank 0, once, when should_stop first returns true.
  std::function<void()> on_stop;
};

// work(item) runs on the worker that got the item and returns its result as text (it must
// not throw: per-item failures are part of the result). Returns, on rank 0, every item's
// result; on other ranks an empty vector. Events are called one at a time, on rank 0.
// Rank 0 also works (its scheduler then runs in a second thread, the only one calling
// MPI) unless `root_works` is false or MPI lacks MPI_THREAD_SERIALIZED support.
//
// Scene groups: with `group` (the communicator of ranks world_rank / K), only group
// leaders (group rank 0) ask rank 0 for work; each leader broadcasts its item to the group
// and every member calls work(item) together (collectives inside work are allowed). The
// leader's result counts. Rank 0 works beside its scheduler thread only when MPI allows
// both threads to call it: MPI_THREAD_MULTIPLE when `work_uses_mpi` (a group's collectives,
// or MPI-IO on MPI_COMM_SELF as PnetCDF does), MPI_THREAD_SERIALIZED otherwise.
std::vector<std::string> schedule(const Comm& comm, std::size_t items,
                                  const std::function<std::string(std::size_t)>& work,
                                  const SchedulerEvents& events = {}, bool root_works = true,
                                  SchedulerStats* stats = nullptr, const Comm* group = nullptr,
                                  bool work_uses_mpi = false);

// Discrete-event model of the same scheduler, to see how it scales before running it:
// `costs` are the items' processing times (seconds) in hand-out order, `ranks` the workers
// (rank 0 included unless scheduler_only), `overhead` rank 0's time per item (seconds,
// split evenly between the request and the result message). `ask_ahead` false models a
// worker that asks only when idle (the result riding on the request), for comparison.
struct SimulationResult {
  double makespan = 0;        // seconds until the last item is done
  double efficiency = 0;      // total work / (workers * makespan)
  double scheduler_busy = 0;  // fraction of the makespan rank 0 spends scheduling
  double tail = 0;            // idle worker-time after the queue ran dry / total worker-time
};
SimulationResult simulate_schedule(const std::vector<double>& costs, int ranks, double overhead,
                                   bool scheduler_only, bool ask_ahead = true);

}  // namespace hyperplume::par
