#include <mpi.h>
#include <netcdf.h>
#include <netcdf_par.h>

#include <hyperplume/par/parallel_netcdf.hpp>

namespace hyperplume::par {

int open_netcdf_parallel(const std::string& path, const Comm& comm, int& status) {
  int ncid = -1;
  status = nc_open_par(path.c_str(), NC_NOWRITE, MPI_Comm_f2c(comm.fortran_handle()), MPI_INFO_NULL,
                       &ncid);
  return ncid;
}

int set_independent_access(int ncid, int varid) {
  return nc_var_par_access(ncid, varid, NC_INDEPENDENT);
}

}  // namespace hyperplume::par
