#pragma once
// Marker-controlled watershed as skimage.segmentation.watershed(image, markers, mask=mask)
// computes it with connectivity 1, no compactness and no watershed line (what tobac's
// segmentation calls, on −field so that the highest values flood first):
//  * markers outside the mask are dropped; the others are seeded in raster order;
//  * a priority flood: a min-heap of (level, age); popping a pixel labels each unlabelled
//    4-neighbour in the mask (up, left, right, down: skimage's offset order) with its label
//    and pushes it with level max(neighbour value, popped level), age = a counter, so that
//    equal levels leave the heap in the order they entered (the plateau rule of Soille);
//  * pixels outside the mask, and mask pixels no marker can reach, stay 0.
// The level carried over a pass is skimage's behaviour since 0.19. skimage seeds all markers
// at one (−∞, age 0), leaving their mutual order to its heap; here they leave in raster order.
// `image` must be finite on the mask. Pure kernel: rasters in, raster out.
#include <cstdint>
#include <hyperplume/core/raster.hpp>

namespace hyperplume::image {

Raster<std::int32_t> watershed(const Raster<float>& image, const Raster<std::int32_t>& markers,
                               const Raster<std::uint8_t>& mask);

}  // namespace hyperplume::image
