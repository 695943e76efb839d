#include <algorithm>
#include <cmath>
#include <hyperplume/image/trimmed_stats.hpp>
#include <limits>

namespace hyperplume::image {

double robust_std(std::vector<double> v) {
  if (v.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  auto median = [](std::vector<double>& x) {
    const auto mid = x.begin() + static_cast<std::ptrdiff_t>(x.size() / 2);
    std::nth_element(x.begin(), mid, x.end());
    return *mid;
  };
  const double med = median(v);
  for (double& x : v) x = std::abs(x - med);
  return 1.4826 * median(v);
}

TrimmedStats trimmed_stats(std::vector<double> v, double fraction) {
  const std::size_t n = v.size();
  const auto cut = static_cast<std::size_t>(fraction * static_cast<double>(n));
  TrimmedStats s;
  if (n <= 2 * cut) return s;
  // Two selections instead of a sort: afterwards v[cut, n - cut) holds exactly the values
  // the sorted array has there (in another order).
  if (cut > 0) {
    std::nth_element(v.begin(), v.begin() + static_cast<long>(cut), v.end());
    std::nth_element(v.begin() + static_cast<long>(cut), v.begin() + static_cast<long>(n - cut - 1),
                     v.end());
  }
  s.n = n - 2 * cut;
  double sum = 0;
  for (std::size_t i = cut; i < n - cut; ++i) sum += v[i];
  s.mean = sum / static_cast<double>(s.n);
  double ss = 0;
  for (std::size_t i = cut; i < n - cut; ++i) ss += (v[i] - s.mean) * (v[i] - s.mean);
  s.std = std::sqrt(ss / static_cast<double>(s.n));
  return s;
}

}  // namespace hyperplume::image
