#pragma once
// The L3 products of one plume: the plume NetCDF (the L2 gas field inside the plume and
// inside the Carbon Mapper mask, on the full L2 grid, with the plume-mean wind and
// pressure per source) and the CSF-lines NetCDF (every transect and its emission rate).
// Both CF-1.8 netCDF-4, written to a temporary name and renamed.
#include <cstdint>
#include <hyperplume/emission/emission_estimate.hpp>
#include <hyperplume/emission/plume_wind.hpp>
#include <hyperplume/io/dataset_writer.hpp>
#include <hyperplume/pipeline/l2_reader.hpp>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

struct L3Plume {
  const L2Scene* scene = nullptr;
  const Raster<std::uint8_t>* mask = nullptr;     // the picked plume
  const Raster<std::uint8_t>* cm_mask = nullptr;  // the Carbon Mapper v2 mask
  std::vector<emission::SourceWind> winds;        // plume means per source
  std::string plume_id;
  double plume_longitude = 0, plume_latitude = 0;  // the snapped source pixel
  AttributeList provenance;  // extra global attributes (profile, options, seed, ...)
};

void write_l3_plume(const std::string& path, const L3Plume& plume);

// The plume file's 2-D latitude/longitude (dimension ids dy, dx of a rows x cols grid):
// the L2's chunks and filters, so that they are copied from the L2 as stored.
std::vector<io::VarSpec> l3_coordinate_specs(int dy, int dx, std::size_t rows, std::size_t cols);

// center_dim: "center_line", or HyperGas's spelling "ceter_line".
void write_csf_lines(const std::string& path, const emission::EmissionEstimate& estimate,
                     const L2Scene& scene, const std::string& center_dim);

}  // namespace hyperplume::pipeline
