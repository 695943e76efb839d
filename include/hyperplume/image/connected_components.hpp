#pragma once
// Connected components of a binary mask (scipy.ndimage.label): labels 1..n in raster scan
// order of each component's first pixel, 0 = background.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <vector>

namespace hyperplume::image {

enum class Connectivity { four, eight };

struct Components {
  Raster<std::int32_t> labels;
  std::vector<std::int64_t> sizes;  // sizes[k] = pixels of label k (sizes[0] = background)
};

Components label_components(const Raster<std::uint8_t>& mask, Connectivity connectivity);

}  // namespace hyperplume::image
