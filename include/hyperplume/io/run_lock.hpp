#pragma once
// One campaign run per directory: a lock file created exclusively (O_EXCL, which NFS v3+
// and Lustre honour), holding who owns it (host, PID, start time, Slurm job). Its owner
// touches it while it runs; a lock whose process is gone (same host) or which nobody has
// touched for `stale_after` seconds (another host) belonged to a dead job and is taken over.
#include <filesystem>
#include <string>

namespace hyperplume::io {

struct LockHolder {
  std::string host, job;
  long pid = 0;
  std::string started;  // UTC, ISO 8601
  std::string describe() const;
};

class RunLock {
 public:
  // Throws InputError naming the lock file and its holder when another live run holds it.
  RunLock(std::filesystem::path path, double stale_after_seconds);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  // Marks the lock alive (its modification time): call at least every stale_after / 4.
  void touch() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::string content_;
};

// The holder recorded in a lock file (empty fields when unreadable).
LockHolder read_lock_holder(const std::filesystem::path& path);

}  // namespace hyperplume::io
