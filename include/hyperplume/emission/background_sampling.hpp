#pragma once
// The random error of an emission estimate: the plume's footprint moved to random places of
// the scene where it meets no plume, and the background's "IME" there measured. Every shift
// is a pure function of the RNG key and the attempt number, so the result does not depend
// on which rank or in which order plumes are processed.
#include <array>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/rng.hpp>
#include <vector>

namespace hyperplume::emission {

struct BackgroundOptions {
  int samples = 100;       // accepted footprints wanted
  int attempts = 1000;     // shifts tried at most
  double min_valid = 0.9;  // fraction of the footprint valid in the background (strictly more)
  // Scale each sample's sum by footprint size / valid pixels, so missing pixels do not bias
  // it low (HyperGas sums only the valid ones).
  bool rescale_missing = true;
};

struct BackgroundSamples {
  std::vector<double> ime;  // kg per accepted footprint
  // Background column mass at the shifted footprint, pixel by pixel in the footprint's order.
  std::vector<std::vector<double>> values;
  int attempts = 0;
};

// background: kg m-2 over the whole grid (NaN = unusable); footprint: the plume pixels
// (row, col); blocked: pixels a shifted footprint must not touch (the plume itself and, in the
// default profile, the scene's other plumes). Shifts are uniform over
// [-(R - r), R - r) x [-(C - c), C - c) for the footprint's bounding box r x c, as HyperGas.
BackgroundSamples sample_background(const Raster<double>& background,
                                    const std::vector<std::array<int, 2>>& footprint,
                                    const Raster<std::uint8_t>& blocked, double pixel_area,
                                    const CounterRng& rng, const BackgroundOptions& options);

}  // namespace hyperplume::emission
