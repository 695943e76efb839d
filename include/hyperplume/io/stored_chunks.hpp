#pragma once
// Copies a variable's chunks as they are stored — compressed bytes, neither inflated nor
// deflated again — from one netCDF-4 (HDF5) file to another. A product that repeats a large
// field of its input (each L3 plume file repeats the L2's 2-D latitude/longitude) otherwise
// spends most of its write time compressing the same bytes once more.
#include <hyperplume/io/dataset_writer.hpp>
#include <string>
#include <vector>

namespace hyperplume::io {

// True when every variable `specs` names is, in `path`, a netCDF-4 variable of `shape`
// stored exactly as a DatasetWriter stores its spec (type, chunk shape, shuffle + deflate
// level 1 or no filter), so its stored chunks can be copied into a variable defined from
// that spec. False for any other file or layout (CDF-5, contiguous, other filters): then
// the values are written.
bool stored_like(const std::string& path, const std::vector<VarSpec>& specs,
                 const std::vector<std::size_t>& shape);

// Copies every stored chunk of each of `vars` in `src` into the same, not yet written
// variable of `dst`; both files closed. Type, shape, chunks and filter pipeline must be
// identical (checked in HDF5's own terms): otherwise InputError naming the file.
void copy_stored_chunks(const std::string& src, const std::string& dst,
                        const std::vector<std::string>& vars);

}  // namespace hyperplume::io
