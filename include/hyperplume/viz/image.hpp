#pragma once
// A picture in memory: straight (not premultiplied) 8-bit RGBA, row-major, row 0 at the top.
// What the colour rules produce, what is resampled onto the web map's grid and what the
// PNG encoder writes.
#include <cstdint>
#include <string>
#include <vector>

namespace hyperplume::viz {

struct Rgba {
  std::uint8_t r = 0, g = 0, b = 0, a = 0;
  bool operator==(const Rgba&) const = default;
};

struct RgbaImage {
  int rows = 0, cols = 0;
  std::vector<Rgba> pixels;  // rows * cols; a == 0: transparent (no data, outside the swath)
  RgbaImage() = default;
  RgbaImage(int r, int c) : rows(r), cols(c), pixels(static_cast<std::size_t>(r) * static_cast<std::size_t>(c)) {}
  Rgba& at(int r, int c) { return pixels[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)]; }
  const Rgba& at(int r, int c) const {
    return pixels[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)];
  }
};

// PNG file bytes (libpng): palette + transparency when the picture has at most 256
// colours (every colormapped one), 8-bit RGBA otherwise; lossless either way.
std::string encode_png(const RgbaImage& image);
// A PNG file back (for tests and for composing figures); InputError naming the file.
RgbaImage read_png(const std::string& path);

// "data:image/png;base64,..." for embedding in a page.
std::string png_data_url(const std::string& png_bytes);
std::string base64(const std::string& bytes);

}  // namespace hyperplume::viz
