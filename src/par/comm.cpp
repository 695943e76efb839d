#include <mpi.h>
#include <sched.h>

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

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
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS)
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
  return Comm(MPI_Comm_c2f(MPI_COMM_WORLD), true, false);
}

Comm Comm::self() {
  if (!mpi_initialized()) throw InternalError("MPI is not initialised (no MpiSession)");
  return Comm(MPI_Comm_c2f(MPI_COMM_SELF), true, false);
}

Comm::Comm(Comm&& o) noexcept
    : handle_(o.handle_), valid_(std::exchange(o.valid_, false)), owned_(std::exchange(o.owned_, false)) {}

Comm& Comm::operator=(Comm&& o) noexcept {
  if (this != &o) {
    free();
    handle_ = o.handle_;
    valid_ = std::exchange(o.valid_, false);
    owned_ = std::exchange(o.owned_, false);
  }
  return *this;
}

Comm::~Comm() {
  if (owned_ && mpi_initialized()) free();
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

Comm Comm::split(int color, int key) const {
  MPI_Comm out = MPI_COMM_NULL;
  MPI_Comm_split(native(handle_), color < 0 ? MPI_UNDEFINED : color, key, &out);
  if (out == MPI_COMM_NULL) return Comm(0, false, false);
  return Comm(MPI_Comm_c2f(out), true, true);
}

void Comm::free() {
  if (valid_ && owned_) {
    MPI_Comm c = native(handle_);
    MPI_Comm_free(&c);
  }
  valid_ = owned_ = false;
}

int threads_per_rank(const Comm& comm) {
  cpu_set_t set;
  CPU_ZERO(&set);
  int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
  if (cpus <= 0) cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Ranks of this node that may use the same CPUs share them; ranks bound to their own
  // cores (srun --cpu-bind, --cpus-per-task) each keep theirs.
  MPI_Comm node = MPI_COMM_NULL;
  MPI_Comm_split_type(native(comm.fortran_handle()), MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
  std::vector<unsigned char> mine(CPU_SETSIZE / 8, 0);
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) mine[static_cast<std::size_t>(c / 8)] |= static_cast<unsigned char>(1u << (c % 8));
  int size = 1;
  MPI_Comm_size(node, &size);
  std::vector<unsigned char> all(mine.size() * static_cast<std::size_t>(size));
  MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_UNSIGNED_CHAR, all.data(),
                static_cast<int>(mine.size()), MPI_UNSIGNED_CHAR, node);
  MPI_Comm_free(&node);
  int sharing = 0;
  for (int r = 0; r < size; ++r)
    if (std::equal(mine.begin(), mine.end(), all.begin() + static_cast<std::ptrdiff_t>(mine.size()) * r))
      ++sharing;
  return std::max(1, cpus / std::max(1, sharing));
}

void Comm::broadcast(std::int64_t& value, int root) const {
  MPI_Bcast(&value, 1, MPI_INT64_T, root, native(handle_));
}

void Comm::broadcast(std::string& text, int root) const {
  std::int64_t n = static_cast<std::int64_t>(text.size());
  broadcast(n, root);
  text.resize(static_cast<std::size_t>(n));
  MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, root, native(handle_));
}

void Comm::broadcast(float* data, std::size_t count, int root) const {
  constexpr std::size_t kChunk = std::size_t{1} << 30;  // MPI counts are int
  for (std::size_t at = 0; at < count; at += kChunk)
    MPI_Bcast(data + at, static_cast<int>(std::min(kChunk, count - at)), MPI_FLOAT, root,
              native(handle_));
}

double Comm::max(double value) const {
  double out = value;
  MPI_Allreduce(&value, &out, 1, MPI_DOUBLE, MPI_MAX, native(handle_));
  return out;
}

bool Comm::any(bool value) const {
  int v = value, out = 0;
  MPI_Allreduce(&v, &out, 1, MPI_INT, MPI_LOR, native(handle_));
  return out != 0;
}

namespace {
template <class T>
std::vector<T> gather_all(MPI_Comm comm, const std::vector<T>& mine, MPI_Datatype type) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  const int n = static_cast<int>(mine.size());
  std::vector<int> counts(static_cast<std::size_t>(size)), displs(static_cast<std::size_t>(size));
  MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, comm);
  int total = 0;
  for (int r = 0; r < size; ++r) {
    displs[static_cast<std::size_t>(r)] = total;
    total += counts[static_cast<std::size_t>(r)];
  }
  std::vector<T> out(static_cast<std::size_t>(total));
  MPI_Allgatherv(mine.data(), n, type, out.data(), counts.data(), displs.data(), type, comm);
  return out;
}
}  // namespace

std::vector<float> Comm::all_gather(const std::vector<float>& mine) const {
  return gather_all(native(handle_), mine, MPI_FLOAT);
}
std::vector<std::int32_t> Comm::all_gather(const std::vector<std::int32_t>& mine) const {
  return gather_all(native(handle_), mine, MPI_INT32_T);
}
std::vector<double> Comm::all_gather(const std::vector<double>& mine) const {
  return gather_all(native(handle_), mine, MPI_DOUBLE);
}

std::vector<std::string> Comm::all_gather(const std::string& mine) const {
  const std::vector<char> text =
      gather_all(native(handle_), std::vector<char>(mine.begin(), mine.end()), MPI_CHAR);
  const std::vector<std::int32_t> lengths =
      all_gather(std::vector<std::int32_t>{static_cast<std::int32_t>(mine.size())});
  std::vector<std::string> out;
  std::size_t at = 0;
  for (std::int32_t n : lengths) {
    out.emplace_back(text.begin() + static_cast<std::ptrdiff_t>(at),
                     text.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += static_cast<std::size_t>(n);
  }
  return out;
}

int mpi_thread_level() {
  int provided = MPI_THREAD_SINGLE;
  MPI_Query_thread(&provided);
  return provided;
}


}  // namespace hyperplume::par
