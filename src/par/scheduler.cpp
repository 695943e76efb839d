#include <hyperplume/par/scheduler.hpp>

#include <mpi.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>

#include <hyperplume/core/error.hpp>

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

std::vector<std::string> schedule(const Comm& c, std::size_t items, const std::function<std::string(std::size_t)>& work,
                                  const SchedulerEvents& events, bool root_works) {
  const MPI_Comm comm = MPI_Comm_f2c(c.fortran_handle());
  const int rank = c.rank(), size = c.size();
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
    auto serve = [&] {  // the only code on rank 0 that calls MPI while work runs
      int active = size - 1;
      while (active > 0) {
        MPI_Status st;
        MPI_Probe(MPI_ANY_SOURCE, kTagRequest, comm, &st);
        int len = 0;
        MPI_Get_count(&st, MPI_CHAR, &len);
        std::string msg(static_cast<std::size_t>(len), '\0');
        MPI_Recv(msg.data(), len, MPI_CHAR, st.MPI_SOURCE, kTagRequest, comm, MPI_STATUS_IGNORE);
        std::int64_t done = -1;
        std::memcpy(&done, msg.data(), sizeof done);
        if (done >= 0) record(static_cast<std::size_t>(done), msg.substr(sizeof done));
        const std::int64_t assign = take(st.MPI_SOURCE);
        if (assign < 0) --active;
        MPI_Send(&assign, 1, MPI_INT64_T, st.MPI_SOURCE, kTagAssign, comm);
      }
    };
    int provided = 0;
    MPI_Query_thread(&provided);
    if (root_works && provided >= MPI_THREAD_SERIALIZED) {
      std::thread scheduler(serve);
      for (std::int64_t i = take(0); i >= 0; i = take(0)) record(static_cast<std::size_t>(i), work(static_cast<std::size_t>(i)));
      scheduler.join();
    } else {
      serve();
    }
    return results;
  }
  std::int64_t item = -1;
  std::string result;
  for (;;) {
    send_request(comm, item, result);
    MPI_Recv(&item, 1, MPI_INT64_T, 0, kTagAssign, comm, MPI_STATUS_IGNORE);
    if (item < 0) break;
    result = work(static_cast<std::size_t>(item));
  }
  return {};
}

}  // namespace hyperplume::par
