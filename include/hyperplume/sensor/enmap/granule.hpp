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

}  // namespace hyperplume::sensor
