#pragma once
// Counter-based random numbers (Philox4x32-10, Salmon et al. 2011): a draw is a pure
// function of (key, counter), so results never depend on thread or rank count, or on
// the order in which draws are made.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace hyperplume {

class CounterRng {
 public:
  CounterRng(std::uint64_t seed, std::uint64_t stream) : key_{seed, stream} {}
  // Derive an independent stream, e.g. rng.substream(scene_index).
  CounterRng substream(std::uint64_t id) const;

  std::array<std::uint32_t, 4> block(std::uint64_t counter_hi, std::uint64_t counter_lo) const;
  // Uniform on (0, 1), 53-bit resolution.
  double uniform(std::uint64_t counter, std::uint64_t sub = 0) const;
  // Two independent standard normals (Box-Muller) from one block.
  std::pair<double, double> normal_pair(std::uint64_t counter, std::uint64_t sub = 0) const;
  double normal(std::uint64_t counter, std::uint64_t sub = 0) const {
    return normal_pair(counter, sub).first;
  }

 private:
  std::array<std::uint64_t, 2> key_;
};

// Stable 64-bit hash for naming streams ("plume", "noise", ...).
std::uint64_t stream_id(std::string_view name);
// The same hash as 16 hex digits: a key for a text (configuration, settings, provenance).
std::string hex_hash(std::string_view text);

}  // namespace hyperplume
