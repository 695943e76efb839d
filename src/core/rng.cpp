#include <cmath>
#include <cstdio>
#include <hyperplume/core/rng.hpp>
#include <numbers>

namespace hyperplume {
namespace {
constexpr std::uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;

inline void mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi, std::uint32_t& lo) {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(p >> 32);
  lo = static_cast<std::uint32_t>(p);
}

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
}  // namespace

CounterRng CounterRng::substream(std::uint64_t id) const {
  return CounterRng(splitmix(key_[0] ^ splitmix(id)),
                    splitmix(key_[1] + 0x632BE59BD9B4E019ull * (id + 1)));
}

std::array<std::uint32_t, 4> CounterRng::block(std::uint64_t hi64, std::uint64_t lo64) const {
  std::array<std::uint32_t, 4> c{
      static_cast<std::uint32_t>(lo64), static_cast<std::uint32_t>(lo64 >> 32),
      static_cast<std::uint32_t>(hi64), static_cast<std::uint32_t>(hi64 >> 32)};
  // The 128-bit key is folded to Philox's 64-bit key; the fold is a bijection on each half.
  const std::uint64_t k64 = key_[0] ^ splitmix(key_[1]);
  std::uint32_t k0 = static_cast<std::uint32_t>(k64), k1 = static_cast<std::uint32_t>(k64 >> 32);
  for (int round = 0; round < 10; ++round) {
    std::uint32_t hi0, lo0, hi1, lo1;
    mulhilo(kMul0, c[0], hi0, lo0);
    mulhilo(kMul1, c[2], hi1, lo1);
    c = {hi1 ^ c[1] ^ k0, lo1, hi0 ^ c[3] ^ k1, lo0};
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  return c;
}

double CounterRng::uniform(std::uint64_t counter, std::uint64_t sub) const {
  const auto b = block(sub, counter);
  const std::uint64_t bits = (static_cast<std::uint64_t>(b[0]) << 21) ^ (b[1] >> 11);
  return (static_cast<double>(bits & ((1ull << 53) - 1)) + 0.5) * 0x1.0p-53;
}

std::pair<double, double> CounterRng::normal_pair(std::uint64_t counter, std::uint64_t sub) const {
  const auto b = block(sub, counter);
  const std::uint64_t b0 = (static_cast<std::uint64_t>(b[0]) << 32) | b[1];
  const std::uint64_t b1 = (static_cast<std::uint64_t>(b[2]) << 32) | b[3];
  const double u1 = (static_cast<double>(b0 >> 11) + 0.5) * 0x1.0p-53;
  const double u2 = (static_cast<double>(b1 >> 11) + 0.5) * 0x1.0p-53;
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double a = 2.0 * std::numbers::pi * u2;
  return {r * std::cos(a), r * std::sin(a)};
}

std::string hex_hash(std::string_view text) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(stream_id(text)));
  return buf;
}

std::uint64_t stream_id(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : name) {
    h ^= ch;
    h *= 0x100000001b3ull;
  }
  return h;
}

}  // namespace hyperplume
