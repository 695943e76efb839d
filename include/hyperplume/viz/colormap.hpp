#pragma once
// Matplotlib's colormaps as tables of their published values (viridis, plasma: the 256
// listed colours of matplotlib's _cm_listed; hot_r: its 256-entry lookup table; tab20c: its
// 20 listed colours), looked up as matplotlib does: a value v in [vmin, vmax] picks entry
// floor((v - vmin) / (vmax - vmin) * N), clipped to the ends.
#include <hyperplume/viz/image.hpp>
#include <string>
#include <vector>

namespace hyperplume::viz {

class Colormap {
 public:
  static const Colormap& viridis();
  static const Colormap& plasma();
  // hot_r with HyperGas's alpha ramp: alpha 0.2 -> 1 over the first 30 of 256 entries.
  static const Colormap& hot_r_alpha();
  static const Colormap& tab20c();

  Colormap(std::string name, std::vector<Rgba> table) : name_(std::move(name)), table_(std::move(table)) {}
  const std::string& name() const { return name_; }
  std::size_t size() const { return table_.size(); }
  const Rgba& entry(std::size_t k) const { return table_[k]; }
  // The colour of v on [vmin, vmax] (NaN: transparent).
  Rgba map(double v, double vmin, double vmax) const;

 private:
  std::string name_;
  std::vector<Rgba> table_;
};

}  // namespace hyperplume::viz
