#include <hyperplume/core/error.hpp>
#include <hyperplume/io/dataset_writer.hpp>

#include "dataset_writer_base.hpp"

namespace hyperplume::io {

FileFormat parse_file_format(const std::string& text) {
  if (text == "netcdf4") return FileFormat::netcdf4;
  if (text == "cdf5") return FileFormat::cdf5;
  throw InputError("--format must be netcdf4 or cdf5, not '" + text + "'");
}

std::unique_ptr<DatasetWriter> create_dataset(const std::string& path, FileFormat format,
                                              const par::Comm* comm) {
  return format == FileFormat::cdf5 ? detail::create_cdf5(path, comm)
                                    : detail::create_netcdf4(path, comm);
}

}  // namespace hyperplume::io
