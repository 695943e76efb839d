#pragma once
// The second retrieval pass (HyperGas l2b_reprocess): the plumes of every L3 file of a scene
// are kept out of the matched filter's background statistics. Here: which L3 files belong
// to an L2, their union as a mask on the L2 grid, and that mask in sensor geometry through
// the scene's own orthorectification (the inverse of its index map, not a resampling).
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/geo/ortho_map.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <string>
#include <utility>
#include <vector>

namespace hyperplume::pipeline {

// The L3 plume files of an L2 (<L3 stem>_plume<N>.nc beside it, not the _csf files), by N.
std::vector<std::string> l3_files_of(const std::string& l2_path);

// The L2 an L3 plume (or its CSV) belongs to: <stem with L3 -> L2, without _plume<N>>.nc.
std::string l2_path_for_l3(const std::string& l3_path);

// An L2 on disk as a reprocessing checks its L3 files against it: an L3 belongs to it when
// it was made from it (its `source_l2_checksum`), or when the L2 is a later pass made
// without that very L3 (listed with its checksum in `plume_exclusion_files`).
struct L2Identity {
  std::string name, checksum, exclusion_files;
  static L2Identity of(const std::string& l2_path);
};

struct PlumeExclusion {
  Raster<std::uint8_t> grid;  // on the L2 grid: 1 = a pixel of some L3 plume
  std::vector<std::pair<std::string, std::string>> files;  // L3 file name, checksum
};

// Every L3's <gas> field (finite = plume pixel). InputError naming the file when one is
// unreadable, has no <gas> field, or is on another grid than `grid` (size or coordinates):
// an L3 that does not belong to this L2.
PlumeExclusion read_plume_exclusion(const std::vector<std::string>& l3_files, const std::string& gas,
                                    const geo::UtmGrid& grid, const L2Identity* l2 = nullptr);

// The grid mask in sensor geometry (rows x cols): a sensor pixel is out of the statistics
// when a plume cell of the grid shows it. A sensor pixel that no grid cell shows (the
// nearest-neighbour map skips some where the swath is denser than the grid) has no place
// on the L3 maps; it is out when one of its 8 sensor neighbours is, so no plume pixel is left
// in the statistics through a gap of the map. Pure compute.
Raster<std::uint8_t> exclusion_in_sensor_geometry(const Raster<std::uint8_t>& grid_mask,
                                                  const geo::OrthoMap& map, int rows, int cols);

// The filter of a later pass. automatic: lognormal for CH4 when the scene's largest L4
// emission exceeds 10 t/h (HyperGas l2b_reprocess), decided per scene from its own L4 CSVs
// (HyperGas's decision leaking into later scenes is not reproduced); normal otherwise.
// InputError naming a CSV whose `emission` cannot be read.
RadDist later_pass_rad_dist(RadDist option, const std::string& gas,
                            const std::vector<std::string>& l4_files);

}  // namespace hyperplume::pipeline
