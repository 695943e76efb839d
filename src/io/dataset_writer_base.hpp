#pragma once
// Private to io/: what the netCDF-4 and CDF-5 writers share — the file, the communicator
// and the first failure, kept until close() so no rank leaves a collective early.
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/io/dataset_writer.hpp>

#include <cerrno>

namespace hyperplume::io::detail {

// The classic netCDF external type codes, which netCDF-C and PnetCDF share (each writer
// checks them against its own header).
constexpr int external_type(ElementType t) {
  switch (t) {
    case ElementType::u8:
      return 7;  // NC_UBYTE
    case ElementType::i32:
      return 4;  // NC_INT
    case ElementType::f32:
      return 5;  // NC_FLOAT
    case ElementType::f64:
      return 6;  // NC_DOUBLE
    case ElementType::text:
      return 2;  // NC_CHAR
  }
  return 0;
}
#define HYPERPLUME_CHECK_EXTERNAL_TYPES()                                                        \
  static_assert(                                                                                 \
      external_type(ElementType::u8) == NC_UBYTE && external_type(ElementType::i32) == NC_INT && \
      external_type(ElementType::f32) == NC_FLOAT &&                                             \
      external_type(ElementType::f64) == NC_DOUBLE && external_type(ElementType::text) == NC_CHAR)

// A fill value in the variable's own type, as the libraries take it.
struct TypedFill {
  union {
    std::uint8_t u8;
    std::int32_t i32;
    float f32;
    double f64;
  };
  explicit TypedFill(ElementType t, double v) : f64(v) {
    if (t == ElementType::u8) u8 = static_cast<std::uint8_t>(v);
    if (t == ElementType::i32) i32 = static_cast<std::int32_t>(v);
    if (t == ElementType::f32) f32 = static_cast<float>(v);
  }
};

class DatasetWriterBase : public DatasetWriter {
 protected:
  DatasetWriterBase(std::string path, const par::Comm* comm)
      : path_(std::move(path)), comm_(comm) {}

  // Serial writers throw at once; parallel ones remember the first failure.
  void check(int status, const std::string& what, const char* message) {
    if (status == 0) return;
    const std::string text = write_failure(what, message, path_, errno);
    if (!comm_) throw InputError(text, ErrorContext{path_, {}, {}});
    if (first_error_.empty()) first_error_ = text;
  }
  // After the (collective) close: every rank throws the same error if any rank failed.
  void agree_on_errors() {
    std::string error = first_error_;
    if (comm_ && comm_->size() > 1) {
      const auto all = comm_->all_gather(first_error_);
      for (std::size_t r = 0; r < all.size() && error.empty(); ++r)
        if (!all[r].empty())
          error = "rank " + std::to_string(r) + " of the writing group: " + all[r];
    }
    if (!error.empty()) throw InputError(error, ErrorContext{path_, {}, {}});
  }

  std::string path_;
  const par::Comm* comm_;
  std::string first_error_;
};

std::unique_ptr<DatasetWriter> create_netcdf4(const std::string& path, const par::Comm* comm);
std::unique_ptr<DatasetWriter> create_cdf5(const std::string& path, const par::Comm* comm);

}  // namespace hyperplume::io::detail
