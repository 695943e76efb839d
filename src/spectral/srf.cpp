#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/spectral/srf.hpp>
#include <limits>

namespace hyperplume::spectral {

double fwhm_to_sigma(double fwhm) { return fwhm / (2.0 * std::sqrt(2.0 * std::log(2.0))); }

SrfConvolver::SrfConvolver(std::span<const double> wl, std::span<const double> centres,
                           std::span<const double> fwhm, double truncate_sigmas)
    : samples_(wl.size()) {
  if (centres.size() != fwhm.size()) throw InternalError("SRF: centres and fwhm differ in length");
  if (wl.size() < 2) throw InternalError("SRF: high-resolution grid needs at least 2 samples");
  for (std::size_t k = 1; k < wl.size(); ++k)
    if (!(wl[k] > wl[k - 1])) throw InternalError("SRF: high-resolution grid is not increasing");
  kernels_.resize(centres.size());
  covered_.resize(centres.size());
  for (std::size_t b = 0; b < centres.size(); ++b) {
    const double sigma = fwhm_to_sigma(fwhm[b]);
    const double lo = centres[b] - truncate_sigmas * sigma,
                 hi = centres[b] + truncate_sigmas * sigma;
    covered_[b] = lo >= wl.front() && hi <= wl.back();
    const auto first =
        static_cast<std::size_t>(std::lower_bound(wl.begin(), wl.end(), lo) - wl.begin());
    const auto last =
        static_cast<std::size_t>(std::upper_bound(wl.begin(), wl.end(), hi) - wl.begin());
    Kernel& k = kernels_[b];
    k.first = first;
    double sum = 0;
    for (std::size_t i = first; i < last; ++i) {
      const double left = i > 0 ? wl[i - 1] : wl[i], right = i + 1 < wl.size() ? wl[i + 1] : wl[i];
      const double width = 0.5 * (right - left);
      const double z = (wl[i] - centres[b]) / sigma;
      const double w = std::exp(-0.5 * z * z) * width;
      k.weights.push_back(w);
      sum += w;
    }
    if (sum > 0)
      for (double& w : k.weights) w /= sum;
    else
      k.weights.clear();
  }
}

double SrfConvolver::apply_band(std::size_t b, std::span<const double> v) const {
  const Kernel& k = kernels_[b];
  if (k.weights.empty()) return std::numeric_limits<double>::quiet_NaN();
  double acc = 0;
  for (std::size_t i = 0; i < k.weights.size(); ++i) acc += k.weights[i] * v[k.first + i];
  return acc;
}

std::vector<double> SrfConvolver::apply(std::span<const double> v) const {
  if (v.size() != samples_) throw InternalError("SRF: spectrum length does not match the grid");
  std::vector<double> out(kernels_.size());
  for (std::size_t b = 0; b < kernels_.size(); ++b) out[b] = apply_band(b, v);
  return out;
}

}  // namespace hyperplume::spectral
