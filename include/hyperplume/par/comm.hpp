#pragma once
// The only module that includes <mpi.h> (in its .cpp files). Library code takes a Comm,
// never MPI_COMM_WORLD, so the same code runs serially and under mpirun.
#include <string>

namespace hyperplume::par {

// Initialises MPI (thread level SERIALIZED: rank 0 schedules from a second thread while it
// works) for the process lifetime, and sets the log prefix.
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

 private:
  explicit Comm(int handle) : handle_(handle) {}
  int handle_;
};

bool mpi_initialized();

}  // namespace hyperplume::par
