#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <hyperplume/core/error.hpp>
#include <hyperplume/par/scheduler.hpp>
#include <mutex>
#include <queue>
#include <thread>
#include <utility>

namespace hyperplume::par {
namespace {
// Leaders ask for their next scene as they start one ("ahead"), so rank 0's answer is
// ready when the scene ends; near the end of the queue rank 0 says "ask again when
// idle" instead, so no scene waits behind a busy rank while another rank runs dry.
constexpr int kTagRequest = 101;  // leader -> 0: kIdle or kAhead
constexpr int kTagAssign = 102;   // 0 -> leader: item, kStop or kAskWhenIdle
constexpr int kTagResult = 103;   // leader -> 0: [item][result text]
constexpr std::int64_t kIdle = 0, kAhead = 1;
constexpr std::int64_t kStop = -1, kAskWhenIdle = -2;
}  // namespace

std::vector<std::string> schedule(const Comm& c, std::size_t items,
                                  const std::function<std::string(std::size_t)>& work,
                                  const SchedulerEvents& events, bool root_works,
                                  SchedulerStats* stats, const Comm* group, bool work_uses_mpi) {
  const MPI_Comm comm = MPI_Comm_f2c(c.fortran_handle());
  const int rank = c.rank(), size = c.size();
  const int gsize = group ? group->size() : 1, grank = group ? group->rank() : 0;
  std::vector<std::string> results;
  bool stopped = false;
  auto stopping = [&] {  // rank 0: whether to hand out no more items
    if (!stopped && events.should_stop && events.should_stop()) {
      stopped = true;
      if (events.on_stop) events.on_stop();
    }
    return stopped;
  };
  if (size == 1) {
    results.resize(items);
    for (std::size_t i = 0; i < items && !stopping(); ++i) {
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
    // Rank 0's own group works only if the scheduler thread may run beside group
    // collectives (or there are no collectives: a group of one).
    const bool can_work =
        root_works && mpi_thread_level() >= (gsize > 1 || work_uses_mpi ? MPI_THREAD_MULTIPLE
                                                                         : MPI_THREAD_SERIALIZED);
    const auto workers = static_cast<std::size_t>(can_work ? leaders : leaders - 1);
    std::mutex mutex;  // guards `next`, `results` and the events
    std::size_t next = 0;
    // A remote leader starts the item it was handed when it sends its next request "ahead"
    // (it does so the moment it starts an item): only then is the item "started", so a job
    // that dies never counts an attempt against an item still waiting in a rank's hands.
    std::vector<std::int64_t> held(static_cast<std::size_t>(size), -1);
    auto started = [&](std::int64_t i, int who) {
      if (i >= 0 && events.on_start) events.on_start(static_cast<std::size_t>(i), who);
    };
    auto take = [&](int who, bool ahead) -> std::int64_t {
      std::lock_guard lock(mutex);
      if (who != 0 && ahead) started(std::exchange(held[static_cast<std::size_t>(who)], -1), who);
      if (next >= items || stopping()) return kStop;
      if (ahead && items - next <= workers) return kAskWhenIdle;
      const auto i = static_cast<std::int64_t>(next++);
      if (who == 0)
        started(i, 0);
      else
        held[static_cast<std::size_t>(who)] = i;
      return i;
    };
    auto record = [&](std::size_t i, std::string r) {
      std::lock_guard lock(mutex);
      results[i] = std::move(r);
      if (events.on_result) events.on_result(i, results[i]);
    };
    auto serve = [&] {  // rank 0's only MPI traffic with the other leaders
      int active = leaders - 1;
      std::size_t outstanding = 0;  // scenes handed out whose results have not arrived
      while (active > 0 || outstanding > 0) {
        // Open MPI's blocking probe spins; next to rank 0's own work that would take a
        // whole core. Poll instead, backing off to 1 ms (requests come seconds apart).
        MPI_Status st;
        int flag = 0;
        for (int idle = 0;; ++idle) {
          MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &flag, &st);
          if (flag) break;
          if (idle % 64 == 63) {  // a stop is noticed (and journaled) while all ranks work
            std::lock_guard lock(mutex);
            stopping();
          }
          std::this_thread::sleep_for(
              std::chrono::microseconds(std::min(1000, 20 << std::min(idle, 6))));
        }
        int len = 0;
        MPI_Get_count(&st, MPI_CHAR, &len);
        std::string msg(static_cast<std::size_t>(len), '\0');
        const double t0 = MPI_Wtime();
        MPI_Recv(msg.data(), len, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, comm, MPI_STATUS_IGNORE);
        std::int64_t head = -1;
        std::memcpy(&head, msg.data(), sizeof head);
        if (st.MPI_TAG == kTagResult) {
          record(static_cast<std::size_t>(head), msg.substr(sizeof head));
          --outstanding;
        } else {
          const std::int64_t assign = take(st.MPI_SOURCE, head == kAhead);
          if (assign >= 0) ++outstanding;
          if (assign == kStop) --active;
          MPI_Send(&assign, 1, MPI_INT64_T, st.MPI_SOURCE, kTagAssign, comm);
          if (stats && assign >= 0) ++stats->scenes;
        }
        if (stats) stats->busy_seconds += MPI_Wtime() - t0;
      }
    };
    if (can_work) {
      std::thread scheduler(serve);
      for (;;) {
        std::int64_t i = take(0, false);
        if (group) group->broadcast(i, 0);
        if (i < 0) break;
        record(static_cast<std::size_t>(i), work(static_cast<std::size_t>(i)));
      }
      scheduler.join();
    } else {
      std::int64_t stop = kStop;
      if (group) group->broadcast(stop, 0);  // rank 0's group members rest
      serve();
    }
    return results;
  }
  std::int64_t item = kStop;
  if (grank != 0) {  // a group member: the leader says what to do
    for (;;) {
      group->broadcast(item, 0);
      if (item < 0) break;
      work(static_cast<std::size_t>(item));
    }
    return {};
  }
  auto ask_when_idle = [&] {
    std::int64_t kind = kIdle, answer = kStop;
    MPI_Send(&kind, sizeof kind, MPI_CHAR, 0, kTagRequest, comm);  // all requests are bytes
    MPI_Recv(&answer, 1, MPI_INT64_T, 0, kTagAssign, comm, MPI_STATUS_IGNORE);
    return answer;
  };
  item = ask_when_idle();
  for (;;) {
    if (group) group->broadcast(item, 0);
    if (item < 0) break;
    std::int64_t kind = kAhead, next = kStop;
    MPI_Request ahead[2];
    MPI_Isend(&kind, sizeof kind, MPI_CHAR, 0, kTagRequest, comm, &ahead[0]);
    MPI_Irecv(&next, 1, MPI_INT64_T, 0, kTagAssign, comm, &ahead[1]);
    std::string msg(sizeof item, '\0');
    std::memcpy(msg.data(), &item, sizeof item);
    msg += work(static_cast<std::size_t>(item));
    MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, kTagResult, comm);
    MPI_Waitall(2, ahead, MPI_STATUSES_IGNORE);
    item = next == kAskWhenIdle ? ask_when_idle() : next;
  }
  return {};
}

SimulationResult simulate_schedule(const std::vector<double>& costs, int ranks, double overhead,
                                   bool scheduler_only, bool ask_ahead) {
  const int workers = scheduler_only ? ranks - 1 : ranks;
  if (workers < 1) throw InputError("simulation: no workers");
  // Messages reach rank 0 in time order (ties first come, first served); it handles one at
  // a time. Without asking ahead a request carries the previous result: one message, the
  // whole overhead.
  enum Kind { idle_request, ahead_request, result };
  struct Message {
    double time;
    std::uint64_t seq;
    int worker;
    Kind kind;
    bool operator>(const Message& o) const { return time != o.time ? time > o.time : seq > o.seq; }
  };
  std::priority_queue<Message, std::vector<Message>, std::greater<>> queue;
  std::uint64_t seq = 0;
  auto post = [&](double t, int w, Kind k) { queue.push({t, seq++, w, k}); };
  const double per_message = ask_ahead ? overhead / 2 : overhead;
  std::vector<double> busy_until(static_cast<std::size_t>(workers), 0.0);
  double server_free = 0, server_busy = 0, total = 0;
  std::size_t next = 0;
  auto start_item = [&](int w, double at) {
    const double cost = costs[next++];
    total += cost;
    const auto wi = static_cast<std::size_t>(w);
    busy_until[wi] = at + cost;
    if (ask_ahead) {
      post(at, w, ahead_request);
      post(busy_until[wi], w, result);
    } else {
      post(busy_until[wi], w, idle_request);
    }
  };
  for (int w = 0; w < workers; ++w) post(0.0, w, idle_request);
  while (!queue.empty()) {
    const Message m = queue.top();
    queue.pop();
    const double answered = std::max(server_free, m.time) + per_message;
    server_free = answered;
    server_busy += per_message;
    const auto wi = static_cast<std::size_t>(m.worker);
    if (m.kind == result || next >= costs.size()) continue;
    if (m.kind == ahead_request) {
      if (costs.size() - next <= static_cast<std::size_t>(workers))
        post(busy_until[wi], m.worker, idle_request);  // "ask again when idle"
      else
        start_item(m.worker, std::max(busy_until[wi], answered));
    } else {
      start_item(m.worker, answered);
    }
  }
  const double makespan = *std::max_element(busy_until.begin(), busy_until.end());
  SimulationResult r;
  r.makespan = makespan;
  r.efficiency = total / (static_cast<double>(workers) * makespan);
  r.scheduler_busy = server_busy / makespan;
  double idle_tail = 0;
  for (double t : busy_until) idle_tail += makespan - t;
  r.tail = idle_tail / (static_cast<double>(workers) * makespan);
  return r;
}

}  // namespace hyperplume::par
