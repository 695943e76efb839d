#pragma once
// Top-of-atmosphere radiance from the libRadtran runs of the resources. For one
// aerosol/water-vapour state, the three runs at surface albedo 0, 0.25 and 0.5 give per
// wavelength the path radiance L0, the coupled transmittance-irradiance term G and the
// spherical albedo S of
//     L(rho) = L0 + rho * G / (1 - S * rho),
// solved exactly from the three runs. Band values come from convolving L0, G and S with
// each band's SRF (the surface spectra are smooth within a band).
#include <hyperplume/core/time.hpp>
#include <string>
#include <vector>

namespace hyperplume {
class Resources;
}

namespace hyperplume::synth {

struct AtmosphereState {
  double aot550;  // 0.01 or 0.1
  double h2o_cm;  // 1.5 or 2.0
};
// The states for which libRadtran runs exist.
const std::vector<AtmosphereState>& available_atmospheres();

class BandAtmosphere {
 public:
  // Units of the result: uW cm-2 sr-1 nm-1 (EMIT), converted from libRadtran's mW m-2.
  static BandAtmosphere load(const Resources& res, const AtmosphereState& state,
                             const std::vector<double>& centres, const std::vector<double>& fwhm);

  std::size_t bands() const { return l0_.size(); }
  double run_sza() const { return run_sza_; }
  int run_day_of_year() const { return run_doy_; }

  // Radiance of a Lambertian surface of band reflectance rho, at the run's geometry.
  double radiance(std::size_t band, double rho) const {
    return l0_[band] + rho * g_[band] / (1.0 - s_[band] * rho);
  }
  double path_radiance(std::size_t b) const { return l0_[b]; }
  double spherical_albedo(std::size_t b) const { return s_[b]; }
  double transmitted(std::size_t b) const { return g_[b]; }

 private:
  std::vector<double> l0_, g_, s_;
  double run_sza_ = 0;
  int run_doy_ = 1;
};

// Illumination scaling from the run's geometry to a scene's: cos(sza)/cos(sza_run) times
// (d_run/d)^2 for the Earth-Sun distances.
double illumination_scale(double sza_deg, double run_sza_deg, double esd_au, double run_esd_au);

}  // namespace hyperplume::synth
