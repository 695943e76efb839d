#include <atomic>
#include <cstdio>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <mutex>

namespace hyperplume::log {
namespace {
std::atomic<Level> g_level{Level::info};
std::atomic<int> g_rank{0};
std::atomic<int> g_size{1};
std::mutex g_mutex;

const char* name(Level l) {
  switch (l) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warning";
    case Level::error:
      return "error";
    default:
      return "";
  }
}
}  // namespace

void set_level(Level level) { g_level = level; }
Level level() { return g_level; }

Level parse_level(std::string_view n) {
  if (n == "debug") return Level::debug;
  if (n == "info") return Level::info;
  if (n == "warn" || n == "warning") return Level::warn;
  if (n == "error") return Level::error;
  if (n == "off" || n == "quiet") return Level::off;
  throw InputError("log-level: unknown level '" + std::string(n) +
                   "' (expected debug, info, warn, error or off)");
}

void set_rank(int rank, int size) {
  g_rank = rank;
  g_size = size;
}

void write(Level lvl, std::string_view message) {
  if (lvl < g_level) return;
  std::lock_guard lock(g_mutex);
  if (g_size > 1) std::fprintf(stderr, "[rank %d] ", g_rank.load());
  std::fprintf(stderr, "%s: %.*s\n", name(lvl), static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

}  // namespace hyperplume::log
