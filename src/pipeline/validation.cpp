#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/pipeline/validation.hpp>
#include <map>
#include <set>

namespace hyperplume::pipeline {

double finite_median(std::vector<double> v) {
  std::erase_if(v, [](double x) { return !std::isfinite(x); });
  if (v.empty()) return ValidationPlume::kNaN;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

RatioStats ratio_stats(const std::vector<double>& est, const std::vector<double>& sigma,
                       const std::vector<double>& truth) {
  RatioStats s;
  std::vector<double> ratios;
  std::size_t in1 = 0, in2 = 0;
  for (std::size_t i = 0; i < est.size(); ++i) {
    if (!std::isfinite(est[i]) || !(truth[i] > 0)) continue;
    ratios.push_back(est[i] / truth[i]);
    const double miss = std::abs(est[i] - truth[i]);
    in1 += miss <= sigma[i];
    in2 += miss <= 2 * sigma[i];
  }
  s.n = ratios.size();
  if (s.n == 0) return s;
  s.median = finite_median(ratios);
  std::vector<double> dev;
  for (double r : ratios) dev.push_back(std::abs(r - s.median));
  s.scatter = 1.4826 * finite_median(dev);
  s.within_1sigma = static_cast<double>(in1) / static_cast<double>(s.n);
  s.within_2sigma = static_cast<double>(in2) / static_cast<double>(s.n);
  return s;
}

LineFit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  LineFit f;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    ++f.n;
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  const double n = static_cast<double>(f.n);
  if (f.n < 3 || n * sxx - sx * sx == 0) return f;
  f.slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  f.intercept = (sy - f.slope * sx) / n;
  double ss = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i])) ss += std::pow(y[i] - (f.slope * x[i] + f.intercept), 2);
  f.rms = std::sqrt(ss / n);
  return f;
}

namespace {
std::string num(double v, int precision = 4) {
  if (!std::isfinite(v)) return "";
  char b[48];
  std::snprintf(b, sizeof b, "%.*g", precision + 2, v);
  return b;
}

std::string fixed(double v, int decimals = 2) {
  if (!std::isfinite(v)) return "  -  ";
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

template <class Keep>
std::vector<const ValidationPlume*> select(const std::vector<ValidationPlume>& all, Keep keep) {
  std::vector<const ValidationPlume*> out;
  for (const auto& p : all)
    if (keep(p)) out.push_back(&p);
  return out;
}

// One table line: label, n, IME median / scatter / 1σ / 2σ, CSF the same.
std::string stats_line(const std::string& label, const std::vector<const ValidationPlume*>& plumes) {
  std::vector<double> ime, ime_s, csf, csf_s, q;
  std::size_t refused = 0;
  for (const auto* p : plumes) {
    if (!p->made) {
      ++refused;
      continue;
    }
    ime.push_back(p->ime);
    ime_s.push_back(p->ime_sigma);
    csf.push_back(p->csf);
    csf_s.push_back(p->csf_sigma);
    q.push_back(p->q_true);
  }
  const RatioStats a = ratio_stats(ime, ime_s, q), b = ratio_stats(csf, csf_s, q);
  char line[400];
  std::snprintf(line, sizeof line, "| %-22s | %3zu | %3zu | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                label.c_str(), plumes.size(), refused, fixed(a.median).c_str(), fixed(a.scatter).c_str(),
                fixed(a.within_1sigma).c_str(), fixed(a.within_2sigma).c_str(), fixed(b.median).c_str(),
                fixed(b.scatter).c_str(), fixed(b.within_1sigma).c_str(), fixed(b.within_2sigma).c_str());
  return line;
}

const char* kTableHead =
    "| plumes                 |   n | refused | IME/Q median | scatter | in 1σ | in 2σ | CSF/Q median | "
    "scatter | in 1σ | in 2σ |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
}  // namespace

std::string validation_csv(const std::vector<ValidationPlume>& plumes) {
  std::string out =
      "scene,kind,surface,pass,q_true_kg_h,wind_true_m_s,made,refusal,ime_kg_h,ime_sigma_kg_h,"
      "csf_kg_h,csf_sigma_kg_h,ime_ratio,csf_ratio,retrieval_slope,retrieval_ime_ratio,mask_pixels,"
      "ime_kg,l_ime_m,wind_used_m_s,ueff_m_s,true_ueff_m_s\n";
  for (const auto& p : plumes) {
    const double r1 = p.q_true > 0 ? p.ime / p.q_true : ValidationPlume::kNaN;
    const double r2 = p.q_true > 0 ? p.csf / p.q_true : ValidationPlume::kNaN;
    out += csv_cell(p.scene) + "," + p.kind + "," + p.surface + "," + std::to_string(p.pass) + "," +
           num(p.q_true) + "," + num(p.wind_true) + "," + (p.made ? "1" : "0") + "," +
           csv_cell(p.refusal) + "," + num(p.ime) + "," + num(p.ime_sigma) + "," + num(p.csf) + "," +
           num(p.csf_sigma) + "," + num(r1) + "," + num(r2) + "," + num(p.slope) + "," +
           num(p.retrieval_ime_ratio) + "," + std::to_string(p.mask_pixels) + "," + num(p.ime_mass) + "," +
           num(p.l_ime) + "," + num(p.wind_used) + "," + num(p.ueff) + "," + num(p.true_ueff()) + "\n";
  }
  return out;
}

namespace {
// The last pass's plumes of Q >= 2 t/h that were made.
std::vector<const ValidationPlume*> calibration_plumes(const std::vector<ValidationPlume>& plumes) {
  int last = 0;
  for (const auto& p : plumes) last = std::max(last, p.pass);
  return select(plumes, [&](const ValidationPlume& p) {
    return p.pass == last && p.kind == "plume" && p.made && p.q_true >= 2000;
  });
}
}  // namespace

std::string fitted_calibration_ini(const std::vector<ValidationPlume>& plumes, const std::string& section) {
  std::vector<double> u, ime, csf;
  for (const auto* p : calibration_plumes(plumes)) {
    u.push_back(p->wind_used);
    ime.push_back(p->true_ueff());
    csf.push_back(p->true_ueff_csf());
  }
  const LineFit a = fit_line(u, ime), b = fit_line(u, csf);
  if (!std::isfinite(a.slope) || !std::isfinite(b.slope))
    return "# hyperplume validate: too few plumes of Q >= 2 t/h (" + std::to_string(a.n) +
           ") for a wind calibration fit\n";
  char text[400];
  std::snprintf(text, sizeof text,
                "# The wind calibration that would give the synthetic plumes' true Q (hyperplume validate,\n"
                "# %zu plumes of Q >= 2 t/h): U_eff = alpha2 + alpha3 U10 (IME), beta1 U10 + beta2 (CSF);\n"
                "# resid = rms of the fit (m/s). Not the default: see docs/validation.md.\n"
                "[%s]\nime = 0 %.4f %.4f %.4f\ncsf = %.4f %.4f %.4f\n",
                a.n, section.c_str(), a.intercept, a.slope, a.rms, b.slope, b.intercept, b.rms);
  return text;
}

std::string validation_report(const std::vector<ValidationPlume>& plumes, const std::string& heading) {
  std::string out = heading;
  std::set<int> passes;
  for (const auto& p : plumes) passes.insert(p.pass);
  const double qbins[][2] = {{0, 1000}, {1000, 2000}, {2000, 5000}, {5000, 10000}, {10000, 1e9}};
  const char* qnames[] = {"Q < 1 t/h", "Q 1-2 t/h", "Q 2-5 t/h", "Q 5-10 t/h", "Q >= 10 t/h"};
  const double ubins[][2] = {{0, 4}, {4, 6}, {6, 1e9}};
  const char* unames[] = {"U10 < 4 m/s", "U10 4-6 m/s", "U10 >= 6 m/s"};
  for (const int pass : passes) {
    auto real = [&](const ValidationPlume& p) { return p.pass == pass && p.kind == "plume"; };
    out += "\n## Pass " + std::to_string(pass) + (pass == 1 ? " (first retrieval)" : " (plume pixels out of the statistics)") +
           "\n\nEmission rates (ratio = estimate / true Q; scatter = 1.4826 MAD of the ratio; in kσ = "
           "share of plumes whose truth lies within k stated σ):\n\n" + kTableHead;
    out += stats_line("all", select(plumes, real));
    out += stats_line("Q >= 2 t/h", select(plumes, [&](const ValidationPlume& p) { return real(p) && p.q_true >= 2000; }));
    for (const char* surface : {"bright", "dark"})
      out += stats_line(std::string("Q >= 2 t/h, ") + surface, select(plumes, [&](const ValidationPlume& p) {
                          return real(p) && p.q_true >= 2000 && p.surface == surface;
                        }));
    for (std::size_t b = 0; b < 5; ++b)
      out += stats_line(qnames[b], select(plumes, [&](const ValidationPlume& p) {
                          return real(p) && p.q_true >= qbins[b][0] && p.q_true < qbins[b][1];
                        }));
    for (std::size_t b = 0; b < 3; ++b)
      out += stats_line(std::string(unames[b]) + ", Q >= 2", select(plumes, [&](const ValidationPlume& p) {
                          return real(p) && p.q_true >= 2000 && p.wind_true >= ubins[b][0] && p.wind_true < ubins[b][1];
                        }));
    std::vector<double> slope, ime_ratio;
    for (const auto* p : select(plumes, [&](const ValidationPlume& p) { return real(p) && p.q_true >= 2000; })) {
      slope.push_back(p->slope);
      ime_ratio.push_back(p->retrieval_ime_ratio);
    }
    out += "\nRetrieval alone, Q >= 2 t/h, over each plume's L3 mask: median slope of retrieved on true "
           "dXCH4 " + fixed(finite_median(slope), 3) + ", median retrieved/true IME " +
           fixed(finite_median(ime_ratio), 3) + " (" + std::to_string(slope.size()) + " plumes)\n";
    // The wind calibrations against the truth: the effective wind each plume needed.
    std::vector<double> u10, ime_needed, ime_used, csf_needed, csf_used;
    for (const auto* p : select(plumes, [&](const ValidationPlume& p) { return real(p) && p.made && p.q_true >= 2000; })) {
      u10.push_back(p->wind_used);
      ime_needed.push_back(p->true_ueff());
      ime_used.push_back(p->ueff);
      csf_needed.push_back(p->true_ueff_csf());
      csf_used.push_back(p->ueff_csf);
    }
    auto calibration_line = [&](const char* what, const std::vector<double>& needed, const std::vector<double>& used) {
      const LineFit fit = fit_line(u10, needed), cal = fit_line(u10, used);
      return std::string(what) + " wind calibration, Q >= 2 t/h: the effective wind that gives the true Q against the "
             "10 m wind used: U_eff = " + fixed(fit.slope, 3) + " U10 + " + fixed(fit.intercept, 3) + " m/s (rms " +
             fixed(fit.rms, 2) + " m/s, " + std::to_string(fit.n) + " plumes); the calibration in use: U_eff = " +
             fixed(cal.slope, 3) + " U10 + " + fixed(cal.intercept, 3) + " m/s\n";
    };
    out += calibration_line("IME (Q L_eff / IME)", ime_needed, ime_used);
    out += calibration_line("CSF (U_eff Q / CSF)", csf_needed, csf_used);
    for (const char* kind : {"plume_free", "sign_flipped"}) {
      const auto these = select(plumes, [&](const ValidationPlume& p) { return p.pass == pass && p.kind == kind; });
      if (these.empty()) continue;
      std::size_t positive = 0, refused = 0;
      double largest = 0;
      for (const auto* p : these) {
        if (!p->made) ++refused;
        if (p->made && p->ime > 0) {
          ++positive;
          largest = std::max(largest, p->ime);
        }
      }
      out += std::string("\n") + (std::string(kind) == "plume_free" ? "Markers on plume-free scenes: "
                                                                    : "Markers on sign-flipped injections: ") +
             std::to_string(these.size()) + ", refused " + std::to_string(refused) + ", positive emission " +
             std::to_string(positive) + (positive ? " (largest " + fixed(largest / 1000, 2) + " t/h)" : "") + "\n";
    }
  }
  if (passes.size() > 1) {
    out += "\n## Pass 1 and pass 2 side by side (Q >= 2 t/h)\n\n| plume | Q t/h | U10 m/s | surface | IME/Q pass 1 | "
           "pass 2 | CSF/Q pass 1 | pass 2 |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& a : plumes) {
      if (a.pass != 1 || a.kind != "plume" || a.q_true < 2000) continue;
      const auto b = std::find_if(plumes.begin(), plumes.end(), [&](const ValidationPlume& p) {
        return p.pass == 2 && p.scene == a.scene && p.kind == a.kind;
      });
      if (b == plumes.end()) continue;
      out += "| " + a.scene + " | " + fixed(a.q_true / 1000, 2) + " | " + fixed(a.wind_true, 1) + " | " +
             a.surface + " | " + fixed(a.ime / a.q_true) + " | " + fixed(b->ime / b->q_true) + " | " +
             fixed(a.csf / a.q_true) + " | " + fixed(b->csf / b->q_true) + " |\n";
    }
  }
  return out;
}

}  // namespace hyperplume::pipeline

// ---- reading a processed synthetic campaign -------------------------------------------

namespace hyperplume::pipeline {
namespace {
namespace fs = std::filesystem;

double to_number(const std::map<std::string, std::string>& row, const std::string& key) {
  const auto it = row.find(key);
  if (it == row.end() || it->second.empty()) return ValidationPlume::kNaN;
  return std::strtod(it->second.c_str(), nullptr);
}

// Retrieved against true dXCH4 over the plume's L3 mask: OLS slope and ratio of sums.
void retrieval_alone(ValidationPlume& p, const std::string& l2, const std::string& l3,
                     const Raster<float>& truth, const std::string& gas) {
  const io::NcFile f2(l2, io::NcFile::Mode::read), f3(l3, io::NcFile::Mode::read);
  const auto rows = static_cast<int>(truth.rows()), cols = static_cast<int>(truth.cols());
  const Raster<float> retrieved = io::read_raster<float>(f2, f2.id(), gas, rows, cols);
  const Raster<float> plume = io::read_raster<float>(f3, f3.id(), gas, rows, cols);
  std::vector<double> x, y;
  for (Eigen::Index i = 0; i < plume.size(); ++i)
    if (std::isfinite(plume.data()[i]) && std::isfinite(truth.data()[i]) && std::isfinite(retrieved.data()[i])) {
      x.push_back(static_cast<double>(truth.data()[i]));
      y.push_back(static_cast<double>(retrieved.data()[i]));
    }
  p.mask_pixels = x.size();
  p.slope = fit_line(x, y).slope;
  double sx = 0, sy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sx += x[i];
    sy += y[i];
  }
  if (x.size() < 3) return;
  p.retrieval_ime_ratio = sx > 0 ? sy / sx : ValidationPlume::kNaN;
}
}  // namespace

Raster<float> truth_on_grid(const std::string& rad, const std::string& truth_nc, int threads,
                            const std::string& dem) {
  const Scene geometry = sensor::open_granule(rad, {dem})->read_geometry();
  const io::NcFile f(truth_nc, io::NcFile::Mode::read);
  const Raster<float> truth = io::read_raster<float>(f, f.id(), "delta_xch4", geometry.rows(), geometry.cols());
  return ortho_map_for(geometry, {false, threads}).apply(truth);
}

std::vector<ValidationPlume> evaluate_batch(const ValidationBatch& b, const std::string& campaign_root,
                                            int pass, const std::string& gas, int threads) {
  const fs::path root(b.synth_root), out(campaign_root);
  std::map<std::string, std::map<std::string, std::string>> l4;  // L2 file name -> row
  if (fs::exists(out / "hyperplume_l4.csv"))
    for (auto& row : read_csv_table((out / "hyperplume_l4.csv").string())) l4[row["l2_file"]] = row;
  std::map<std::string, std::string> refusals;  // L1 stem -> reason
  for (const char* table : {"plume_failures.csv", "quarantine.csv"})
    if (fs::exists(out / table))
      for (auto& row : read_csv_table((out / table).string()))
        refusals[fs::path(row["scene"]).stem().string()] = row["reason"];
  std::vector<ValidationPlume> plumes;
  for (auto& t : read_csv_table((root / "truth_sources.csv").string())) {
    if (t["source"] != "0") continue;  // one source per validation scene
    ValidationPlume p;
    p.scene = t["scene"];
    p.kind = b.kind;
    p.surface = b.surface;
    p.pass = pass;
    p.q_true = to_number(t, "emission_rate_kg_h");
    p.wind_true = to_number(t, "wind_speed_m_s");
    const fs::path rad = sensor::granule_path((root / t["facility"]).string(), p.scene);
    const std::string l2 = l2_path_for(rad.string());
    const auto row = l4.find(fs::path(l2).filename().string());
    p.made = row != l4.end();
    if (!p.made) {
      const auto r = refusals.find(p.scene);
      p.refusal = r == refusals.end() ? "no L4 row" : r->second;
    } else {
      p.ime = to_number(row->second, "emission");
      p.ime_sigma = to_number(row->second, "emission_uncertainty");
      p.csf = to_number(row->second, "emission_csf");
      p.csf_sigma = to_number(row->second, "emission_csf_uncertainty");
      p.ime_mass = to_number(row->second, "ime");
      p.l_ime = to_number(row->second, "leff_ime");
      p.wind_used = to_number(row->second, "wind_speed");
      p.ueff = to_number(row->second, "ueff_ime");
      p.ueff_csf = to_number(row->second, "ueff_csf");
      const std::string truth_nc = (root / t["facility"] / (p.scene + "_truth.nc")).string();
      retrieval_alone(p, l2, l3_path_for(l2, 0), truth_on_grid(rad.string(), truth_nc, threads, b.dem), gas);
    }
    plumes.push_back(std::move(p));
  }
  return plumes;
}

}  // namespace hyperplume::pipeline
