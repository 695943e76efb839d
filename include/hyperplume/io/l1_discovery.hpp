#pragma once
// Finds the L1 granules under a root directory, recursively, in a deterministic order.
#include <string>
#include <vector>

namespace hyperplume::io {

struct L1Granule {
  std::string path;    // the file the reader opens (EMIT: the RAD file)
  std::string sensor;  // "EMIT"
};

// Sorted by path. Skips partial outputs and sidecars (e.g. *_truth.nc). Throws
// InputError if root is not a directory.
std::vector<L1Granule> find_l1_granules(const std::string& root);

}  // namespace hyperplume::io
