#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/envi.hpp>
#include <hyperplume/spectral/ch4_lut.hpp>

namespace hyperplume::spectral {

Ch4RadianceLut Ch4RadianceLut::load(const std::string& path) {
  const io::EnviImage img = io::read_envi(path);
  const io::EnviHeader& h = img.header;
  if (h.samples != 7 || h.lines != 1)
    throw InputError("CH4 LUT must have samples=7 (concentrations) and lines=1, found samples=" +
                         std::to_string(h.samples) + " lines=" + std::to_string(h.lines),
                     ErrorContext{path, {}, {}});
  if (h.wavelength.size() != h.bands)
    throw InputError("CH4 LUT header has no wavelength list", ErrorContext{path, {}, {}});
  Ch4RadianceLut lut;
  lut.wavelengths_ = h.wavelength;
  lut.radiance_.resize(h.bands * 7);
  for (std::size_t k = 0; k < h.bands; ++k)
    for (std::size_t j = 0; j < 7; ++j) {
      const double v = img(0, j, k);
      if (!(v > 0) || !std::isfinite(v))
        throw InputError("CH4 LUT radiance is not positive at band " + std::to_string(k),
                         ErrorContext{path, {}, {}});
      lut.radiance_[k * 7 + j] = v;
    }
  return lut;
}

double Ch4RadianceLut::optical_depth(std::size_t k, double c) const {
  if (c <= 0) return 0.0;
  const double l0 = std::log(radiance(k, 0));
  std::size_t j = 1;
  while (j < 6 && c > kConcentrations[j]) ++j;
  const double c0 = kConcentrations[j - 1], c1 = kConcentrations[j];
  const double t0 = l0 - std::log(radiance(k, j - 1)), t1 = l0 - std::log(radiance(k, j));
  return t0 + (t1 - t0) * (c - c0) / (c1 - c0);
}

}  // namespace hyperplume::spectral
