// The per-plume figure read back as pixels: its size at 300 dpi, the source circle at the
// centre of the map panel, the plume's peak where its lon/lat says, hot_r in the colour bar,
// wind arrows only in the full figure, and an all-NaN field refused.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/viz/colormap.hpp>
#include <hyperplume/viz/image.hpp>
#include <hyperplume/viz/plume_figure.hpp>
#include <limits>
#include <string>

using namespace hyperplume;
using namespace hyperplume::viz;

namespace {

constexpr double kSourceLon = -103.0, kSourceLat = 32.0;
constexpr double kPeakEast = 500, kPeakNorth = 500;  // plume peak from the source (m)
constexpr double kPadDeg = 0.015;
constexpr float kGreen[3] = {0.1f, 0.5f, 0.1f};  // the basemap: one colour, to find the panel

// A 200 x 200 grid of 30 m pixels around the source in UTM 13N; the source on a pixel centre.
PlumeFigure synthetic_figure() {
  PlumeFigure f;
  f.projection = geo::TransverseMercator::utm(13, true);
  f.source_longitude = kSourceLon;
  f.source_latitude = kSourceLat;
  double sx = 0, sy = 0;
  f.projection.forward(kSourceLon, kSourceLat, sx, sy);
  const int n = 200;
  const double res = 30;
  f.grid = {n, n, sx - 100 * res, sy + 100 * res, res, -res};
  f.field = Raster<float>::Constant(n, n, std::numeric_limits<float>::quiet_NaN());
  for (std::size_t k = 0; k < 3; ++k) f.rgb[k] = Raster<float>::Constant(n, n, kGreen[k]);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const double dx = c * res - 100 * res - kPeakEast, dy = 100 * res - r * res - kPeakNorth;
      const double v = 400 * std::exp(-(dx * dx + dy * dy) / (2 * 150.0 * 150.0));
      if (v > 20) f.field(r, c) = static_cast<float>(v);
    }
  f.pad_deg = kPadDeg;
  f.datetime = "2023-08-12 17:43:51";
  f.winds = {{"ERA5", 3.0, 1.0}, {"GEOS-FP", 2.0, 2.5}};
  f.emission = 1500;
  f.emission_sigma = 300;
  for (int i = 0; i < 4; ++i) {  // transects beyond the peak, across the plume axis
    const double d = 1000 + 150.0 * i;
    const double cx = sx + d / std::sqrt(2.0), cy = sy + d / std::sqrt(2.0);
    f.csf_lines.push_back({cx - 300, cy + 300, cx + 300, cy - 300});
    f.csf_line_emission.push_back(1400 + 100.0 * i);
  }
  f.csf_centre = {{sx, sy}, {sx + 1500, sy + 1500}};
  f.emission_csf = 1550;
  f.emission_csf_sigma = 200;
  return f;
}

RgbaImage render_and_read(const PlumeFigure& f, const std::string& name) {
  const std::string png = render_plume_figure(f);
  REQUIRE(png.substr(1, 3) == "PNG");
  const auto path = std::filesystem::temp_directory_path() /
                    ("hyperplume_test_" + std::to_string(::getpid()) + "_" + name + ".png");
  std::ofstream(path, std::ios::binary) << png;
  RgbaImage image = read_png(path.string());
  std::filesystem::remove(path);
  return image;
}

bool near(const Rgba& p, int r, int g, int b, int tol) {
  return std::abs(p.r - r) <= tol && std::abs(p.g - g) <= tol && std::abs(p.b - b) <= tol;
}

struct Box {
  int top = 1 << 30, left = 1 << 30, bottom = -1, right = -1;  // inclusive
  long count = 0;
  double sum_r = 0, sum_c = 0;
  void add(int r, int c) {
    top = std::min(top, r), bottom = std::max(bottom, r), left = std::min(left, c),
    right = std::max(right, c);
    ++count, sum_r += r, sum_c += c;
  }
  double mean_r() const { return sum_r / static_cast<double>(count); }
  double mean_c() const { return sum_c / static_cast<double>(count); }
  int width() const { return right - left + 1; }
  int height() const { return bottom - top + 1; }
};

// The map panel: where the one-colour basemap shows.
Box find_panel(const RgbaImage& im) {
  Box b;
  const int g[3] = {static_cast<int>(std::lround(kGreen[0] * 255)),
                    static_cast<int>(std::lround(kGreen[1] * 255)),
                    static_cast<int>(std::lround(kGreen[2] * 255))};
  for (int r = 0; r < im.rows; ++r)
    for (int c = 0; c < im.cols; ++c)
      if (near(im.at(r, c), g[0], g[1], g[2], 2)) b.add(r, c);
  return b;
}

template <class Pred>
Box pixels_where(const RgbaImage& im, int top, int left, int bottom, int right, Pred pred) {
  Box b;
  for (int r = std::max(0, top); r <= std::min(im.rows - 1, bottom); ++r)
    for (int c = std::max(0, left); c <= std::min(im.cols - 1, right); ++c)
      if (pred(im.at(r, c))) b.add(r, c);
  return b;
}

Rgba over_white(const Rgba& c) {
  auto ch = [&](std::uint8_t v) {
    return static_cast<std::uint8_t>(std::lround((c.a * v + (255 - c.a) * 255) / 255.0));
  };
  return {ch(c.r), ch(c.g), ch(c.b), 255};
}

}  // namespace

TEST_CASE("plume figure: 9 x 5 in at 300 dpi, source circle at the panel centre, plume where it is",
          "[viz]") {
  const PlumeFigure f = synthetic_figure();
  const RgbaImage im = render_and_read(f, "full");
  REQUIRE(im.cols == 2700);
  REQUIRE(im.rows == 1500);

  const Box panel = find_panel(im);
  REQUIRE(panel.count > 500'000);
  CHECK(std::abs(panel.width() - panel.height()) <= 2);  // plate carrée: equal degrees
  CHECK(panel.right < im.cols / 2);                      // the CSF panel takes the right half
  const double centre_r = (panel.top + panel.bottom) / 2.0,
               centre_c = (panel.left + panel.right) / 2.0;

  // The yellow ring around the source: 14 pt across, 2 pt thick, at the panel centre.
  const Box ring =
      pixels_where(im, static_cast<int>(centre_r) - 80, static_cast<int>(centre_c) - 80,
                   static_cast<int>(centre_r) + 80, static_cast<int>(centre_c) + 80,
                   [](const Rgba& p) { return p.r > 230 && p.g > 230 && p.b < 60; });
  REQUIRE(ring.count > 500);
  CHECK(std::abs(ring.mean_r() - centre_r) < 2.5);
  CHECK(std::abs(ring.mean_c() - centre_c) < 2.5);
  CHECK(ring.width() > 55);
  CHECK(ring.width() < 75);

  // The plume's saturated core (hot_r's near-black top) at the peak's lon/lat.
  double sx = 0, sy = 0, lon = 0, lat = 0;
  f.projection.forward(kSourceLon, kSourceLat, sx, sy);
  f.projection.inverse(sx + kPeakEast, sy + kPeakNorth, lon, lat);
  const double expect_c =
      panel.left + (lon - (kSourceLon - kPadDeg)) / (2 * kPadDeg) * panel.width();
  const double expect_r =
      panel.top + ((kSourceLat + kPadDeg) - lat) / (2 * kPadDeg) * panel.height();
  const Box core =
      pixels_where(im, panel.top + 12, panel.left + 12, static_cast<int>(centre_r),
                   panel.right - 12, [](const Rgba& p) { return p.r + p.g + p.b < 40; });
  REQUIRE(core.count > 50);
  CHECK(std::abs(core.mean_c() - expect_c) < 8);
  CHECK(std::abs(core.mean_r() - expect_r) < 8);

  // White arrows and labels (non-minimal) in the lower left quarter of the panel.
  const Box white = pixels_where(im, static_cast<int>(centre_r), panel.left, panel.bottom,
                                 static_cast<int>(centre_c),
                                 [](const Rgba& p) { return near(p, 255, 255, 255, 0); });
  CHECK(white.count > 300);

  // hot_r in the colour bar under the panel: low values to the left of high ones.
  const Colormap& cmap = Colormap::hot_r_alpha();
  auto find_entry = [&](std::size_t k) {
    const Rgba e = over_white(cmap.entry(k));
    return pixels_where(im, panel.bottom + 10, panel.left, im.rows - 1, panel.right,
                        [&](const Rgba& p) { return near(p, e.r, e.g, e.b, 3); });
  };
  const Box low = find_entry(64), mid = find_entry(128), high = find_entry(200);
  REQUIRE(mid.count > 40);
  REQUIRE(low.count > 40);
  REQUIRE(high.count > 40);
  CHECK(low.mean_c() < mid.mean_c());
  CHECK(mid.mean_c() < high.mean_c());
  CHECK(std::abs(mid.mean_c() - (panel.left + 0.5 * panel.width())) < 0.1 * panel.width());
  CHECK(mid.height() > 30);  // a bar 10 pt high, not a line

  // The CSF panel's line (matplotlib's C0 blue) on the right half.
  const Box blue = pixels_where(im, 0, im.cols / 2, im.rows - 1, im.cols - 1,
                                [](const Rgba& p) { return near(p, 31, 119, 180, 4); });
  CHECK(blue.count > 1000);
}

TEST_CASE("plume figure: minimal mode is 5 x 5.5 in, no CSF panel, no wind arrows", "[viz]") {
  PlumeFigure f = synthetic_figure();
  f.minimal = true;
  const RgbaImage im = render_and_read(f, "minimal");
  REQUIRE(im.cols == 1500);
  REQUIRE(im.rows == 1650);
  const Box panel = find_panel(im);
  REQUIRE(panel.count > 500'000);
  CHECK(std::abs(panel.width() - panel.height()) <= 2);
  const Box white =
      pixels_where(im, panel.top + 4, panel.left + 4, panel.bottom - 4, panel.right - 4,
                   [](const Rgba& p) { return near(p, 255, 255, 255, 0); });
  CHECK(white.count == 0);
  const Box blue = pixels_where(im, 0, 0, im.rows - 1, im.cols - 1,
                                [](const Rgba& p) { return near(p, 31, 119, 180, 4); });
  CHECK(blue.count == 0);
}

TEST_CASE("plume figure: without a CSF estimate the figure is the single panel", "[viz]") {
  PlumeFigure f = synthetic_figure();
  f.emission_csf = std::numeric_limits<double>::quiet_NaN();
  const RgbaImage im = render_and_read(f, "no_csf");
  CHECK(im.cols == 1500);
  CHECK(im.rows == 1650);
}

TEST_CASE("plume figure: a field with no finite value is an input error", "[viz]") {
  PlumeFigure f = synthetic_figure();
  f.field.setConstant(std::numeric_limits<float>::quiet_NaN());
  CHECK_THROWS_AS(render_plume_figure(f), InputError);
  try {
    render_plume_figure(f);
  } catch (const InputError& e) {
    CHECK(e.message() == "the plume field has no finite value");
  }
}
