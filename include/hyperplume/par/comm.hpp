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

class Comm {
 public:
  static Comm world();
  static Comm self();

  int rank() const;
  int size() const;
  bool is_root() const { return rank() == 0; }
  void barrier() const;

  // The communicator as its Fortran handle, so headers stay free of <mpi.h>;
  // par/ and io/ convert it back with MPI_Comm_f2c.
  int fortran_handle() const { return handle_; }

  // Collective: ranks with the same color form a new communicator, ordered by key. The
  // result is freed by the caller with free() (MPI_Comm_free); color < 0 = no communicator.
  Comm split(int color, int key) const;
  void free();

  // Deterministic collectives the scene groups need (no floating-point reductions in
  // an order that could change with the rank count: gathers are exact copies).
  void broadcast(std::int64_t& value, int root) const;
  void broadcast(std::string& text, int root) const;
  double max(double value) const;
  bool any(bool value) const;
  // Every rank contributes `mine`; all receive the concatenation in rank order.
  std::vector<float> all_gather(const std::vector<float>& mine) const;
  std::vector<std::int32_t> all_gather(const std::vector<std::int32_t>& mine) const;
  std::vector<double> all_gather(const std::vector<double>& mine) const;
  std::vector<std::string> all_gather(const std::string& mine) const;

 private:
  explicit Comm(int handle) : handle_(handle) {}
  int handle_;
};

// Rank `rank`'s contiguous share [begin, end) of n items split over `size` ranks.
inline std::pair<int, int> block_range(int n, int rank, int size) {
  return {static_cast<int>(static_cast<long long>(n) * rank / size),
          static_cast<int>(static_cast<long long>(n) * (rank + 1) / size)};
}

// The thread level MPI granted (MPI_THREAD_* as an int).
int mpi_thread_level();

bool mpi_initialized();

}  // namespace hyperplume::par
