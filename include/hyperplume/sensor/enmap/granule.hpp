#pragma once
// EnMAP as a sensor::Granule: the L1B ZIP read by EnmapL1bReader, its geometry from the RPC
// over the DEM, its noise from the mission's published SNR.
#include <hyperplume/sensor/granule.hpp>
#include <memory>
#include <string>
#include <vector>

namespace hyperplume::sensor {

std::unique_ptr<Granule> open_enmap_granule(const std::string& zip_path,
                                            const GranuleOptions& options);

// Signal-to-noise ratio of EnMAP at its reference radiance (30 % albedo, sun at 30 degrees
// zenith), by wavelength: piecewise linear through the mission's published figures
// (docs/formats.md names them).
double enmap_reference_snr(double wavelength_nm);

// EnMAP's noise at these bands, photon noise scaled to the published SNR:
// sigma(L) = sqrt(L L_ref) / SNR, i.e. a = sqrt(L_ref) / SNR, b = c = 0, with L_ref the
// reference scene's radiance (30 % albedo, sun at 30 degrees zenith, two-way transmittance
// 0.8, Kurucz irradiance), in units whose factor to uW cm-2 sr-1 nm-1 is `to_uW_cm2`. The
// reader's uncertainty and the synthetic renderer use the same.
retrieval::BandNoise enmap_noise(const Resources& resources, const std::vector<double>& centres,
                                 const std::vector<double>& fwhm, double to_uW_cm2);

}  // namespace hyperplume::sensor
