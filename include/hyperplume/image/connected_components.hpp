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
// Binary dilation by the (2 radius + 1)^2 square (Chebyshev distance <= radius): scipy's
// binary_dilation with the 3 x 3 square repeated `radius` times.
Raster<std::uint8_t> dilate_square(const Raster<std::uint8_t>& mask, Eigen::Index radius);

}  // namespace hyperplume::image
