#pragma once
// EMIT as a sensor::Granule: the RAD file and its OBS companion, read by EmitL1bReader.
#include <hyperplume/sensor/granule.hpp>
#include <memory>
#include <string>

namespace hyperplume::sensor {

std::unique_ptr<Granule> open_emit_granule(const std::string& rad_path, const GranuleOptions&);

}  // namespace hyperplume::sensor
