#include <catch2/catch.hpp>
#include <hyperplume/pipeline/validation.hpp>

using namespace hyperplume;

TEST_CASE("validation statistics: median ratio, robust scatter, coverage of the stated sigma",
          "[pipeline]") {
  // Ratios 0.8, 0.9, 1.0, 1.1, 1.6 of Q = 1000 with sigma 150: within 1 sigma 0.9, 1.0, 1.1.
  const std::vector<double> q(5, 1000.0), sigma(5, 150.0), est{800, 900, 1000, 1100, 1600};
  const auto s = pipeline::ratio_stats(est, sigma, q);
  CHECK(s.n == 5);
  CHECK(s.median == Approx(1.0));
  CHECK(s.scatter == Approx(1.4826 * 0.1));  // |r - 1|: 0.2 0.1 0 0.1 0.6 -> median 0.1
  CHECK(s.within_1sigma == Approx(0.6));
  CHECK(s.within_2sigma == Approx(0.8));
  // Missing estimates and zero truth are left out.
  const auto t = pipeline::ratio_stats({std::nan(""), 500}, {1, 100}, {1000, 0});
  CHECK(t.n == 0);
  CHECK(std::isnan(pipeline::finite_median({})));
  CHECK(pipeline::finite_median({3, std::nan(""), 1, 2, 4}) == Approx(2.5));
}

namespace {
pipeline::ValidationPlume plume(const char* scene, const char* kind, int pass, bool made, double ime) {
  pipeline::ValidationPlume p;
  p.scene = scene;
  p.kind = kind;
  p.surface = "bright";
  p.pass = pass;
  p.q_true = 4000;
  p.wind_true = 3;
  p.made = made;
  if (!made) p.refusal = "no plume";
  p.ime = ime;
  p.ime_sigma = p.csf_sigma = 800;
  p.csf = made ? 3600 : std::nan("");
  return p;
}
}  // namespace

TEST_CASE("the validation report: passes side by side, refusals of sign-flipped markers",
          "[pipeline]") {
  std::vector<pipeline::ValidationPlume> v;
  for (int pass : {1, 2}) {
    v.push_back(plume("A", "plume", pass, true, pass == 1 ? 3000 : 3900));
    v.push_back(plume("F", "sign_flipped", pass, false, std::nan("")));
  }
  const std::string r = pipeline::validation_report(v, "# test\n");
  CHECK(r.find("## Pass 1") != std::string::npos);
  CHECK(r.find("| A | 4.00 | 3.0 | bright | 0.75 | 0.97 | 0.90 | 0.90 |") != std::string::npos);
  CHECK(r.find("Markers on sign-flipped injections: 1, refused 1, positive emission 0") != std::string::npos);
  const std::string csv = pipeline::validation_csv(v);
  CHECK(csv.find("A,plume,bright,2,4000,3,1,,3900,800,3600,800,0.975,0.9,") != std::string::npos);
}

TEST_CASE("the wind calibration the truth implies: a least-squares line", "[pipeline]") {
  const auto f = pipeline::fit_line({1, 2, 3, 4, std::nan("")}, {3, 5, 7, 9, 100});
  CHECK(f.n == 4);
  CHECK(f.slope == Approx(2));
  CHECK(f.intercept == Approx(1));
  CHECK(f.rms == Approx(0).margin(1e-12));
  CHECK(std::isnan(pipeline::fit_line({1, 2}, {1, 2}).slope));
  pipeline::ValidationPlume p;
  p.q_true = 3600;  // 1 kg/s
  p.l_ime = 500;
  p.ime_mass = 100;
  CHECK(p.true_ueff() == Approx(5));
}

TEST_CASE("the fitted wind calibration in the configuration's format, or why there is none",
          "[pipeline]") {
  std::vector<pipeline::ValidationPlume> v;
  for (int i = 0; i < 4; ++i) {
    pipeline::ValidationPlume p;
    p.kind = "plume";
    p.pass = 2;
    p.made = true;
    p.q_true = 3600;  // 1 kg/s
    p.wind_used = 2 + i;
    p.l_ime = 100;
    p.ime_mass = 100 / (0.5 * p.wind_used + 1);  // needs U_eff = 0.5 U10 + 1
    p.ueff_csf = 1.12 * p.wind_used;
    p.csf = 3600;  // right as it is: needs 1.12 U10
    v.push_back(p);
  }
  const std::string ini = pipeline::fitted_calibration_ini(v, "calibration.ch4.point.emit");
  INFO(ini);
  CHECK(ini.find("[calibration.ch4.point.emit]\nime = 0 1.0000 0.5000 0.0000\ncsf = 1.1200 ") != std::string::npos);
  v.resize(2);
  CHECK(pipeline::fitted_calibration_ini(v, "x").find("too few plumes") != std::string::npos);
}
