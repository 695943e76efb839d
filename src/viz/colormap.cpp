#include <cmath>
#include <hyperplume/viz/colormap.hpp>

namespace hyperplume::viz {

// matplotlib's Colormap.__call__ after Normalize: x * N truncated, x == 1 to the last entry,
// under and over to the end entries (no set_under/set_over in HyperGas), NaN transparent.
// vmin == vmax normalises everything to 0, as matplotlib does.
Rgba Colormap::map(double v, double vmin, double vmax) const {
  if (!std::isfinite(v)) return {};
  const double n = static_cast<double>(table_.size());
  const double x = vmax > vmin ? (v - vmin) / (vmax - vmin) : 0.0;
  const double k = std::floor(x * n);
  if (!(k > 0)) return table_.front();
  if (k >= n) return table_.back();
  return table_[static_cast<std::size_t>(k)];
}

}  // namespace hyperplume::viz
