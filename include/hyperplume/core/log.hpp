#pragma once
// Levelled logging to stderr, prefixed with the MPI rank when more than one rank runs.
// The prefix is set by the par layer once MPI is up; core never includes <mpi.h>.
#include <sstream>
#include <string>
#include <string_view>

namespace hyperplume::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

void set_level(Level level);
Level level();
// Throws InputError for an unknown name.
Level parse_level(std::string_view name);
void set_rank(int rank, int size);
void write(Level level, std::string_view message);

template <class... Args>
void emit(Level lvl, const Args&... args) {
  if (lvl < level()) return;
  std::ostringstream os;
  (os << ... << args);
  write(lvl, os.str());
}
template <class... Args>
void debug(const Args&... a) {
  emit(Level::debug, a...);
}
template <class... Args>
void info(const Args&... a) {
  emit(Level::info, a...);
}
template <class... Args>
void warn(const Args&... a) {
  emit(Level::warn, a...);
}
template <class... Args>
void error(const Args&... a) {
  emit(Level::error, a...);
}

}  // namespace hyperplume::log
