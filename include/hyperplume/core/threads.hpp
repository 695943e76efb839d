#pragma once
// How many threads a kernel runs on: what was asked, or every core for 0.
#include <algorithm>
#include <thread>

namespace hyperplume {

inline int thread_count(int requested) {
  return requested > 0 ? requested
                       : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace hyperplume
