#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <hyperplume/core/error.hpp>
#include <hyperplume/par/scheduler.hpp>
#include <mutex>
#include <thread>

namespace hyperplume::par {
namespace {
constexpr int kTagRequest = 101;  // worker -> 0: [item or -1][result text]
constexpr int kTagAssign = 102;   // 0 -> worker: item index, or -1 = stop

void send_request(MPI_Comm comm, std::int64_t item, const std::string& result) {
  std::string msg(sizeof item, '\0');
  std::memcpy(msg.data(), &item, sizeof item);
  msg += result;
  MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, kTagRequest, comm);
}
}  // namespace

std::vector<std::string> schedule(const Comm& c, std::size_t items,
                                  const std::function<std::string(std::size_t)>& work,
                                  const SchedulerEvents& events, bool root_works,
                                  SchedulerStats* stats, const Comm* group) {
  const MPI_Comm comm = MPI_Comm_f2c(c.fortran_handle());
  const int rank = c.rank(), size = c.size();
  const int gsize = group ? group->size() : 1, grank = group ? group->rank() : 0;
  std::vector<std::string> results;
  if (size == 1) {
    results.resize(items);
    for (std::size_t i = 0; i < items; ++i) {
      if (events.on_start) events.on_start(i, 0);
      results[i] = work(i);
      if (events.on_result) events.on_result(i, results[i]);
    }
    return results;
  }
  // Groups are consecutive world ranks; their leaders are the only ones that ask rank 0.
  int leaders = 0;
  {
    int is_leader = grank == 0 ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &is_leader, 1, MPI_INT, MPI_SUM, comm);
    leaders = is_leader;
  }
  if (rank == 0) {
    results.resize(items);
    std::mutex mutex;  // guards `next`, `results` and the events
    std::size_t next = 0;
    auto take = [&](int who) -> std::int64_t {
      std::lock_guard lock(mutex);
      if (next >= items) return -1;
      const std::size_t i = next++;
      if (events.on_start) events.on_start(i, who);
      return static_cast<std::int64_t>(i);
    };
    auto record = [&](std::size_t i, std::string r) {
      std::lock_guard lock(mutex);
      results[i] = std::move(r);
      if (events.on_result) events.on_result(i, results[i]);
    };
    auto serve = [&] {  // rank 0's only MPI traffic with the other leaders
      int active = leaders - 1;
      while (active > 0) {
        // Open MPI's blocking probe spins; next to rank 0's own work that would take a
        // whole core. Poll instead, backing off to 1 ms (requests come seconds apart).
        MPI_Status st;
        int flag = 0;
        for (int idle = 0;; ++idle) {
          MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, comm, &flag, &st);
          if (flag) break;
          std::this_thread::sleep_for(
              std::chrono::microseconds(std::min(1000, 20 << std::min(idle, 6))));
        }
        int len = 0;
        MPI_Get_count(&st, MPI_CHAR, &len);
        std::string msg(static_cast<std::size_t>(len), '\0');
        const double t0 = MPI_Wtime();
        MPI_Recv(msg.data(), len, MPI_CHAR, st.MPI_SOURCE, kTagRequest, comm, MPI_STATUS_IGNORE);
        std::int64_t done = -1;
        std::memcpy(&done, msg.data(), sizeof done);
        if (done >= 0) record(static_cast<std::size_t>(done), msg.substr(sizeof done));
        const std::int64_t assign = take(st.MPI_SOURCE);
        if (assign < 0) --active;
        MPI_Send(&assign, 1, MPI_INT64_T, st.MPI_SOURCE, kTagAssign, comm);
        if (stats) {
          ++stats->requests;
          stats->busy_seconds += MPI_Wtime() - t0;
        }
      }
    };
    // Rank 0's own group works only if the scheduler thread may run beside group
    // collectives (or there are no collectives: a group of one).
    const bool can_work = root_works && mpi_thread_level() >= (gsize > 1 ? MPI_THREAD_MULTIPLE
                                                                         : MPI_THREAD_SERIALIZED);
    if (can_work) {
      std::thread scheduler(serve);
      for (;;) {
        std::int64_t i = take(0);
        if (group) group->broadcast(i, 0);
        if (i < 0) break;
        record(static_cast<std::size_t>(i), work(static_cast<std::size_t>(i)));
      }
      scheduler.join();
    } else {
      std::int64_t stop = -1;
      if (group) group->broadcast(stop, 0);  // rank 0's group members rest
      serve();
    }
    return results;
  }
  std::int64_t item = -1;
  if (grank != 0) {  // a group member: the leader says what to do
    for (;;) {
      group->broadcast(item, 0);
      if (item < 0) break;
      work(static_cast<std::size_t>(item));
    }
    return {};
  }
  std::string result;
  for (;;) {
    send_request(comm, item, result);
    MPI_Recv(&item, 1, MPI_INT64_T, 0, kTagAssign, comm, MPI_STATUS_IGNORE);
    if (group) group->broadcast(item, 0);
    if (item < 0) break;
    result = work(static_cast<std::size_t>(item));
  }
  return {};
}

SimulationResult simulate_schedule(const std::vector<double>& costs, int ranks, double overhead,
                                   bool scheduler_only) {
  // Workers ask when idle; rank 0 answers one request at a time, each taking `overhead`.
  const int workers = scheduler_only ? ranks - 1 : ranks;
  if (workers < 1) throw InputError("simulation: no workers");
  std::vector<double> free_at(static_cast<std::size_t>(workers),
                              0.0);  // when each worker next asks
  double server_free = 0, busy = 0, total = 0, makespan = 0;
  std::size_t next = 0;
  // Requests are served in arrival order: always take the worker that asks first.
  for (;;) {
    const auto w = static_cast<std::size_t>(std::min_element(free_at.begin(), free_at.end()) -
                                            free_at.begin());
    if (next >= costs.size()) break;
    const double start = std::max(server_free, free_at[w]) + overhead;
    server_free = start;
    busy += overhead;
    free_at[w] = start + costs[next];
    total += costs[next];
    ++next;
  }
  for (double t : free_at) makespan = std::max(makespan, t);
  SimulationResult r;
  r.makespan = makespan;
  r.efficiency = total / (static_cast<double>(workers) * makespan);
  r.scheduler_busy = busy / makespan;
  double idle_tail = 0;
  for (double t : free_at) idle_tail += makespan - t;
  r.tail = idle_tail / (static_cast<double>(workers) * makespan);
  return r;
}

}  // namespace hyperplume::par
