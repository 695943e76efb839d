// Emission estimates against hand computations: a uniform enhancement over a known rectangle
// gives IME, L_eff, U_eff and Q exactly; the random error matches the noise it samples; the
// uncertainty ensembles are reproducible; degenerate plumes are refused with a reason.
#include <catch2/catch.hpp>
#include <cmath>
#include <hyperplume/core/config.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/column_mass.hpp>
#include <hyperplume/emission/emission_estimate.hpp>
#include <limits>

using namespace hyperplume;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kRes = 60, kPpb = 200, kSp = 95000;
constexpr int kRows = 120, kCols = 100;

// A 10 x 20 pixel rectangle of kPpb with its source at the west end, wind (3, 4) m/s.
struct Case {
  emission::EmissionInputs in;
  emission::WindUsed wind;
  double k = 0;  // kg m-2 per ppb
};

Case uniform_rectangle(double background_sigma_ppb = 0) {
  Case c;
  c.k = emission::column_mass_per_unit("ppb", "ch4", kSp);
  auto& in = c.in;
  in.res = kRes;
  for (int i = 0; i < kCols; ++i) in.x.push_back(500000 + kRes * (i + 0.5));
  for (int i = 0; i < kRows; ++i) in.y.push_back(3.6e6 - kRes * (i + 0.5));
  in.plume = Raster<double>::Constant(kRows, kCols, kNaN);
  in.plume.block(50, 40, 10, 20) = kPpb * c.k;
  in.background = Raster<double>::Zero(kRows, kCols);
  if (background_sigma_ppb > 0) {
    const CounterRng noise(7, 1);
    for (Eigen::Index i = 0; i < in.background.size(); ++i)
      in.background.data()[i] =
          background_sigma_ppb * c.k * noise.normal(static_cast<std::uint64_t>(i));
  }
  in.cm_plume = in.plume;
  in.source_row = 55;
  in.source_col = 40;
  c.wind = emission::choose_wind({{"ERA5", 3.0, 4.0, kNaN}, {"GEOS-FP", 3.2, 3.9, kSp}}, "ERA5",
                                 std::nullopt, std::nullopt);
  return c;
}

emission::CalibrationChoice point_source() {
  return emission::choose_calibration(default_config(), "ch4", "Other", "emit");
}
}  // namespace

TEST_CASE("IME known answer: uniform rectangle, known wind and pressure", "[emission]") {
  const Case c = uniform_rectangle();
  REQUIRE(c.wind.speed == Approx(5.0).epsilon(1e-15));
  REQUIRE(c.wind.surface_pressure == kSp);
  const auto e = emission::estimate_emission(c.in, c.wind, point_source(), CounterRng(1, 2), {});
  // By hand: 200 pixels of 200 ppb; CH4/air molar masses; g = 9.8.
  const double omega = 200e-9 * (16.04e-3 / 28.964e-3) * kSp / 9.8;  // kg m-2
  const double ime = 200 * omega * kRes * kRes;
  const double l_eff = std::sqrt(200 * kRes * kRes);
  const double u_eff = 0.43 + 0.36 * 5.0;
  const double q = u_eff * ime / l_eff * 3600;
  CHECK(e.ime == Approx(ime).epsilon(1e-9));
  CHECK(e.leff_ime == Approx(l_eff).epsilon(1e-9));
  CHECK(e.ueff_ime == Approx(u_eff).epsilon(1e-9));
  CHECK(e.emission == Approx(q).epsilon(1e-9));
  // Calibration error of a point source: |resid| IME / L.
  CHECK(e.uncertainty_calibration == Approx(0.05 * ime / l_eff * 3600).epsilon(1e-9));
  // A zero background has no random error.
  CHECK(e.uncertainty_random == Approx(0).margin(1e-9));
  CHECK(e.background_samples == 100);
  // l_ime: the farthest hull corner from the source pixel (55, 40): (50 or 59, 59).
  CHECK(e.l_ime == Approx(std::hypot(19.0, 5.0) * kRes).epsilon(1e-12));
  // CM over the same pixels with U10: IME U / l_cm, l_cm the same hull distance in metres.
  CHECK(e.l_cm == Approx(std::hypot(19.0, 5.0) * kRes).epsilon(1e-12));
  CHECK(e.emission_cm == Approx(ime * 5.0 / e.l_cm * 3600).epsilon(1e-12));
  // CSF: 1.12 U; a transect across the uniform 10-pixel-wide band holds C = 600 m x omega
  // (the end transects, at the source and at the far edge, cut the band's corners).
  CHECK(e.ueff_csf == Approx(1.12 * 5.0).epsilon(1e-12));
  REQUIRE(e.csf.lines.size() >= 5);
  for (std::size_t i = 1; i + 1 < e.csf.lines.size(); ++i)
    CHECK(e.csf_line_emission[i] == Approx(1.12 * 5.0 * 10 * kRes * omega * 3600).epsilon(0.01));
}

TEST_CASE("area-source calibration error is the point/area U_eff difference", "[emission]") {
  const Case c = uniform_rectangle();
  const auto cal =
      emission::choose_calibration(default_config(), "ch4", "Solid Waste (6A)", "emit");
  CHECK(cal.area_source);
  const auto e = emission::estimate_emission(c.in, c.wind, cal, CounterRng(1, 2), {});
  const double per_wind = e.ime / e.leff_ime * 3600;
  CHECK(e.ueff_ime == Approx(0.64 + 0.39 * 5).epsilon(1e-12));
  CHECK(e.uncertainty_calibration ==
        Approx(std::abs((0.43 + 0.36 * 5) - (0.64 + 0.39 * 5)) * per_wind).epsilon(1e-9));
}

TEST_CASE("manual wind has no wind error; the ensembles are reproducible", "[emission]") {
  Case c = uniform_rectangle(30);
  const auto a = emission::estimate_emission(c.in, c.wind, point_source(), CounterRng(1, 99), {});
  const auto b = emission::estimate_emission(c.in, c.wind, point_source(), CounterRng(1, 99), {});
  const auto other =
      emission::estimate_emission(c.in, c.wind, point_source(), CounterRng(1, 98), {});
  CHECK(a.uncertainty == b.uncertainty);
  CHECK(a.csf_uncertainty == b.csf_uncertainty);
  CHECK(a.uncertainty_random != other.uncertainty_random);
  CHECK(a.uncertainty_wind > 0);
  // sigma_U = 1.5 m/s above 3 m/s, alpha3 = 0.36: the spread of U_eff is 0.54 m/s.
  CHECK(a.uncertainty_wind == Approx(0.36 * 1.5 * a.ime / a.leff_ime * 3600).epsilon(0.06));
  c.wind = emission::choose_wind({{"ERA5", 3.0, 4.0, kNaN}}, "ERA5", 4.0, kSp);
  const auto m = emission::estimate_emission(c.in, c.wind, point_source(), CounterRng(1, 99), {});
  CHECK(m.uncertainty_wind == 0);
  CHECK(m.csf_uncertainty_wind == 0);
  CHECK(m.fetch_uncertainty_wind == 0);
  CHECK(m.ueff_ime == Approx(0.43 + 0.36 * 4).epsilon(1e-12));
}

TEST_CASE("the random error is the background IME spread of the footprint", "[emission]") {
  // White noise of sigma ppb per pixel: a 200-pixel footprint's background IME has a spread of
  // sigma k A sqrt(200); with 100 samples the estimate is within ~15 %.
  const double sigma = 40;
  const Case c = uniform_rectangle(sigma);
  const auto e = emission::estimate_emission(c.in, c.wind, point_source(), CounterRng(3, 4), {});
  const double expected =
      e.ueff_ime * sigma * c.k * kRes * kRes * std::sqrt(200.0) / e.leff_ime * 3600;
  CHECK(e.uncertainty_random == Approx(expected).epsilon(0.2));
  CHECK(e.csf_uncertainty_random > 0);
}

TEST_CASE("degenerate plumes are refused with a reason", "[emission]") {
  Case c = uniform_rectangle();
  const auto cal = point_source();
  SECTION("one pixel") {
    c.in.plume.setConstant(kNaN);
    c.in.plume(55, 40) = kPpb * c.k;
    CHECK_THROWS_WITH(emission::estimate_emission(c.in, c.wind, cal, CounterRng(1, 1), {}),
                      Catch::Contains("too few"));
  }
  SECTION("all negative") {
    c.in.plume = -c.in.plume;
    CHECK_THROWS_WITH(emission::estimate_emission(c.in, c.wind, cal, CounterRng(1, 1), {}),
                      Catch::Contains("not positive"));
  }
  SECTION("all water under land_only") {
    c.in.land = Raster<std::uint8_t>::Zero(kRows, kCols);
    CHECK_THROWS_WITH(emission::estimate_emission(c.in, c.wind, cal, CounterRng(1, 1), {}),
                      Catch::Contains("no land pixels"));
  }
  SECTION("no pressure, no wind") {
    CHECK_THROWS_WITH(emission::choose_wind({{"ERA5", 3.0, 4.0, kNaN}}, "ERA5", {}, {}),
                      Catch::Contains("surface pressure"));
    CHECK_THROWS_WITH(emission::choose_wind({{"ERA5", kNaN, kNaN, kSp}}, "ERA5", {}, {}),
                      Catch::Contains("no wind"));
  }
}
