#include <catch2/catch.hpp>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/envi.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("ENVI images read the same whatever the interleave", "[io]") {
  test::TempDir dir("envi");
  // 2 lines x 3 samples x 2 bands; value = 100 line + 10 sample + band.
  const std::pair<const char*, std::vector<float>> cases[] = {
      {"bsq", {0, 10, 20, 100, 110, 120, 1, 11, 21, 101, 111, 121}},
      {"bil", {0, 10, 20, 1, 11, 21, 100, 110, 120, 101, 111, 121}},
      {"bip", {0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121}},
  };
  for (const auto& [interleave, values] : cases) {
    const std::string data = dir.str(std::string("img_") + interleave);
    std::ofstream(data, std::ios::binary)
        .write(reinterpret_cast<const char*>(values.data()),
               static_cast<std::streamsize>(values.size() * 4));
    std::ofstream(data + ".hdr")
        << "ENVI\nsamples = 3\nlines = 2\nbands = 2\nheader offset = 0\ndata type = 4\n"
        << "interleave = " << interleave << "\nbyte order = 0\nwavelength = {\n 500.5, 600.25}\n";
    const auto img = io::read_envi(data);
    CHECK(img.header.wavelength == std::vector<double>{500.5, 600.25});
    for (std::size_t l = 0; l < 2; ++l)
      for (std::size_t s = 0; s < 3; ++s)
        for (std::size_t b = 0; b < 2; ++b)
          CHECK(img(l, s, b) == static_cast<double>(100 * l + 10 * s + b));
  }
  // A truncated data file is named.
  const std::string data = dir.str("img_bsq");
  std::ofstream(data, std::ios::binary | std::ios::trunc) << "abc";
  CHECK_THROWS_WITH(io::read_envi(data), Catch::Contains("truncated") && Catch::Contains(data));
}
