#include <time.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <hyperplume/core/stop_signal.hpp>

namespace hyperplume {
namespace {
// Lock-free atomics and clock_gettime are async-signal-safe.
std::atomic<int> g_signal{0};
std::atomic<long long> g_stop_ns{0};

long long now_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

extern "C" void on_stop_signal(int sig) {
  int none = 0;
  if (g_signal.compare_exchange_strong(none, sig)) g_stop_ns.store(now_ns());
}
}  // namespace

void install_stop_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // system calls in flight go on; the flag is polled
  for (int sig : {SIGTERM, SIGINT, SIGUSR1}) sigaction(sig, &sa, nullptr);
}

void restore_default_stop_signals() {
  for (int sig : {SIGTERM, SIGINT, SIGUSR1}) std::signal(sig, SIG_DFL);
  if (const int sig = g_signal.load()) std::raise(sig);
}

int stop_signal() { return g_signal.load(); }

bool stop_requested() { return stop_signal() != 0; }

double seconds_since_stop() {
  if (!stop_requested()) return 0.0;
  return static_cast<double>(now_ns() - g_stop_ns.load()) * 1e-9;
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGUSR1: return "SIGUSR1";
    default: {
      static thread_local char buf[24];
      std::snprintf(buf, sizeof buf, "signal %d", sig);
      return buf;
    }
  }
}

void request_stop(int sig) { on_stop_signal(sig); }

void clear_stop_request() {
  g_signal.store(0);
  g_stop_ns.store(0);
}

}  // namespace hyperplume
