#pragma once
// ENVI raster files (header + raw binary), as used by the reference resources
// (mag1c CH4 LUT, ECOSTRESS surface library).
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace hyperplume::io {

struct EnviHeader {
  std::size_t samples = 0, lines = 0, bands = 0, header_offset = 0;
  int data_type = 0;       // 4 = float32, 5 = float64, 2 = int16, 12 = uint16 ...
  int byte_order = 0;      // 0 = little endian
  std::string interleave;  // bsq, bil, bip
  std::vector<double> wavelength;
  std::map<std::string, std::string> fields;  // every key, raw text
};

EnviHeader read_envi_header(const std::string& hdr_path);

// The whole image as float64, indexed [line][sample][band] whatever the interleave.
struct EnviImage {
  EnviHeader header;
  std::vector<double> data;
  double operator()(std::size_t line, std::size_t sample, std::size_t band) const {
    return data[(line * header.samples + sample) * header.bands + band];
  }
};

// data_path: the binary file; its header is data_path + ".hdr" or with the extension
// replaced by .hdr. Throws InputError naming the file on any inconsistency.
EnviImage read_envi(const std::string& data_path);

}  // namespace hyperplume::io
