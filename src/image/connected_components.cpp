#include <hyperplume/image/connected_components.hpp>

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

}  // namespace hyperplume::image
