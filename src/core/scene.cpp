#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/scene.hpp>
#include <string>

namespace hyperplume {

void RadianceCube::Free::operator()(float* p) const { std::free(p); }

RadianceCube::RadianceCube(int rows, int cols, int bands, bool uninitialized)
    : rows_(rows), cols_(cols), bands_(bands) {
  if (rows < 0 || cols < 0 || bands < 0) throw InternalError("negative cube dimensions");
  size_ = static_cast<std::size_t>(rows) * cols * bands;
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  const std::size_t bytes = std::max(kHuge, (size_ * sizeof(float) + kHuge - 1) / kHuge * kHuge);
  void* p = std::aligned_alloc(kHuge, bytes);
  if (!p)
    throw InternalError("cannot allocate the radiance cube (" + std::to_string(bytes >> 20) +
                        " MiB)");
#ifdef MADV_HUGEPAGE
  if (bytes >= 4 * kHuge) madvise(p, bytes, MADV_HUGEPAGE);
#endif
  data_.reset(static_cast<float*>(p));
  if (!uninitialized) std::fill_n(data_.get(), size_, 0.0f);
}

Raster<float> RadianceCube::band_image(int band) const {
  Raster<float> img(rows_, cols_);
  for (int c = 0; c < cols_; ++c)
    for (int r = 0; r < rows_; ++r) img(r, c) = at(r, c, band);
  return img;
}

}  // namespace hyperplume
