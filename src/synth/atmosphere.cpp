#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/io/text_table.hpp>
#include <hyperplume/spectral/srf.hpp>
#include <hyperplume/synth/atmosphere.hpp>
#include <numbers>
#include <sstream>

namespace hyperplume::synth {

const std::vector<AtmosphereState>& available_atmospheres() {
  static const std::vector<AtmosphereState> states{
      {0.01, 1.5}, {0.01, 2.0}, {0.1, 1.5}, {0.1, 2.0}};
  return states;
}

namespace {
std::string stem(const AtmosphereState& s) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "atmosphere/libradtran/LUT_AOT550-%.4f_H2OSTR-%.4f", s.aot550,
                s.h2o_cm);
  return buf;
}

// The .inp file's "time YYYY MM DD hh mm ss" line gives the run's date.
int read_run_day_of_year(const std::string& inp) {
  std::ifstream in(inp);
  if (!in) throw InputError("cannot open libRadtran input", ErrorContext{inp, {}, {}});
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    if (key == "time") {
      int y, m, d;
      if (ls >> y >> m >> d)
        return static_cast<int>(days_from_civil(y, m, d) - days_from_civil(y, 1, 1)) + 1;
    }
  }
  throw InputError("libRadtran input has no 'time' line", ErrorContext{inp, {}, {}});
}

// The .zen file: "hh:mm:ss  sza  saa".
double read_run_sza(const std::string& zen) {
  std::ifstream in(zen);
  std::string hms;
  double sza = 0, saa = 0;
  if (!(in >> hms >> sza >> saa))
    throw InputError("cannot read solar geometry", ErrorContext{zen, {}, {}});
  return sza;
}
}  // namespace

BandAtmosphere BandAtmosphere::load(const Resources& res, const AtmosphereState& state,
                                    const std::vector<double>& centres,
                                    const std::vector<double>& fwhm) {
  const std::string base = stem(state);
  io::TextTable runs[3] = {io::read_text_table(res.file(base + "_alb0.out"), 3),
                           io::read_text_table(res.file(base + "_alb025.out"), 3),
                           io::read_text_table(res.file(base + "_alb05.out"), 3)};
  const std::vector<double>& wl = runs[0].columns[0];
  for (const auto& r : runs)
    if (r.rows() != wl.size() || r.columns[0] != wl)
      throw InputError("libRadtran runs of one state have different wavelength grids",
                       ErrorContext{res.file(base + "_alb0.out"), {}, {}});
  const std::size_t n = wl.size();
  std::vector<double> l0(n), g(n), s(n);
  // mW m-2 sr-1 nm-1 -> uW cm-2 sr-1 nm-1
  constexpr double kUnit = 0.1;
  for (std::size_t k = 0; k < n; ++k) {
    const double a = runs[0].columns[1][k] * kUnit;
    const double d1 = runs[1].columns[1][k] * kUnit - a;  // albedo 0.25
    const double d2 = runs[2].columns[1][k] * kUnit - a;  // albedo 0.5
    // d(rho) = rho G / (1 - S rho) at rho = 1/4 and 1/2.
    double sph = (d2 != d1) ? 2.0 * (d2 - 2.0 * d1) / (d2 - d1) : 0.0;
    if (!std::isfinite(sph) || d1 <= 0) sph = 0.0;  // opaque bands: no surface signal
    l0[k] = a;
    s[k] = std::clamp(sph, 0.0, 0.9);
    g[k] = std::max(0.0, 4.0 * d1 * (1.0 - 0.25 * s[k]));
  }
  const spectral::SrfConvolver srf(wl, centres, fwhm);
  BandAtmosphere atm;
  atm.l0_ = srf.apply(l0);
  atm.g_ = srf.apply(g);
  atm.s_ = srf.apply(s);
  atm.run_sza_ = read_run_sza(res.file(base + ".zen"));
  atm.run_doy_ = read_run_day_of_year(res.file(base + "_alb0.inp"));
  return atm;
}

double illumination_scale(double sza, double run_sza, double esd, double run_esd) {
  constexpr double kDeg = std::numbers::pi / 180.0;
  const double c = std::max(0.0, std::cos(sza * kDeg));
  return c / std::cos(run_sza * kDeg) * (run_esd * run_esd) / (esd * esd);
}

}  // namespace hyperplume::synth
