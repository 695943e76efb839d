#include <hyperplume/image/connected_components.hpp>
#include <limits>

namespace hyperplume::image {

Components label_components(const Raster<std::uint8_t>& mask, Connectivity connectivity) {
  const int H = static_cast<int>(mask.rows()), W = static_cast<int>(mask.cols());
  Components out{Raster<std::int32_t>::Zero(H, W), {0}};
  std::vector<std::pair<int, int>> stack;
  for (int r0 = 0; r0 < H; ++r0)
    for (int c0 = 0; c0 < W; ++c0) {
      if (!mask(r0, c0) || out.labels(r0, c0)) continue;
      const auto label = static_cast<std::int32_t>(out.sizes.size());
      std::int64_t size = 0;
      stack.assign(1, {r0, c0});
      out.labels(r0, c0) = label;
      while (!stack.empty()) {  // flood fill
        const auto [r, c] = stack.back();
        stack.pop_back();
        ++size;
        for (int dr = -1; dr <= 1; ++dr)
          for (int dc = -1; dc <= 1; ++dc) {
            if ((dr == 0 && dc == 0) || (connectivity == Connectivity::four && dr != 0 && dc != 0))
              continue;
            const int rr = r + dr, cc = c + dc;
            if (rr < 0 || rr >= H || cc < 0 || cc >= W || !mask(rr, cc) || out.labels(rr, cc))
              continue;
            out.labels(rr, cc) = label;
            stack.push_back({rr, cc});
          }
      }
      out.sizes.push_back(size);
    }
  std::int64_t background = 0;
  for (int r = 0; r < H; ++r)
    for (int c = 0; c < W; ++c) background += out.labels(r, c) == 0;
  out.sizes[0] = background;
  return out;
}

namespace {
// One line (row or column) of a binary dilation by a (2 radius + 1) segment: set where a set
// pixel lies within `radius` on either side.
void dilate_line(const std::uint8_t* in, std::uint8_t* out, Eigen::Index n, Eigen::Index stride,
                 Eigen::Index radius) {
  constexpr Eigen::Index kFar = std::numeric_limits<Eigen::Index>::max() / 4;
  Eigen::Index last = -kFar;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (in[i * stride]) last = i;
    out[i * stride] = i - last <= radius;
  }
  Eigen::Index next = kFar;
  for (Eigen::Index i = n - 1; i >= 0; --i) {
    if (in[i * stride]) next = i;
    if (next - i <= radius) out[i * stride] = 1;
  }
}

}  // namespace

// Rows then columns: the square separates.
Raster<std::uint8_t> dilate_square(const Raster<std::uint8_t>& in, Eigen::Index radius) {
  if (radius <= 0) return in;
  const Eigen::Index H = in.rows(), W = in.cols();
  Raster<std::uint8_t> rows_done(H, W), out(H, W);
  for (Eigen::Index r = 0; r < H; ++r) dilate_line(&in(r, 0), &rows_done(r, 0), W, 1, radius);
  for (Eigen::Index c = 0; c < W; ++c) dilate_line(&rows_done(0, c), &out(0, c), H, W, radius);
  return out;
}

}  // namespace hyperplume::image
