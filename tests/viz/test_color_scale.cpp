// HyperGas's colour rules (spec l2_l3 §7.5 / §7.4) and matplotlib's lookup.
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/viz/color_scale.hpp>

using namespace hyperplume;
using namespace hyperplume::viz;

namespace {
Raster<float> ramp(int n, float lo, float hi) {
  Raster<float> r(1, n);
  for (int i = 0; i < n; ++i) r(0, i) = lo + (hi - lo) * static_cast<float>(i) / static_cast<float>(n - 1);
  return r;
}
}  // namespace

TEST_CASE("colormaps are matplotlib's tables, looked up as matplotlib does", "[viz]") {
  const Colormap& v = Colormap::viridis();
  REQUIRE(v.size() == 256);
  CHECK(v.entry(0) == Rgba{68, 1, 84, 255});      // #440154
  CHECK(v.entry(255) == Rgba{253, 231, 37, 255});  // #fde725
  CHECK(Colormap::plasma().entry(0) == Rgba{13, 8, 135, 255});
  CHECK(Colormap::plasma().entry(255) == Rgba{240, 249, 33, 255});
  CHECK(Colormap::tab20c().size() == 20);
  CHECK(Colormap::tab20c().entry(0) == Rgba{49, 130, 189, 255});  // #3182bd
  // hot_r starts white and ends near-black red; HyperGas's alpha ramp over the first 30.
  const Colormap& h = Colormap::hot_r_alpha();
  CHECK(h.entry(0).r == 255);
  CHECK(h.entry(0).g == 255);
  CHECK(h.entry(0).a == 51);  // 0.2
  CHECK(h.entry(29).a == 255);
  CHECK(h.entry(255).r == 11);  // 0.0416
  // v in [vmin, vmax]: floor(x N); the ends clip; NaN transparent.
  CHECK(v.map(0.0, 0, 1) == v.entry(0));
  CHECK(v.map(1.0, 0, 1) == v.entry(255));
  CHECK(v.map(0.5, 0, 1) == v.entry(128));
  CHECK(v.map(-3.0, 0, 1) == v.entry(0));
  CHECK(v.map(7.0, 0, 1) == v.entry(255));
  CHECK(v.map(std::nan(""), 0, 1).a == 0);
}

TEST_CASE("L2 colour limits follow HyperGas's table", "[viz]") {
  const Raster<float> field = ramp(1001, -100.0f, 900.0f);
  SECTION("gas fields: plasma, vmin 0, the fixed vmax per unit, or the user's") {
    const ColorScale s = l2_color_scale("ch4", "ch4", "ppb", field, std::nullopt);
    CHECK(s.colormap == &Colormap::plasma());
    CHECK(s.vmin == 0.0);
    CHECK(s.vmax == Approx(300.0));
    CHECK(l2_color_scale("ch4_comb", "ch4", "ppm", field, std::nullopt).vmax == Approx(0.3));
    CHECK(l2_color_scale("ch4", "ch4", "ppm m", field, std::nullopt).vmax == Approx(2400.0));
    CHECK(l2_color_scale("ch4", "ch4", "umol m-2", field, std::nullopt).vmax == Approx(300.0 / 2900.0 * 1e6));
    CHECK(l2_color_scale("co2", "co2", "ppm", field, std::nullopt).vmax == Approx(10.0));
    CHECK(l2_color_scale("no2", "no2", "umol m-2", field, std::nullopt).vmax == Approx(80.0).epsilon(1e-3));
    CHECK(l2_color_scale("ch4", "ch4", "ppb", field, 500.0).vmax == 500.0);
    CHECK(l2_color_scale("ch4", "ch4", "ppb", field, -5.0).vmax == 1.0);
    CHECK_THROWS_AS(l2_color_scale("co", "co", "ppb", field, std::nullopt), InputError);
  }
  SECTION("denoised fields: mean -> q99; a smaller user vmax wins; vmax < vmin -> vmin + 1") {
    const ColorScale s = l2_color_scale("ch4_comb_denoise", "ch4", "ppb", field, std::nullopt);
    CHECK(s.vmin == Approx(400.0));
    CHECK(s.vmax == Approx(890.0));  // numpy.nanquantile(linspace(-100, 900, 1001), 0.99)
    CHECK(l2_color_scale("ch4_denoise", "ch4", "ppb", field, 600.0).vmax == 600.0);
    CHECK(l2_color_scale("ch4_denoise", "ch4", "ppb", field, 2000.0).vmax == Approx(890.0));
    CHECK(l2_color_scale("ch4_denoise", "ch4", "ppb", field, 100.0).vmax == Approx(401.0));
  }
  SECTION("radiance_2100: viridis q01 - q99") {
    const ColorScale s = l2_color_scale("radiance_2100", "", "", field, std::nullopt);
    CHECK(s.colormap == &Colormap::viridis());
    CHECK(s.vmin == Approx(-90.0));
    CHECK(s.vmax == Approx(890.0));
  }
}

TEST_CASE("mask labels of at most 5 pixels and the background are hidden", "[viz]") {
  Raster<float> labels = Raster<float>::Zero(4, 10);
  labels.row(0).setConstant(1.0f);             // 10 px: drawn
  labels.block(1, 0, 1, 5).setConstant(2.0f);  // 5 px: hidden
  labels(2, 0) = std::nanf("");
  labels.block(3, 0, 1, 6).setConstant(3.0f);  // 6 px: drawn
  const ColorScale s = l2_color_scale("ch4_mask", "ch4", "ppb", labels, std::nullopt);
  CHECK(s.colormap == &Colormap::tab20c());
  CHECK(s.vmin == 0.0);
  CHECK(s.vmax == 3.0);
  const RgbaImage img = colorize(labels, s);
  CHECK(img.at(0, 0).a == 255);
  CHECK(img.at(1, 0).a == 0);
  CHECK(img.at(1, 7).a == 0);  // background
  CHECK(img.at(2, 0).a == 0);  // NaN
  CHECK(img.at(3, 0) == Colormap::tab20c().entry(19));
  CHECK(img.at(0, 0) == Colormap::tab20c().entry(6));  // floor(1/3 * 20)
}

TEST_CASE("the plume figure's vmax is q99 rounded up to 50 ppb (CH4) or 5 ppm (CO2)", "[viz]") {
  const Raster<float> field = ramp(101, 0.0f, 212.0f);
  const ColorScale s = plume_color_scale("ch4", "ppb", field);
  CHECK(s.colormap == &Colormap::hot_r_alpha());
  CHECK(s.vmin == 0.0);
  CHECK(s.vmax == Approx(250.0));
  CHECK(plume_color_scale("ch4", "ppm", ramp(101, 0.0f, 0.212f)).vmax == Approx(0.25));
  CHECK(plume_color_scale("co2", "ppm", ramp(101, 0.0f, 12.0f)).vmax == Approx(15.0));
}

TEST_CASE("true colour: [0, 1] planes to bytes, NaN transparent", "[viz]") {
  std::array<Raster<float>, 3> rgb = {Raster<float>::Constant(1, 2, 0.5f), Raster<float>::Constant(1, 2, 1.5f),
                                      Raster<float>::Constant(1, 2, 0.0f)};
  rgb[2](0, 1) = std::nanf("");
  const RgbaImage img = true_color_image(rgb);
  CHECK(img.at(0, 0) == Rgba{128, 255, 0, 255});
  CHECK(img.at(0, 1).a == 0);
}
