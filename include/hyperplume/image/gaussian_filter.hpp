#pragma once
// Gaussian smoothing of a 2-D raster as scipy.ndimage.gaussian_filter(input, sigma) does it
// with its defaults (what tobac's feature detection calls): a separable correlation with the
// normalised kernel exp(−x²/2σ²) on x = −r…r, r = int(truncate·σ + 0.5), along axis 0 (down
// the columns) and then axis 1 (along the rows), boundary mode 'reflect'
// (d c b a | a b c d | d c b a, repeated for lines shorter than r). As scipy does for float32
// input, each pass sums in double and stores float, so the intermediate image is float.
// NaN is not special: it spreads to every output pixel whose (2r+1)² window holds one.
// Pure kernel: raster in, raster out.
#include <hyperplume/core/raster.hpp>
#include <vector>

namespace hyperplume::image {

// The kernel weights w[−r…r] stored from index 0, summing to 1 (scipy's _gaussian_kernel1d).
std::vector<double> gaussian_kernel(double sigma, double truncate = 4.0);

// sigma ≤ 1e-15 leaves the image unchanged, as scipy skips such axes.
Raster<float> gaussian_filter(const Raster<float>& image, double sigma, double truncate = 4.0);

}  // namespace hyperplume::image
