#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/constants.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/retrieval/absorption_model.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
// A resources directory with HyperGas-format absorption files: one layer, CH4 cross
// sections derived from the mag1c LUT's optical depth at 1000 ppm·m (the LUT describes a
// vertical two-way path, air mass 2), and an H2O "background" whose transmission at air
// mass 2 reproduces the shape of the LUT's zero-enhancement radiance, so both paths
// weight the wavelengths within a band alike.
const Resources& model_resources() {
  static test::TempDir dir("absorption-model");
  static const Resources res = [] {
    const fs::path root = dir.path();
    for (const char* sub : {"solar", "noise", "surface", "atmosphere"})
      fs::create_directory_symlink(test::resources().root() / sub, root / sub);
    fs::create_directories(root / "absorption");
    for (const char* f : {"mag1c_ch4.lut", "mag1c_ch4.hdr"})
      fs::create_symlink(test::resources().root() / "absorption" / f, root / "absorption" / f);
    const auto& lut = test::models().lut;
    const double per_ppm_m = 1e-6 * constants::kLoschmidt * 1e-4;  // molecules cm-2 per ppm·m
    std::vector<double> sigma(lut.samples()), background(lut.samples()), zero(lut.samples(), 0.0);
    double lmax = 0;
    for (std::size_t k = 0; k < lut.samples(); ++k) lmax = std::max(lmax, lut.radiance(k, 0));
    for (std::size_t k = 0; k < lut.samples(); ++k) {
      sigma[k] = lut.optical_depth(k, 1000.0) / (2.0 * 1000.0 * per_ppm_m);
      background[k] = -std::log(lut.radiance(k, 0) / lmax) / 2.0;  // per molecule cm-2, column 1
    }
    for (const char* model : {"tropical", "midlatitudesummer", "midlatitudewinter",
                              "subarcticsummer", "subarcticwinter"}) {
      std::ofstream(root / "absorption" / (std::string("atmosphere_") + model + ".dat"))
          << "# thickness pressure temperature H2O CO2 O3 N2O CO CH4 "
             "O2\n1.0\t1013.0\t288.0\t1\t0\t0\t0\t0\t0\t0\n";
      io::NcFile f(
          (root / "absorption" / (std::string("absorption_cs_ALL_") + model + ".nc")).string(),
          io::NcFile::Mode::create_netcdf4);
      const int dw = f.def_dim(f.id(), "wavelength", lut.samples()),
                dl = f.def_dim(f.id(), "layer", 1);
      const int vw = f.def_var(f.id(), "wavelength", NC_DOUBLE, {dw});
      std::vector<int> vars;
      for (const char* g : {"abs_H2O", "abs_CO2", "abs_N2O", "abs_CO", "abs_CH4"})
        vars.push_back(f.def_var(f.id(), g, NC_DOUBLE, {dw, dl}));
      f.enddef();
      nc_put_var_double(f.id(), vw, lut.wavelengths().data());
      for (std::size_t i = 0; i < vars.size(); ++i)
        nc_put_var_double(f.id(), vars[i],
                          i == 4 ? sigma.data() : (i == 0 ? background.data() : zero.data()));
      f.close();
    }
    return Resources(root, "test");
  }();
  return res;
}
}  // namespace

TEST_CASE("AFGL model choice and Young's air mass follow HyperGas", "[retrieval]") {
  CHECK(retrieval::afgl_model(32, 226, "ch4") == "midlatitudesummer");
  CHECK(retrieval::afgl_model(32, 20, "ch4") == "midlatitudewinter");
  CHECK(retrieval::afgl_model(-32, 20, "ch4") == "midlatitudesummer");
  CHECK(retrieval::afgl_model(5, 20, "co2") == "tropical");
  CHECK(retrieval::afgl_model(65, 200, "ch4") == "subarcticsummer");
  CHECK(retrieval::afgl_model(65, 200, "no2") == "standard");
  CHECK(retrieval::young_air_mass(0) == Approx(1.0).epsilon(1e-5));
  CHECK(retrieval::young_air_mass(60) == Approx(1.99).epsilon(0.01));
}

TEST_CASE("model-path and LUT-path unit spectra agree for EMIT's CH4 window", "[retrieval]") {
  const auto window = test::emit_window(2110, 2450);
  const std::vector<double>& centres = window.centres;
  const std::vector<double>& fwhm = window.fwhm;
  const auto model =
      retrieval::load_absorption_model(model_resources(), "midlatitudesummer", 2050, 2510);
  const auto km = retrieval::unit_spectrum_from_model(model, "ch4", centres, fwhm,
                                                      {0, 0.05, 0.1, 0.2}, 0.0, 0.0);
  const auto kl = retrieval::unit_spectrum_from_lut(test::models().lut, centres, fwhm,
                                                    {0, 500, 1000, 2000}, 2.0, 101325.0);
  // Same physics in different units: 1 ppm of column (HyperGas: 1000/2900 mol m-2) is
  // 1000/2900 * N_A / (1e-6 n_L) ppm·m.
  const double ppm_m_per_ppm = 1000.0 / 2900.0 * 6.023e23 / (1e-6 * constants::kLoschmidt);
  double sxy = 0, sxx = 0, syy = 0, kmax = 0;
  for (double k : km.k) kmax = std::max(kmax, std::abs(k));
  for (std::size_t b = 0; b < centres.size(); ++b) {
    const double a = km.k[b], c = kl.k[b] * ppm_m_per_ppm;
    sxy += a * c;
    sxx += a * a;
    syy += c * c;
    if (std::abs(a) > 0.2 * kmax) {
      INFO("band " << centres[b] << " nm: model " << a << ", LUT " << c);
      CHECK(a == Approx(c).epsilon(0.03));
    }
  }
  CHECK(sxy / std::sqrt(sxx * syy) > 0.995);
  CHECK(km.column_to_ppb == 1000.0);
}

TEST_CASE("the L2 chain retrieves with the model path and matches the LUT path", "[retrieval]") {
  const auto& camp = test::small_campaign();
  Config lut_cfg = default_config();
  lut_cfg.paths.osm_dir = (fs::path(camp.ancillary_dir) / "osm_worldcover").string();
  Config model_cfg = lut_cfg;
  model_cfg.species["ch4"].rad_source = "model";
  model_cfg.species["ch4"].concentrations = {0, 0.05, 0.1, 0.2};
  const auto a = pipeline::retrieve_l2(camp.scenes[0].rad_path, lut_cfg, model_resources(), {});
  const auto b = pipeline::retrieve_l2(camp.scenes[0].rad_path, model_cfg, model_resources(), {});
  const auto& x = a.field("ch4")->values;
  const auto& y = b.field("ch4")->values;
  double sxy = 0, sxx = 0, syy = 0, sx = 0, sy = 0;
  long n = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (std::isfinite(x.data()[i]) && std::isfinite(y.data()[i])) {
      sx += x.data()[i];
      sy += y.data()[i];
      sxy += double(x.data()[i]) * y.data()[i];
      sxx += double(x.data()[i]) * x.data()[i];
      syy += double(y.data()[i]) * y.data()[i];
      ++n;
    }
  REQUIRE(n > 1000);
  const double cov = sxy / n - sx / n * sy / n, vx = sxx / n - sx / n * sx / n,
               vy = syy / n - sy / n * sy / n;
  CHECK(cov / std::sqrt(vx * vy) > 0.98);
  CHECK(std::sqrt(vy / vx) == Approx(1.0).epsilon(0.1));
}

TEST_CASE("missing cross-section files are named", "[retrieval]") {
  Config cfg = default_config();
  cfg.species["ch4"].rad_source = "model";
  cfg.species["ch4"].concentrations = {0, 0.1};
  cfg.paths.osm_dir = (fs::path(test::small_campaign().ancillary_dir) / "osm_worldcover").string();
  CHECK_THROWS_WITH(
      pipeline::retrieve_l2(test::small_campaign().scenes[0].rad_path, cfg, test::resources(), {}),
      Catch::Contains("atmosphere_midlatitudesummer.dat") && Catch::Contains("[target]"));
}
