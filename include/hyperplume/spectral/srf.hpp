#pragma once
// Convolution of a high-resolution spectrum with Gaussian spectral response functions.
// Weights include each sample's trapezoid width, so non-uniform grids (the CH4 LUT's
// spacing varies 0.02-0.06 nm) are integrated, not merely summed.
#include <cstddef>
#include <span>
#include <vector>

namespace hyperplume::spectral {

class SrfConvolver {
 public:
  struct Kernel {
    std::size_t first = 0;        // index of the first high-res sample used
    std::vector<double> weights;  // normalised to sum 1; empty if the band is off the grid
  };

  // truncate_sigmas: support of each Gaussian in standard deviations; at 6 sigma the
  // weights left out are below 2e-8 of the peak, i.e. effectively no truncation.
  SrfConvolver(std::span<const double> hr_wavelengths, std::span<const double> centres,
               std::span<const double> fwhm, double truncate_sigmas = 6.0);

  std::size_t bands() const { return kernels_.size(); }
  std::size_t samples() const { return samples_; }
  const Kernel& kernel(std::size_t band) const { return kernels_[band]; }
  // True if the band's whole support lies on the grid.
  bool covered(std::size_t band) const { return covered_[band]; }

  // One value per band; NaN for a band with no samples.
  std::vector<double> apply(std::span<const double> hr_values) const;
  double apply_band(std::size_t band, std::span<const double> hr_values) const;

 private:
  std::size_t samples_ = 0;
  std::vector<Kernel> kernels_;
  std::vector<bool> covered_;
};

// sigma = FWHM / (2 sqrt(2 ln 2))
double fwhm_to_sigma(double fwhm);

}  // namespace hyperplume::spectral
