#include <algorithm>
#include <cmath>
#include <hyperplume/spectral/srf.hpp>
#include <hyperplume/synth/ch4_injection.hpp>

namespace hyperplume::synth {

BandTransmittance::BandTransmittance(const spectral::Ch4RadianceLut& lut,
                                     const std::vector<double>& centres,
                                     const std::vector<double>& fwhm, double max_ppm_m)
    : max_(std::max(max_ppm_m, 1.0)), table_(centres.size()) {
  const spectral::SrfConvolver srf(lut.wavelengths(), centres, fwhm);
  for (std::size_t b = 0; b < centres.size(); ++b) {
    if (!srf.covered(b)) continue;
    const auto& k = srf.kernel(b);
    double ref = 0;
    for (std::size_t i = 0; i < k.weights.size(); ++i)
      ref += k.weights[i] * lut.radiance(k.first + i, 0);
    auto& t = table_[b];
    t.resize(kNodes);
    for (int n = 0; n < kNodes; ++n) {
      const double s = static_cast<double>(n) / (kNodes - 1);
      const double c = max_ * s * s;  // denser nodes at small enhancements
      double acc = 0;
      for (std::size_t i = 0; i < k.weights.size(); ++i)
        acc += k.weights[i] * lut.radiance(k.first + i, 0) *
               std::exp(-lut.optical_depth(k.first + i, c));
      t[static_cast<std::size_t>(n)] = std::log(acc / ref);
    }
  }
}

double BandTransmittance::operator()(std::size_t band, double c) const {
  const auto& t = table_[band];
  if (t.empty() || c == 0) return 1.0;
  if (c < 0) return 1.0 / (*this)(band, -c);  // a sign-flipped injection gains what a plume absorbs
  const double s = std::sqrt(std::min(c, max_) / max_) * (kNodes - 1);
  const auto i = std::min(static_cast<std::size_t>(s), static_cast<std::size_t>(kNodes - 2));
  const double c0 = max_ * std::pow(static_cast<double>(i) / (kNodes - 1), 2);
  const double c1 = max_ * std::pow(static_cast<double>(i + 1) / (kNodes - 1), 2);
  const double lnT = t[i] + (t[i + 1] - t[i]) * (c - c0) / (c1 - c0);
  return std::exp(lnT);
}

}  // namespace hyperplume::synth
