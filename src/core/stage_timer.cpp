#include <cstdio>
#include <hyperplume/core/stage_timer.hpp>

namespace hyperplume {

void StageTimes::add(const std::string& stage, double seconds) {
  for (auto& [n, s] : entries_)
    if (n == stage) {
      s += seconds;
      return;
    }
  entries_.emplace_back(stage, seconds);
}

double StageTimes::total() const {
  double t = 0;
  for (const auto& [n, s] : entries_) t += s;
  return t;
}

std::string StageTimes::to_text() const {
  std::string out;
  char buf[96];
  for (const auto& [n, s] : entries_) {
    std::snprintf(buf, sizeof buf, "%s%s=%.3f s", out.empty() ? "" : "; ", n.c_str(), s);
    out += buf;
  }
  return out;
}

}  // namespace hyperplume
