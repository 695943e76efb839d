#pragma once
// Surface reflectance spectra from the ECOSTRESS library (resources/surface), sorted by
// wavelength, resampled to a sensor's band centres and sorted into land-cover classes by
// their spectral shape (the library carries no class names).
#include <array>
#include <string>
#include <vector>

namespace hyperplume::synth {

enum class SurfaceClass : unsigned char { water = 0, soil = 1, vegetation = 2, urban = 3 };
inline constexpr int kSurfaceClassCount = 4;
const char* surface_class_name(SurfaceClass c);

class SurfaceLibrary {
 public:
  // Loads the library and resamples every spectrum to `band_centres` (linear
  // interpolation on the sorted library grid, held constant beyond its ends).
  static SurfaceLibrary load(const std::string& library_path,
                             const std::vector<double>& band_centres);

  std::size_t bands() const { return bands_; }
  // Indices of library spectra in a land class (physically plausible ones only: 0 <= rho <= 1);
  // empty for water, which is modelled analytically.
  const std::vector<int>& members(SurfaceClass c) const { return members_[static_cast<int>(c)]; }
  // Reflectance of spectrum i at every band.
  const double* spectrum(int i) const {
    return &reflectance_[static_cast<std::size_t>(i) * bands_];
  }

 private:
  std::size_t bands_ = 0;
  std::vector<double> reflectance_;  // spectra x bands
  std::array<std::vector<int>, kSurfaceClassCount> members_;
};

}  // namespace hyperplume::synth
