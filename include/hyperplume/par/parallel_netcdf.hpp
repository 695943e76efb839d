#pragma once
// Parallel netCDF-4 (HDF5 MPI-IO) access for io/, keeping <mpi.h> inside par/.
#include <hyperplume/par/comm.hpp>
#include <string>

namespace hyperplume::par {

// Collective over `comm`: opens a netCDF-4 file read-only for parallel access. Returns the
// ncid or a netCDF status < 0 through `status` (no throw: every rank must reach the
// matching close or error agreement).
int open_netcdf_parallel(const std::string& path, const Comm& comm, int& status);
// Independent access for a variable, so each rank reads its own hyperslabs.
int set_independent_access(int ncid, int varid);

}  // namespace hyperplume::par
