#pragma once
// The matched filter over a whole scene for one spectral window: every detector column,
// and within it every segmentation label, gets its own background statistics. Columns
// run on threads; results and QA do not depend on the thread count.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/scene.hpp>
#include <hyperplume/retrieval/matched_filter.hpp>
#include <span>
#include <vector>

namespace hyperplume::retrieval {

struct WindowRetrievalInput {
  const RadianceCube* cube = nullptr;  // a slab of detector columns
  int column_offset = 0;               // scene column of the slab's column 0
  int band_begin = 0, band_end = 0;    // window = cube bands [begin, end)
  std::span<const double> k;           // target per band of the window
  // Detectors with smile: a target per detector column (scene column -> k), used instead
  // of `k` when not empty.
  const std::vector<std::vector<double>>* k_per_column = nullptr;
  // Scene-sized rasters (indexed with the scene column):
  const Raster<std::int32_t>* segmentation = nullptr;  // label per pixel (nullptr: one label)
  const Raster<std::uint8_t>* exclude = nullptr;       // 1 = not retrieved (cloud, ...)
  const Raster<std::uint8_t>* plume = nullptr;  // 1 = plume pixel: retrieved, not in statistics
  std::vector<std::int32_t> skip_labels;        // labels not retrieved anywhere (e.g. water)
  bool hypergas_skip_rule =
      false;  // HyperGas: skip label 0 only in columns holding exactly two labels
  const BandNoise* noise = nullptr;  // per window band, for the uncertainty
  MatchedFilterParams params;
  int threads = 1;
};

struct WindowRetrieval {
  Raster<float> alpha;  // NaN where not retrieved
  Raster<float> sigma;
  std::vector<ColumnQa> qa;  // ordered by (column, label)
};

// Scene-sized output, all NaN, no QA yet.
WindowRetrieval empty_window_retrieval(int rows, int cols);
// Retrieves the slab's columns into `out` (scene-sized) and appends their QA in column order.
void retrieve_window(const WindowRetrievalInput& in, WindowRetrieval& out);
// The whole cube as one slab.
WindowRetrieval retrieve_window(const WindowRetrievalInput& in);

// The two-window "comb" field (l1_l2 §4.10). Per segmentation label l, with
// s_l = std(narrow)/std(full) over the label:
//   HyperGas rule: comb = narrow where full - narrow > 0, else s_l * full
//   default rule:  the same, but the comparison uses the scaled full field (s_l * full)
//                  and s_l is a ratio of robust spreads (1.4826 MAD), so plumes and
//                  outliers do not set the scale.
enum class CombRule { hypergas, robust };
Raster<float> combine_windows(const Raster<float>& narrow, const Raster<float>& full,
                              const Raster<std::int32_t>* segmentation, CombRule rule);

}  // namespace hyperplume::retrieval
