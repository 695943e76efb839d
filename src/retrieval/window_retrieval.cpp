#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/image/trimmed_stats.hpp>
#include <hyperplume/retrieval/window_retrieval.hpp>
#include <limits>
#include <map>
#include <set>

namespace hyperplume::retrieval {

WindowRetrieval empty_window_retrieval(int rows, int cols) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  return {Raster<float>::Constant(rows, cols, nan), Raster<float>::Constant(rows, cols, nan), {}};
}

WindowRetrieval retrieve_window(const WindowRetrievalInput& in) {
  WindowRetrieval out = empty_window_retrieval(in.cube->rows(), in.cube->cols());
  retrieve_window(in, out);
  return out;
}

void retrieve_window(const WindowRetrievalInput& in, WindowRetrieval& out) {
  const RadianceCube& cube = *in.cube;
  const int rows = cube.rows(), cols = cube.cols(), nb = in.band_end - in.band_begin,
            off = in.column_offset;
  if (nb <= 0 || in.band_end > cube.bands()) throw InternalError("retrieve_window: bad band range");
  if (!in.k_per_column && static_cast<int>(in.k.size()) != nb)
    throw InternalError("retrieve_window: target length differs from the window");
  if (out.alpha.rows() != rows || out.alpha.cols() < off + cols)
    throw InternalError("retrieve_window: output too small");
  std::vector<std::vector<ColumnQa>> per_column(static_cast<std::size_t>(cols));

  // Columns are independent and each call has its own scratch, so neither the thread count
  // nor the split of columns between threads can change a result.
  auto column = [&](std::int64_t column_index) {
    const auto c = static_cast<int>(column_index);
    std::vector<std::uint8_t> valid(static_cast<std::size_t>(rows)), use(valid.size()),
        bg(valid.size());
    std::vector<float> a(valid.size()), s(valid.size());
    const int sc = c + off;  // scene column
    const auto block = cube.column(c).middleCols(in.band_begin, nb);
    std::set<std::int32_t> labels;
    for (int r = 0; r < rows; ++r) {
      bool ok = !(in.exclude && (*in.exclude)(r, sc));
      for (int b = 0; ok && b < nb; ++b) ok = std::isfinite(block(r, b));
      valid[static_cast<std::size_t>(r)] = ok;
      if (ok) labels.insert(in.segmentation ? (*in.segmentation)(r, sc) : 1);
    }
    for (const std::int32_t label : labels) {
      const bool skip = in.hypergas_skip_rule
                            ? (labels.size() == 2 && label == 0)
                            : std::find(in.skip_labels.begin(), in.skip_labels.end(), label) !=
                                  in.skip_labels.end();
      if (skip) continue;
      for (int r = 0; r < rows; ++r) {
        const auto i = static_cast<std::size_t>(r);
        use[i] = valid[i] && (!in.segmentation || (*in.segmentation)(r, sc) == label);
        bg[i] = use[i] && !(in.plume && (*in.plume)(r, sc));
      }
      const std::span<const double> k =
          in.k_per_column
              ? std::span<const double>(in.k_per_column->at(static_cast<std::size_t>(sc)))
              : in.k;
      ColumnQa qa = matched_filter_column(block, use, bg, k, in.noise, in.params, a, s);
      qa.column = sc;
      qa.label = label;
      for (int r = 0; r < rows; ++r)
        if (use[static_cast<std::size_t>(r)]) {
          out.alpha(r, sc) = a[static_cast<std::size_t>(r)];
          out.sigma(r, sc) = s[static_cast<std::size_t>(r)];
        }
      per_column[static_cast<std::size_t>(c)].push_back(qa);
    }
    if (labels.empty()) {
      ColumnQa qa;
      qa.column = sc;
      qa.status = ColumnStatus::no_pixels;
      per_column[static_cast<std::size_t>(c)].push_back(qa);
    }
  };
  parallel_for(cols, in.threads, column);
  for (auto& v : per_column) out.qa.insert(out.qa.end(), v.begin(), v.end());
}

namespace {
double spread(std::vector<double> v, bool robust) {
  if (v.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  if (!robust) {
    double m = 0, m2 = 0;
    for (double x : v) m += x;
    m /= static_cast<double>(v.size());
    for (double x : v) m2 += (x - m) * (x - m);
    return std::sqrt(m2 / static_cast<double>(v.size()));  // ddof = 0, as numpy
  }
  return image::robust_std(std::move(v));
}
}  // namespace

Raster<float> combine_windows(const Raster<float>& narrow, const Raster<float>& full,
                              const Raster<std::int32_t>* seg, CombRule rule) {
  const bool robust = rule == CombRule::robust;
  std::map<std::int32_t, std::pair<std::vector<double>, std::vector<double>>> by_label;
  for (Eigen::Index i = 0; i < narrow.size(); ++i) {
    const std::int32_t l = seg ? seg->data()[i] : 1;
    auto& [g, f] = by_label[l];
    if (std::isfinite(narrow.data()[i])) g.push_back(narrow.data()[i]);
    if (std::isfinite(full.data()[i])) f.push_back(full.data()[i]);
  }
  std::map<std::int32_t, double> scale;
  for (auto& [l, gf] : by_label) scale[l] = spread(gf.first, robust) / spread(gf.second, robust);
  Raster<float> comb(narrow.rows(), narrow.cols());
  for (Eigen::Index i = 0; i < narrow.size(); ++i) {
    const double s = scale[seg ? seg->data()[i] : 1];
    const double g = narrow.data()[i], f = full.data()[i];
    const double compare = robust ? s * f : f;
    comb.data()[i] =
        static_cast<float>(compare - g > 0 ? g : s * f);  // NaN comparisons take the else branch
  }
  return comb;
}

}  // namespace hyperplume::retrieval
