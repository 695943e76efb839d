#include <hyperplume/core/error.hpp>
#include <hyperplume/core/scene.hpp>

namespace hyperplume {

RadianceCube::RadianceCube(int rows, int cols, int bands)
    : rows_(rows), cols_(cols), bands_(bands) {
  if (rows < 0 || cols < 0 || bands < 0) throw InternalError("negative cube dimensions");
  data_.assign(static_cast<std::size_t>(rows) * cols * bands, 0.0f);
}

Raster<float> RadianceCube::band_image(int band) const {
  Raster<float> img(rows_, cols_);
  for (int c = 0; c < cols_; ++c)
    for (int r = 0; r < rows_; ++r) img(r, c) = at(r, c, band);
  return img;
}

}  // namespace hyperplume
