#pragma once
// Per-stage wall-clock timers, recorded in every product, and the stage name attached to
// any error that leaves a stage.
#include <chrono>
#include <hyperplume/core/error.hpp>
#include <string>
#include <utility>
#include <vector>

namespace hyperplume {

class StageTimes {
 public:
  // Repeated stages accumulate, in order of first appearance.
  void add(const std::string& stage, double seconds);
  const std::vector<std::pair<std::string, double>>& entries() const { return entries_; }
  double total() const;
  std::string to_text() const;  // "read=1.234 s; target=0.020 s; ..."

  // Runs f() as stage `name`: times it and names the stage in any Error it throws.
  template <class F>
  auto run(const std::string& name, F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    struct Record {
      StageTimes& times;
      const std::string& name;
      std::chrono::steady_clock::time_point t0;
      ~Record() {
        times.add(name,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      }
    } record{*this, name, t0};
    try {
      return f();
    } catch (Error& e) {
      e.add_stage(name);
      throw;
    }
  }

 private:
  std::vector<std::pair<std::string, double>> entries_;
};

}  // namespace hyperplume
