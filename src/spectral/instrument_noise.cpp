#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/text_table.hpp>
#include <hyperplume/spectral/instrument_noise.hpp>
#include <numbers>

namespace hyperplume::spectral {

EmitNoiseModel EmitNoiseModel::load(const std::string& path) {
  const io::TextTable t = io::read_text_table(path, 4);
  EmitNoiseModel m;
  m.wavelength_ = t.columns[0];
  m.a_ = t.columns[1];
  m.b_ = t.columns[2];
  m.c_ = t.columns[3];
  for (std::size_t i = 1; i < m.wavelength_.size(); ++i)
    if (!(m.wavelength_[i] > m.wavelength_[i - 1]))
      throw InputError("noise model wavelengths are not increasing", ErrorContext{path, {}, {}});
  return m;
}

double EmitNoiseModel::sigma(std::size_t band, double radiance) const {
  return a_[band] * std::sqrt(std::max(0.0, b_[band] + radiance)) + c_[band];
}

std::size_t EmitNoiseModel::nearest_band(double w) const {
  const auto it = std::lower_bound(wavelength_.begin(), wavelength_.end(), w);
  if (it == wavelength_.begin()) return 0;
  if (it == wavelength_.end()) return wavelength_.size() - 1;
  const auto i = static_cast<std::size_t>(it - wavelength_.begin());
  return (w - wavelength_[i - 1] <= wavelength_[i] - w) ? i - 1 : i;
}

BandSet emit_band_set(const EmitNoiseModel& noise) {
  BandSet s;
  s.centres = noise.wavelengths();
  for (double w : s.centres) {
    // EMIT's FWHM rises gently from ~8.2 nm in the blue to ~8.9 nm mid-SWIR.
    const double t = (w - 380.0) / (2500.0 - 380.0);
    s.fwhm.push_back(8.2 + 0.7 * std::sin(std::numbers::pi * 0.75 * t));
  }
  return s;
}

}  // namespace hyperplume::spectral
