#include <algorithm>
#include <cmath>
#include <hyperplume/core/error.hpp>
#include <hyperplume/emission/background_sampling.hpp>
#include <hyperplume/emission/emission_estimate.hpp>
#include <hyperplume/emission/ime.hpp>
#include <hyperplume/image/trimmed_stats.hpp>
#include <limits>
#include <string>

namespace hyperplume::emission {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPerHour = 3600.0;

// Population std (ddof 0) of the finite values, `trim` of them cut at each end (HyperGas
// trims the background ensembles by 0.1 %, not the wind draws); NaN if there are none.
double finite_std(const std::vector<double>& v, double trim) {
  std::vector<double> finite;
  for (double x : v)
    if (std::isfinite(x)) finite.push_back(x);
  return finite.empty() ? kNaN : image::trimmed_stats(std::move(finite), trim).std;
}
double nan_std(const std::vector<double>& v) { return finite_std(v, 0.0); }
double trimmed_std(const std::vector<double>& v) { return finite_std(v, 0.001); }

// The wind ensemble: N(U, sigma_U) with HyperGas's sigma_U (half the speed up to 3 m/s,
// 1.5 m/s above).
std::vector<double> wind_draws(double speed, const CounterRng& rng, int n) {
  const double sigma = speed <= 3.0 ? 0.5 * speed : 1.5;
  std::vector<double> u(static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) {
    const auto [a, b] = rng.normal_pair(static_cast<std::uint64_t>(k / 2));
    u[static_cast<std::size_t>(k)] = speed + sigma * (k % 2 ? b : a);
  }
  return u;
}

double rss(double a, double b, double c) { return std::sqrt(a * a + b * b + c * c); }

// IME within growing circles around the source (HyperGas's "fetch" estimate): radii of
// 0.25 px up to 2500 m, stopping once a circle holds the whole plume.
void ime_fetch(const EmissionInputs& in, const WindUsed& wind, const std::vector<double>& draws,
               bool hypergas, EmissionEstimate& e) {
  std::vector<double> dist, mass;
  int r0 = INT32_MAX, r1 = -1, c0 = INT32_MAX, c1 = -1;
  for (Eigen::Index r = 0; r < in.plume.rows(); ++r)
    for (Eigen::Index c = 0; c < in.plume.cols(); ++c)
      if (std::isfinite(in.plume(r, c))) {
        dist.push_back(std::hypot(static_cast<double>(r - in.source_row),
                                  static_cast<double>(c - in.source_col)));
        mass.push_back(in.plume(r, c) * in.res * in.res);
        r0 = std::min(r0, static_cast<int>(r));
        r1 = std::max(r1, static_cast<int>(r));
        c0 = std::min(c0, static_cast<int>(c));
        c1 = std::max(c1, static_cast<int>(c));
      }
  double reach = 0;  // farthest crop corner from the source
  for (int r : {r0, r1})
    for (int c : {c0, c1})
      reach = std::max(reach, std::hypot(r - in.source_row, c - in.source_col));
  const int r_max = static_cast<int>(2500.0 / in.res);
  std::vector<double> radii_all, ime_r;
  for (int k = 1; 0.25 * k < r_max; ++k) radii_all.push_back(0.25 * k);
  double used_sum = 0;
  for (double radius : radii_all) {
    double m = 0;
    for (std::size_t i = 0; i < dist.size(); ++i)
      if (dist[i] <= radius) m += mass[i];
    ime_r.push_back(m);
    used_sum += radius;
    if (radius >= reach) break;
  }
  if (ime_r.empty()) {
    e.emission_fetch = e.fetch_uncertainty = e.fetch_uncertainty_ime = e.fetch_uncertainty_wind =
        kNaN;
    return;
  }
  // HyperGas averages the radii over the whole list even after stopping early.
  double radius_mean = 0;
  if (hypergas) {
    for (double r : radii_all) radius_mean += r;
    radius_mean /= static_cast<double>(radii_all.size());
  } else {
    radius_mean = used_sum / static_cast<double>(ime_r.size());
  }
  const double L = radius_mean * in.res;
  double mean_ime = 0;
  for (double m : ime_r) mean_ime += m;
  mean_ime /= static_cast<double>(ime_r.size());
  e.emission_fetch = wind.speed * mean_ime / L * kPerHour;
  e.fetch_uncertainty_ime = e.emission_fetch * nan_std(ime_r) / mean_ime;
  std::vector<double> q;
  for (double u : draws) q.push_back(u * mean_ime / L * kPerHour);
  e.fetch_uncertainty_wind = wind.manual_speed ? 0.0 : nan_std(q);
  e.fetch_uncertainty = std::hypot(e.fetch_uncertainty_ime, e.fetch_uncertainty_wind);
}

void carbon_mapper(const EmissionInputs& in, const WindUsed& wind, EmissionEstimate& e) {
  std::vector<double> px, py;
  double mass = 0;
  for (Eigen::Index r = 0; r < in.cm_plume.rows(); ++r)
    for (Eigen::Index c = 0; c < in.cm_plume.cols(); ++c)
      if (std::isfinite(in.cm_plume(r, c))) {
        mass += in.cm_plume(r, c) * in.res * in.res;
        px.push_back(in.x[static_cast<std::size_t>(c)]);
        py.push_back(in.y[static_cast<std::size_t>(r)]);
      }
  if (px.empty()) {
    e.ime_cm = e.l_cm = e.emission_cm = kNaN;
    return;
  }
  e.ime_cm = mass;
  e.l_cm = farthest_hull_distance(px, py, in.x[static_cast<std::size_t>(in.source_col)],
                                  in.y[static_cast<std::size_t>(in.source_row)]);
  e.emission_cm = mass * wind.speed / e.l_cm * kPerHour;
}
}  // namespace

EmissionEstimate estimate_emission(const EmissionInputs& in, const WindUsed& wind,
                                   const CalibrationChoice& calibration, const CounterRng& rng,
                                   const EstimateOptions& options) {
  EmissionEstimate e;
  const WindCalibration& cal = calibration.primary;
  const WindCalibration& alt = calibration.replacement;
  const double U = wind.speed, area = in.res * in.res;
  const bool land_only = in.land.size() > 0;

  // --- IME ---
  const Ime ime = integrated_mass_enhancement(in.plume, in.res, in.source_row, in.source_col);
  if (ime.pixels < 3)
    throw InputError("the plume has " + std::to_string(ime.pixels) +
                     " valid pixel(s): too few for an emission estimate");
  if (!(ime.mass > 0))
    throw InputError("the plume's integrated enhancement is not positive (" +
                     std::to_string(ime.mass) + " kg): no emission to estimate");
  e.ime = ime.mass;
  e.leff_ime = ime.l_eff;
  e.l_ime = ime.l_ime;
  e.ueff_ime = ime_effective_wind(cal, U);
  const double per_wind = e.ime / e.leff_ime;  // kg/m
  e.emission = e.ueff_ime * per_wind * kPerHour;

  // The pixels the background sampling and the CSF use: the plume's land pixels under
  // land_only, in HyperGas's stacking order (x-major, then y).
  std::vector<std::array<int, 2>> footprint;
  for (Eigen::Index c = 0; c < in.plume.cols(); ++c)
    for (Eigen::Index r = 0; r < in.plume.rows(); ++r)
      if (std::isfinite(in.plume(r, c)) && (!land_only || in.land(r, c)))
        footprint.push_back({static_cast<int>(r), static_cast<int>(c)});
  if (footprint.empty())
    throw InputError("no land pixels in the plume (land_only): no background or CSF estimate");

  // --- random error: the footprint moved over the background ---
  Raster<double> land_background;  // a copy only when water must be taken out
  if (land_only) {
    land_background = in.background;
    for (Eigen::Index i = 0; i < land_background.size(); ++i)
      if (!in.land.data()[i]) land_background.data()[i] = kNaN;
  }
  const Raster<double>& background = land_only ? land_background : in.background;
  Raster<std::uint8_t> blocked(in.plume.rows(), in.plume.cols());
  for (Eigen::Index i = 0; i < blocked.size(); ++i)
    blocked.data()[i] = std::isfinite(in.plume.data()[i]) ||
                        (!options.hypergas && in.all_plumes.size() && in.all_plumes.data()[i]);
  BackgroundOptions bo;
  bo.samples = options.background_samples;
  bo.attempts = options.background_attempts;
  bo.rescale_missing = !options.hypergas;
  const BackgroundSamples bg = sample_background(background, footprint, blocked, area,
                                                 rng.substream(stream_id("background")), bo);
  e.background_samples = static_cast<int>(bg.ime.size());
  e.background_attempts = bg.attempts;
  e.uncertainty_random = e.ueff_ime * trimmed_std(bg.ime) / e.leff_ime * kPerHour;

  // --- wind error ---
  const std::vector<double> draws =
      wind.manual_speed ? std::vector<double>{}
                        : wind_draws(U, rng.substream(stream_id("wind")), options.wind_samples);
  {
    std::vector<double> q;
    for (double u : draws) q.push_back(ime_effective_wind(cal, u) * per_wind * kPerHour);
    e.uncertainty_wind = wind.manual_speed ? 0.0 : nan_std(q);
  }
  // --- calibration error ---
  const double u_alt = ime_effective_wind(alt, U) + alt.alpha_resid;
  e.uncertainty_calibration = std::abs(u_alt - e.ueff_ime) * per_wind * kPerHour;
  e.uncertainty = rss(e.uncertainty_random, e.uncertainty_wind, e.uncertainty_calibration);

  carbon_mapper(in, wind, e);
  ime_fetch(in, wind, draws, options.hypergas, e);

  // --- CSF ---
  const auto n = static_cast<Eigen::Index>(footprint.size());
  Eigen::VectorXd fx(n), fy(n), fv(n);
  for (Eigen::Index k = 0; k < n; ++k) {
    const auto [r, c] = footprint[static_cast<std::size_t>(k)];
    fx(k) = in.x[static_cast<std::size_t>(c)];
    fy(k) = in.y[static_cast<std::size_t>(r)];
    fv(k) = in.plume(r, c);
  }
  CsfOptions co = options.csf;
  co.numpy_pinv = options.hypergas;
  co.path_length = !options.hypergas;
  e.csf = cross_sectional_flux(fx, fy, fv, in.x[static_cast<std::size_t>(in.source_col)],
                               in.y[static_cast<std::size_t>(in.source_row)], in.res, co);
  e.ueff_csf = csf_effective_wind(cal, U);
  for (const auto& line : e.csf.lines) e.csf_line_emission.push_back(e.ueff_csf * line.column * kPerHour);
  const double mean_column = e.csf.mean_column();  // kg/m
  e.emission_csf = e.ueff_csf * mean_column * kPerHour;
  {
    std::vector<double> c_bg;
    for (const auto& values : bg.values)
      c_bg.push_back(mean_line_column(e.csf, Eigen::Map<const Eigen::VectorXd>(values.data(), n)));
    e.csf_uncertainty_random = e.ueff_csf * trimmed_std(c_bg) * kPerHour;
  }
  {
    // HyperGas keeps non-positive wind draws here (unlike for the IME); the default profile
    // treats both methods alike.
    std::vector<double> q;
    for (double u : draws)
      if (options.hypergas || u > 0)
        q.push_back(csf_effective_wind(cal, u) * mean_column * kPerHour);
    e.csf_uncertainty_wind = wind.manual_speed ? 0.0 : nan_std(q);
  }
  double u_alt_csf = csf_effective_wind(alt, U) + alt.beta_resid;
  if (u_alt_csf == e.ueff_csf) u_alt_csf = csf_effective_wind(alt, U) + cal.beta_resid;
  e.csf_uncertainty_calibration = std::abs(u_alt_csf - e.ueff_csf) * mean_column * kPerHour;
  e.csf_uncertainty =
      rss(e.csf_uncertainty_random, e.csf_uncertainty_wind, e.csf_uncertainty_calibration);
  return e;
}

}  // namespace hyperplume::emission
