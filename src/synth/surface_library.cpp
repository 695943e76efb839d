#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/envi.hpp>
#include <hyperplume/synth/surface_library.hpp>
#include <numeric>

namespace hyperplume::synth {

const char* surface_class_name(SurfaceClass c) {
  switch (c) {
    case SurfaceClass::water:
      return "water";
    case SurfaceClass::soil:
      return "soil";
    case SurfaceClass::vegetation:
      return "vegetation";
    case SurfaceClass::urban:
      return "urban";
  }
  return "?";
}

namespace {
double interp(const std::vector<double>& x, const std::vector<double>& y, double at) {
  if (at <= x.front()) return y.front();
  if (at >= x.back()) return y.back();
  const auto i = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), at) - x.begin());
  const double t = (at - x[i - 1]) / (x[i] - x[i - 1]);
  return y[i - 1] + t * (y[i] - y[i - 1]);
}
}  // namespace

SurfaceLibrary SurfaceLibrary::load(const std::string& path, const std::vector<double>& centres) {
  const io::EnviImage img = io::read_envi(path);
  const io::EnviHeader& h = img.header;
  if (h.wavelength.empty())
    throw InputError("surface library header has no wavelengths", ErrorContext{path, {}, {}});
  // The library joins detectors whose ranges overlap; sort by wavelength, keep the first
  // of any duplicate.
  std::vector<std::size_t> order(h.bands);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](auto a, auto b) { return h.wavelength[a] < h.wavelength[b]; });
  std::vector<std::size_t> keep;
  std::vector<double> wl;
  for (std::size_t i : order)
    if (wl.empty() || h.wavelength[i] > wl.back()) {
      keep.push_back(i);
      wl.push_back(h.wavelength[i]);
    }

  SurfaceLibrary lib;
  lib.bands_ = centres.size();
  const std::size_t n = h.lines * h.samples;
  lib.reflectance_.resize(n * centres.size());
  auto nearest = [&](double w) {
    return static_cast<std::size_t>(
        std::min_element(centres.begin(), centres.end(),
                         [&](double a, double b) { return std::abs(a - w) < std::abs(b - w); }) -
        centres.begin());
  };
  const std::size_t ired = nearest(660), inir = nearest(850), iswir = nearest(1650);
  std::vector<double> y(keep.size());
  for (std::size_t s = 0; s < n; ++s) {
    const std::size_t line = s / h.samples, sample = s % h.samples;
    for (std::size_t k = 0; k < keep.size(); ++k) y[k] = img(line, sample, keep[k]);
    double* out = &lib.reflectance_[s * centres.size()];
    bool plausible = true;
    double maxv = 0;
    for (std::size_t b = 0; b < centres.size(); ++b) {
      out[b] = interp(wl, y, centres[b]);
      if (!(out[b] >= 0.0 && out[b] <= 1.0)) plausible = false;
      maxv = std::max(maxv, out[b]);
    }
    if (!plausible) continue;
    const double red = out[ired], nir = out[inir], swir = out[iswir];
    const double ndvi = (nir - red) / (nir + red + 1e-9);
    // Water bodies use an analytic clear-water spectrum (the library's dark spectra are
    // too bright in the NIR for open water), so only land classes are drawn from it.
    int cls = -1;
    if (ndvi > 0.5 && nir > 0.15)
      cls = static_cast<int>(SurfaceClass::vegetation);
    else if (ndvi < 0.25 && swir > red && swir > 0.15 && swir < 0.7)
      cls = static_cast<int>(SurfaceClass::soil);
    else if (ndvi < 0.3 && maxv < 0.6 && *std::min_element(out, out + centres.size()) > 0.03)
      cls = static_cast<int>(SurfaceClass::urban);
    if (cls >= 0) lib.members_[static_cast<std::size_t>(cls)].push_back(static_cast<int>(s));
  }
  for (int c = 1; c < kSurfaceClassCount; ++c)  // water: analytic, see Site::surface
    if (lib.members_[static_cast<std::size_t>(c)].empty())
      throw InputError(std::string("surface library has no usable ") +
                           surface_class_name(static_cast<SurfaceClass>(c)) + " spectra",
                       ErrorContext{path, {}, {}});
  return lib;
}

}  // namespace hyperplume::synth
