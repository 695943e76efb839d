#include <algorithm>
#include <cmath>
#include <hyperplume/emission/background_sampling.hpp>

namespace hyperplume::emission {

BackgroundSamples sample_background(const Raster<double>& background,
                                    const std::vector<std::array<int, 2>>& footprint,
                                    const Raster<std::uint8_t>& blocked, double pixel_area,
                                    const CounterRng& rng, const BackgroundOptions& options) {
  BackgroundSamples out;
  if (footprint.empty()) return out;
  const int R = static_cast<int>(background.rows()), C = static_cast<int>(background.cols());
  int r0 = R, r1 = -1, c0 = C, c1 = -1;
  for (const auto& [r, c] : footprint) {
    r0 = std::min(r0, r);
    r1 = std::max(r1, r);
    c0 = std::min(c0, c);
    c1 = std::max(c1, c);
  }
  const int span_r = R - (r1 - r0 + 1), span_c = C - (c1 - c0 + 1);
  if (span_r <= 0 || span_c <= 0) return out;  // the plume spans the grid: nowhere to move it
  auto draw = [&](std::uint64_t attempt, std::uint64_t axis, int span) {
    // Uniform integer in [-span, span).
    const double u = rng.uniform(attempt, axis);
    return std::min(static_cast<int>(std::floor(u * 2.0 * span)), 2 * span - 1) - span;
  };
  const auto n = footprint.size();
  std::vector<double> values(n);
  for (int a = 0; a < options.attempts && static_cast<int>(out.ime.size()) < options.samples; ++a) {
    ++out.attempts;
    const int dy = draw(static_cast<std::uint64_t>(a), 0, span_r);
    const int dx = draw(static_cast<std::uint64_t>(a), 1, span_c);
    if (r0 + dy < 0 || r1 + dy >= R || c0 + dx < 0 || c1 + dx >= C) continue;  // fell off
    bool clear = true;
    std::size_t valid = 0;
    double sum = 0;
    for (std::size_t k = 0; k < n && clear; ++k) {
      const int r = footprint[k][0] + dy, c = footprint[k][1] + dx;
      if (blocked(r, c)) clear = false;
      const double v = background(r, c);
      values[k] = v;
      if (std::isfinite(v)) {
        sum += v;
        ++valid;
      }
    }
    if (!clear || !(static_cast<double>(valid) > options.min_valid * static_cast<double>(n)))
      continue;
    if (options.rescale_missing) sum *= static_cast<double>(n) / static_cast<double>(valid);
    out.ime.push_back(sum * pixel_area);
    out.values.push_back(values);
  }
  return out;
}

}  // namespace hyperplume::emission
