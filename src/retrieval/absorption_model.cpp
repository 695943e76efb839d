#include <netcdf.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/retrieval/absorption_model.hpp>
#include <hyperplume/spectral/srf.hpp>
#include <numbers>
#include <sstream>

namespace hyperplume::retrieval {

namespace {
const std::vector<std::string> kAtmosphereColumns{
    "thickness", "pressure", "temperature", "H2O", "CO2", "O3", "N2O", "CO", "CH4", "O2", "NO2"};
const std::vector<std::string> kAbsorbers{"H2O", "CO2", "N2O", "CO", "CH4"};

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}
}  // namespace

std::string afgl_model(double lat, int doy, const std::string& gas) {
  if (gas == "no2") return "standard";
  const bool north_summer_half = !(doy < 121 || doy > 274);
  const bool summer = north_summer_half ? lat >= 0 : lat < 0;
  if (std::abs(lat) <= 15) return "tropical";
  if (std::abs(lat) >= 60) return summer ? "subarcticsummer" : "subarcticwinter";
  return summer ? "midlatitudesummer" : "midlatitudewinter";
}

double young_air_mass(double z) {
  const double c = std::cos(z * std::numbers::pi / 180.0);
  return (1.002432 * c * c + 0.148386 * c + 0.0096467) /
         (c * c * c + 0.149864 * c * c + 0.0102963 * c + 0.000303978);
}

AbsorptionModel load_absorption_model(const Resources& res, const std::string& model, double lo,
                                      double hi) {
  AbsorptionModel m;
  // Atmosphere: tab-separated layers, '#' comments, no header.
  const std::string atm_path = res.file("absorption/atmosphere_" + model + ".dat");
  std::ifstream in(atm_path);
  std::string line;
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::vector<double> r;
    double v;
    while (ls >> v) r.push_back(v);
    if (r.size() < 10)
      throw InputError(
          "atmosphere layer with " + std::to_string(r.size()) + " columns, expected at least 10",
          ErrorContext{atm_path, {}, {}});
    rows.push_back(r);
  }
  if (rows.empty())
    throw InputError("atmosphere file has no layers", ErrorContext{atm_path, {}, {}});
  m.layers = rows.size();
  for (std::size_t c = 3; c < kAtmosphereColumns.size(); ++c) {
    std::vector<double> col;
    for (const auto& r : rows) col.push_back(c < r.size() ? r[c] : 0.0);
    m.column[kAtmosphereColumns[c]] = col;
  }
  // Cross sections: abs_<GAS>(wavelength, layer) or (layer, wavelength).
  const std::string cs_path = res.file("absorption/absorption_cs_ALL_" + model + ".nc");
  io::NcFile f(cs_path, io::NcFile::Mode::read);
  const int wv = f.var(f.id(), "wavelength");
  std::vector<double> wl(f.var_shape(f.id(), wv).at(0));
  io::nc_check(nc_get_var_double(f.id(), wv, wl.data()), cs_path, "cannot read wavelength");
  const auto first =
      static_cast<std::size_t>(std::lower_bound(wl.begin(), wl.end(), lo) - wl.begin());
  const auto last =
      static_cast<std::size_t>(std::upper_bound(wl.begin(), wl.end(), hi) - wl.begin());
  if (last <= first + 1)
    throw InputError(
        "cross sections do not cover " + std::to_string(lo) + "-" + std::to_string(hi) + " nm",
        ErrorContext{cs_path, {}, {}});
  m.wavelength.assign(wl.begin() + static_cast<std::ptrdiff_t>(first),
                      wl.begin() + static_cast<std::ptrdiff_t>(last));
  const std::size_t n = m.wavelength.size();
  for (const auto& gas : kAbsorbers) {
    const std::string name = "abs_" + gas;
    if (!f.has_var(f.id(), name))
      throw InputError("missing cross-section variable '" + name + "'",
                       ErrorContext{cs_path, {}, {}});
    const int v = f.var(f.id(), name);
    const auto dims = f.var_dim_names(f.id(), v);
    const auto shape = f.var_shape(f.id(), v);
    if (dims.size() != 2)
      throw InputError("'" + name + "' is not 2-D", ErrorContext{cs_path, {}, {}});
    const bool wl_first = dims[0] == "wavelength";
    const std::size_t nl = wl_first ? shape[1] : shape[0];
    if (nl != m.layers)
      throw InputError("'" + name + "' has " + std::to_string(nl) + " layers, the atmosphere " +
                           std::to_string(m.layers),
                       ErrorContext{cs_path, {}, {}});
    std::vector<double> sig(n * nl);
    if (wl_first) {
      const std::size_t start[2] = {first, 0}, count[2] = {n, nl};
      io::nc_check(nc_get_vara_double(f.id(), v, start, count, sig.data()), cs_path,
                   "cannot read " + name);
    } else {
      std::vector<double> t(n * nl);
      const std::size_t start[2] = {0, first}, count[2] = {nl, n};
      io::nc_check(nc_get_vara_double(f.id(), v, start, count, t.data()), cs_path,
                   "cannot read " + name);
      for (std::size_t l = 0; l < nl; ++l)
        for (std::size_t k = 0; k < n; ++k) sig[k * nl + l] = t[l * n + k];
    }
    m.sigma[gas] = std::move(sig);
  }
  return m;
}

UnitSpectrum unit_spectrum_from_model(const AbsorptionModel& m, const std::string& gas,
                                      const std::vector<double>& centres,
                                      const std::vector<double>& fwhm,
                                      const std::vector<double>& conc, double sza, double vza,
                                      double crop_lo, double crop_hi) {
  const std::string target = upper(gas);
  if (!m.sigma.count(target)) throw InputError("no cross sections for " + target);
  if (conc.size() < 2 || conc.front() != 0.0)
    throw InputError("unit spectrum: concentrations must start at 0");
  // Grid: the whole file range, or the window only (HyperGas).
  std::size_t k0 = 0, k1 = m.wavelength.size();
  if (crop_lo < crop_hi) {
    k0 = static_cast<std::size_t>(
        std::lower_bound(m.wavelength.begin(), m.wavelength.end(), crop_lo) - m.wavelength.begin());
    k1 = static_cast<std::size_t>(
        std::upper_bound(m.wavelength.begin(), m.wavelength.end(), crop_hi) - m.wavelength.begin());
  }
  const std::vector<double> wl(m.wavelength.begin() + static_cast<std::ptrdiff_t>(k0),
                               m.wavelength.begin() + static_cast<std::ptrdiff_t>(k1));
  const std::size_t nl = m.layers;
  std::vector<double> tau0(wl.size(), 0.0), sig_target(wl.size());
  for (const auto& [g, sig] : m.sigma) {
    const auto& col = m.column.at(g);
    for (std::size_t k = 0; k < wl.size(); ++k)
      for (std::size_t l = 0; l < nl; ++l) tau0[k] += sig[(k + k0) * nl + l] * col[l];
  }
  for (std::size_t k = 0; k < wl.size(); ++k) sig_target[k] = m.sigma.at(target)[(k + k0) * nl + 0];
  const double amf = young_air_mass(sza) + young_air_mass(vza);
  // The srf sees the (possibly cropped) grid: edge bands renormalise, as HyperGas does.
  const spectral::SrfConvolver srf(wl, centres, fwhm, crop_lo < crop_hi ? 1e9 : 6.0);
  UnitSpectrum u;
  u.centres = centres;
  u.k.resize(centres.size());
  u.column_to_ppb = 1000.0;  // K per ppm -> ppb
  std::vector<std::vector<double>> y(centres.size());
  std::vector<double> t(wl.size());
  for (double c : conc) {
    // ppm -> mol m-2 with HyperGas's 2900 ppb per mol m-2, -> molecules cm-2 in layer 0.
    const double dn = c * 1000.0 / 2900.0 * 6.023e23 / 1e4;
    for (std::size_t k = 0; k < wl.size(); ++k)
      t[k] = std::exp(-amf * (tau0[k] + sig_target[k] * dn));
    const auto tb = srf.apply(t);
    for (std::size_t b = 0; b < centres.size(); ++b)
      y[b].push_back(tb[b] > 0 ? std::log(tb[b]) : 0.0);
  }
  for (std::size_t b = 0; b < centres.size(); ++b) u.k[b] = ols_slope(conc, y[b]);
  return u;
}

}  // namespace hyperplume::retrieval
