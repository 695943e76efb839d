#pragma once
// The only module that includes <mpi.h> (in its .cpp files). Library code takes a Comm,
// never MPI_COMM_WORLD, so the same code runs serially and under mpirun.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hyperplume::par {

// Initialises MPI for the process lifetime (thread level MULTIPLE where available: rank 0
// schedules from a second thread while it works, and in a scene group its work thread
// also communicates), and sets the log prefix.
class MpiSession {
 public:
  MpiSession(int& argc, char**& argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

 private:
  bool owns_ = false;
};

// A communicator. world() and self() borrow MPI's own; split() returns one this object owns
// and frees (MPI_Comm_free) when it goes, so Comm is move-only. The handle is kept with a
// separate validity flag: MPICH-family MPIs use negative Fortran handles.
class Comm {
 public:
  static Comm world();
  static Comm self();
  Comm(Comm&& other) noexcept;
  Comm& operator=(Comm&& other) noexcept;
  Comm(const Comm&) = delete;
  Comm& operator=(const Comm&) = delete;
  ~Comm();
  bool valid() const { return valid_; }

  int rank() const;
  int size() const;
  bool is_root() const { return rank() == 0; }
  void barrier() const;

  // The communicator as its Fortran handle, so headers stay free of <mpi.h>;
  // par/ and io/ convert it back with MPI_Comm_f2c.
  int fortran_handle() const { return handle_; }

  // Collective: ranks with the same color form a new communicator, ordered by key, owned
  // by the result; color < 0 = no communicator (valid() false).
  Comm split(int color, int key) const;
  // Frees an owned communicator now (collective over it); the destructor does it otherwise.
  void free();

  // Deterministic collectives the scene groups need (no floating-point reductions in
  // an order that could change with the rank count: gathers are exact copies).
  void broadcast(std::int64_t& value, int root) const;
  void broadcast(std::string& text, int root) const;
  void broadcast(float* data, std::size_t count, int root) const;
  double max(double value) const;
  bool any(bool value) const;
  // Every rank contributes `mine`; all receive the concatenation in rank order.
  std::vector<float> all_gather(const std::vector<float>& mine) const;
  std::vector<std::int32_t> all_gather(const std::vector<std::int32_t>& mine) const;
  std::vector<double> all_gather(const std::vector<double>& mine) const;
  std::vector<std::string> all_gather(const std::string& mine) const;

 private:
  Comm(int handle, bool valid, bool owned) : handle_(handle), valid_(valid), owned_(owned) {}
  int handle_ = 0;
  bool valid_ = false;
  bool owned_ = false;
};

// Threads for each rank's kernels: the CPUs this process may run on (sched_getaffinity, what
// Slurm's --cpus-per-task and binding give it) shared among the ranks of `comm` on the same
// node that have the same CPUs (MPI_Comm_split_type shared), at least 1. Collective.
int threads_per_rank(const Comm& comm);

// Rank `rank`'s contiguous share [begin, end) of n items split over `size` ranks.
inline std::pair<int, int> block_range(int n, int rank, int size) {
  return {static_cast<int>(static_cast<long long>(n) * rank / size),
          static_cast<int>(static_cast<long long>(n) * (rank + 1) / size)};
}

// The thread level MPI granted (MPI_THREAD_* as an int).
int mpi_thread_level();

bool mpi_initialized();

}  // namespace hyperplume::par
