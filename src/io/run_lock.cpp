#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/io/run_lock.hpp>
#include <sstream>

namespace hyperplume::io {
namespace fs = std::filesystem;

namespace {
std::string host_name() {
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string lock_text() {
  const char* job = std::getenv("SLURM_JOB_ID");
  std::ostringstream os;
  os << "host=" << host_name() << "\npid=" << ::getpid() << "\nstarted=" << utc_now()
     << "\njob=" << (job ? job : "") << "\n";
  return os.str();
}

// A process of this host that can still hold a lock: it exists, is not a zombie waiting to
// be reaped, and (where /proc tells) is a hyperplume, not an unrelated reuse of its PID.
bool holder_process_alive(long pid) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return true;  // no /proc: trust kill()
  const auto open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 2 >= text.size()) return true;
  const std::string comm = text.substr(open + 1, close - open - 1);
  const char state = text[close + 2];
  return state != 'Z' && state != 'X' && comm.rfind("hyperplume", 0) == 0;
}

// Why the holder of an existing lock is gone ("" while it may still run).
std::string why_stale(const fs::path& path, const LockHolder& h, double stale_after) {
  if (h.host.empty() || h.pid <= 0) return "its content is unreadable";
  if (h.host == host_name()) {
    if (!holder_process_alive(h.pid))
      return "its process " + std::to_string(h.pid) + " on this host is gone";
    return "";
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "it vanished";
  const double idle = std::difftime(std::time(nullptr), st.st_mtime);
  if (idle > stale_after)
    return "it was last touched " + std::to_string(static_cast<long>(idle)) + " s ago";
  return "";
}

bool create_exclusively(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw InputError(std::string("cannot create the run lock: ") + std::strerror(errno),
                     ErrorContext{path.string(), {}, {}});
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw InputError(std::string("cannot write the run lock: ") + std::strerror(saved),
                     ErrorContext{path.string(), {}, {}});
  }
  return true;
}
}  // namespace

std::string LockHolder::describe() const {
  return "host " + host + ", PID " + std::to_string(pid) + ", started " + started +
         (job.empty() ? "" : ", Slurm job " + job);
}

LockHolder read_lock_holder(const fs::path& path) {
  LockHolder h;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string k = line.substr(0, eq), v = line.substr(eq + 1);
    if (k == "host") h.host = v;
    if (k == "pid") h.pid = std::strtol(v.c_str(), nullptr, 10);
    if (k == "started") h.started = v;
    if (k == "job") h.job = v;
  }
  return h;
}

RunLock::RunLock(fs::path path, double stale_after) : path_(std::move(path)), content_(lock_text()) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (create_exclusively(path_, content_)) return;
    const LockHolder holder = read_lock_holder(path_);
    const std::string stale = why_stale(path_, holder, stale_after);
    if (stale.empty())
      throw InputError("another run is using this campaign (" + holder.describe() +
                           "); wait for it to end, or remove the lock file if that job is dead",
                       ErrorContext{path_.string(), {}, {}});
    log::warn("run: taking over the lock of a dead run (", holder.describe(), "): ", stale);
    std::error_code ec;
    fs::remove(path_, ec);  // two runs taking over at once: O_EXCL lets only one win
  }
  throw InputError("cannot take the run lock (another run keeps taking it)",
                   ErrorContext{path_.string(), {}, {}});
}

RunLock::~RunLock() {
  // Only our own lock: a run that lost it (removed by hand) must not delete another's.
  std::ifstream in(path_);
  const std::string now((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (now == content_) ::unlink(path_.c_str());
}

void RunLock::touch() const { ::utimensat(AT_FDCWD, path_.c_str(), nullptr, 0); }

}  // namespace hyperplume::io
