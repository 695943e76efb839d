#pragma once
// The L2 NetCDF in sensor geometry (HyperGas's "unortho" product) with CF-1.8 metadata:
// gas fields, uncertainty, comb, segmentation, quality mask, radiance_2100, angles,
// latitude/longitude, the per-column QA layer, stage timers and the resolved configuration.
// Written to a temporary name and renamed; netCDF-4 (chunked, masks compressed) or CDF-5.
#include <hyperplume/core/config.hpp>
#include <hyperplume/io/dataset_writer.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

struct L2WriteInfo {
  std::string profile = "default";
  std::string options_text;  // the L2 options, for provenance
  io::FileFormat format = io::FileFormat::netcdf4;
  // A scene group writes the file collectively: every rank holds the whole product and
  // writes its block of rows; the leader's stage timers are recorded. nullptr = serial.
  const par::Comm* group = nullptr;
};

// Collective over info.group when it is set.
void write_l2(const std::string& path, const L2Product& product, const Config& config,
              const L2WriteInfo& info);

// Chunk shape of the (y, x) fields, shared with the L3 plume file so that the L3 can copy
// the coordinates' stored chunks from the L2.
std::vector<std::size_t> grid_chunks(std::size_t rows, std::size_t cols);

// True if `path` is a complete HyperPlume L2 file (they only ever appear complete, but a
// file from another program or version under the same name is not reused).
bool is_complete_l2(const std::string& path);

}  // namespace hyperplume::pipeline
