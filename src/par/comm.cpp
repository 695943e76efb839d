#include <mpi.h>

#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/par/comm.hpp>

namespace hyperplume::par {
namespace {
MPI_Comm native(int handle) { return MPI_Comm_f2c(handle); }
}  // namespace

bool mpi_initialized() {
  int flag = 0;
  MPI_Initialized(&flag);
  int finalized = 0;
  MPI_Finalized(&finalized);
  return flag && !finalized;
}

MpiSession::MpiSession(int& argc, char**& argv) {
  if (!mpi_initialized()) {
    int provided = 0;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
      throw InternalError("MPI_Init_thread failed");
    owns_ = true;
  }
  const Comm w = Comm::world();
  log::set_rank(w.rank(), w.size());
}

MpiSession::~MpiSession() {
  if (owns_ && mpi_initialized()) MPI_Finalize();
}

Comm Comm::world() {
  if (!mpi_initialized()) throw InternalError("MPI is not initialised (no MpiSession)");
  return Comm(MPI_Comm_c2f(MPI_COMM_WORLD));
}

Comm Comm::self() {
  if (!mpi_initialized()) throw InternalError("MPI is not initialised (no MpiSession)");
  return Comm(MPI_Comm_c2f(MPI_COMM_SELF));
}

int Comm::rank() const {
  int r = 0;
  MPI_Comm_rank(native(handle_), &r);
  return r;
}

int Comm::size() const {
  int s = 1;
  MPI_Comm_size(native(handle_), &s);
  return s;
}

void Comm::barrier() const { MPI_Barrier(native(handle_)); }

}  // namespace hyperplume::par
