#include <hyperplume/core/error.hpp>
#include <hyperplume/sensor/granule.hpp>

namespace hyperplume::sensor {

RadianceCube Granule::read_radiance(const std::vector<int>& bands) const {
  RadianceCube cube;
  const auto slabs = open_slabs(nullptr);
  if (slabs->read(bands, 0, cols(), cube) == 0)
    throw InputError("radiance holds only fill values in the requested bands",
                     ErrorContext{path(), {}, {}});
  return cube;
}

}  // namespace hyperplume::sensor
