#include <hyperplume/image/watershed.hpp>
#include <limits>
#include <queue>
#include <vector>

namespace hyperplume::image {
namespace {

struct Queued {
  double level;
  std::int64_t age;
  Eigen::Index index;
};

struct LeavesLater {  // std::priority_queue pops the greatest: order by (level, age) reversed
  bool operator()(const Queued& a, const Queued& b) const {
    if (a.level != b.level) return a.level > b.level;
    return a.age > b.age;
  }
};

}  // namespace

Raster<std::int32_t> watershed(const Raster<float>& image, const Raster<std::int32_t>& markers,
                               const Raster<std::uint8_t>& mask) {
  const Eigen::Index H = image.rows(), W = image.cols();
  Raster<std::int32_t> labels = Raster<std::int32_t>::Zero(H, W);
  std::priority_queue<Queued, std::vector<Queued>, LeavesLater> heap;
  std::int64_t age = 0;
  for (Eigen::Index i = 0; i < image.size(); ++i)
    if (mask.data()[i] && markers.data()[i] != 0) {
      labels.data()[i] = markers.data()[i];
      heap.push({-std::numeric_limits<double>::infinity(), age++, i});
    }
  while (!heap.empty()) {
    const Queued from = heap.top();
    heap.pop();
    const Eigen::Index r = from.index / W, c = from.index % W;
    const std::int32_t label = labels.data()[from.index];
    const auto visit = [&](Eigen::Index neighbour) {
      if (!mask.data()[neighbour] || labels.data()[neighbour] != 0) return;
      // Labelled when pushed: without compactness no later path can reach it at a lower level.
      labels.data()[neighbour] = label;
      const double value = image.data()[neighbour];
      heap.push({value > from.level ? value : from.level, age++, neighbour});
    };
    if (r > 0) visit(from.index - W);
    if (c > 0) visit(from.index - 1);
    if (c + 1 < W) visit(from.index + 1);
    if (r + 1 < H) visit(from.index + W);
  }
  return labels;
}

}  // namespace hyperplume::image
