#pragma once
// Trimmed statistics as HyperGas takes them (denoising fill, a-priori mask thresholds).
#include <cstddef>
#include <vector>

namespace hyperplume::image {

// scipy.stats.mstats.trimr with limits (0.001, 0.001): drop floor(0.001 n) values at each
// end of the sorted values, then the mean and the std (ddof 0). The values must be finite:
// callers choose which to leave out (NaN only, or every non-finite value).
struct TrimmedStats {
  double mean = 0, std = 0;
  std::size_t n = 0;
};
TrimmedStats trimmed_stats(std::vector<double> values, double fraction = 0.001);

// Robust standard deviation: 1.4826 x the median absolute deviation from the median (NaN for
// fewer than two values). Plumes and outliers hardly move it.
double robust_std(std::vector<double> values);

}  // namespace hyperplume::image
