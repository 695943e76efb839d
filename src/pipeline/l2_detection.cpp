#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/core/version.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <hyperplume/pipeline/l2_reader.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <netcdf.h>
#include <optional>
#include <set>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

std::string auto_markers_path_for(const std::string& l2_path) {
  const fs::path p(l2_path);
  return (p.parent_path() / (p.stem().string() + "_auto.geojson")).string();
}

bool is_detector_marker_file(const std::string& path) {
  try {
    return io::read_marker_file(path).automatic;
  } catch (const InputError&) {
    return false;
  }
}

std::string detection_output_for(const std::string& l2_path) {
  const std::string markers = markers_path_for(l2_path);
  return !fs::exists(markers) || is_detector_marker_file(markers) ? markers : auto_markers_path_for(l2_path);
}

namespace {
// What detection needs from the L2 beyond what the plume pick reads.
struct DetectionInputs {
  L2Scene scene;
  Raster<float> denoised, brightness, wind_east, wind_north;
  Raster<std::uint8_t> screened;
  std::vector<double> wavelengths, k;  // the narrow window's unit absorption spectrum
  bool hypergas = false;
};

DetectionInputs read_inputs(const std::string& path, const DetectOptions& o) {
  DetectionInputs in;
  in.scene = read_l2_for_plumes(path, o.gas);
  const L2Scene& s = in.scene;
  const io::NcFile f(path, io::NcFile::Mode::read);
  const int rows = s.rows(), cols = s.cols();
  const std::string denoised = o.gas + "_comb_denoise";
  if (!f.has_var(f.id(), denoised))
    throw InputError("no '" + denoised + "' field, which detection needs (an L2 from an older version?)",
                     ErrorContext{path, {}, {}});
  in.denoised = io::read_raster<float>(f, f.id(), denoised, rows, cols);
  if (f.has_var(f.id(), "radiance_2100"))
    in.brightness = io::read_raster<float>(f, f.id(), "radiance_2100", rows, cols);
  in.screened = Raster<std::uint8_t>::Zero(rows, cols);
  if (f.has_var(f.id(), "quality_mask"))
    for (std::size_t k = 0; k < 3; ++k) {  // water, cloud, cirrus
      const Raster<float> q = io::read_raster<float>(f, f.id(), "quality_mask", rows, cols, k);
      in.screened = in.screened.max((q == 1.0f).cast<std::uint8_t>());
    }
  if (f.has_var(f.id(), o.gas + "_unit_absorption") && f.has_var(f.id(), o.gas + "_wavelength")) {
    in.wavelengths = io::read_vector(f, f.id(), o.gas + "_wavelength");
    in.k = io::read_vector(f, f.id(), o.gas + "_unit_absorption");
  }
  in.hypergas = f.has_att(f.id(), NC_GLOBAL, "profile") && f.att_text(f.id(), NC_GLOBAL, "profile") == "hypergas";
  // The chosen wind source's wind, the other's where it has none.
  in.wind_east = Raster<float>::Constant(rows, cols, std::nanf(""));
  in.wind_north = in.wind_east;
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < s.sources.size(); ++k)
    if (s.sources[k] == o.wind_source) order.insert(order.begin(), k);
    else order.push_back(k);
  for (Eigen::Index i = 0; i < in.wind_east.size(); ++i)
    for (std::size_t k : order) {
      const float u = s.weather[k][0].data()[i], v = s.weather[k][1].data()[i];
      if (std::isfinite(u) && std::isfinite(v)) {
        in.wind_east.data()[i] = u;
        in.wind_north.data()[i] = v;
        break;
      }
    }
  return in;
}

// The L1 band of every window wavelength (the same centres the retrieval used).
std::vector<int> window_bands(const sensor::Granule& l1, const std::vector<double>& window) {
  std::vector<int> out;
  for (double w : window) {
    int best = -1;
    for (std::size_t b = 0; b < l1.wavelengths().size(); ++b)
      if (std::abs(l1.wavelengths()[b] - w) < 1e-3) best = static_cast<int>(b);
    if (best < 0) throw InputError("the L2's unit absorption wavelengths are not the L1's bands", ErrorContext{l1.path(), {}, {}});
    out.push_back(best);
  }
  return out;
}

// The spectral check of every candidate: its mean radiance against that of the other
// pixels of the same detector columns around it (the matched filter's background), in
// sensor geometry.
void add_spectral_evidence(std::vector<plume::Candidate>& candidates, const DetectionInputs& in,
                           const geo::OrthoMap& ortho, const sensor::Granule& l1) {
  const std::vector<int> bands = window_bands(l1, in.wavelengths);
  const std::vector<std::int64_t>& source = ortho.source();
  const int cols = l1.cols();
  std::set<std::int64_t> labelled;  // sensor pixels of any candidate: never background
  for (const auto& c : candidates)
    for (auto i : c.pixels)
      if (source[static_cast<std::size_t>(i)] >= 0) labelled.insert(source[static_cast<std::size_t>(i)]);
  const auto slabs = l1.open_slabs(nullptr);
  RadianceCube box;
  for (auto& c : candidates) {
    std::set<std::int64_t> mine;
    int r0 = INT32_MAX, r1 = -1, c0 = INT32_MAX, c1 = -1;
    for (auto i : c.pixels) {
      const std::int64_t s = source[static_cast<std::size_t>(i)];
      if (s < 0) continue;
      mine.insert(s);
      r0 = std::min(r0, static_cast<int>(s / cols));
      r1 = std::max(r1, static_cast<int>(s / cols));
      c0 = std::min(c0, static_cast<int>(s % cols));
      c1 = std::max(c1, static_cast<int>(s % cols));
    }
    if (mine.empty()) continue;
    const int pad = std::max(10, r1 - r0 + 1);
    const int rb = std::max(0, r0 - pad), re = std::min(l1.rows(), r1 + pad + 1);
    slabs->read_box(bands, rb, re, c0, c1 + 1, box);
    const auto nb = static_cast<std::size_t>(box.bands());
    std::vector<double> plume(nb, 0), background(nb, 0);
    std::size_t np = 0, nbg = 0;
    for (int r = rb; r < re; ++r)
      for (int col = c0; col <= c1; ++col) {
        const std::int64_t s = static_cast<std::int64_t>(r) * cols + col;
        const float* px = box.pixel(r - rb, col - c0);
        bool finite = true;
        for (std::size_t b = 0; b < nb; ++b) finite = finite && std::isfinite(px[b]);
        if (!finite) continue;
        const bool in_plume = mine.count(s) > 0;
        if (!in_plume && labelled.count(s)) continue;
        std::vector<double>& to = in_plume ? plume : background;
        for (std::size_t b = 0; b < nb; ++b) to[b] += static_cast<double>(px[b]);
        ++(in_plume ? np : nbg);
      }
    if (np == 0 || nbg < 10) continue;
    std::vector<double> deficit(nb);
    for (std::size_t b = 0; b < nb; ++b) {
      const double p = plume[b] / static_cast<double>(np), g = background[b] / static_cast<double>(nbg);
      deficit[b] = p > 0 && g > 0 ? std::log(p / g) : std::nan("");
    }
    c.features.spectral_r = plume::spectral_correlation(deficit, in.k, in.wavelengths);
  }
}

std::vector<io::AutoMarker> markers_of(const std::vector<DetectedSource>& all, double min_score) {
  std::vector<io::AutoMarker> out;
  for (const auto& d : all) {
    if (d.candidate.score < min_score) continue;
    const plume::CandidateFeatures& f = d.candidate.features;
    out.push_back({d.longitude, d.latitude, d.candidate.score,
                   {{"pixels", f.pixels},
                    {"sum_z", f.sum_z},
                    {"peak_z", f.peak_z},
                    {"elongation", f.elongation},
                    {"wind_alignment", f.wind_alignment},
                    {"downwind_z", f.downwind_z},
                    {"brightness_r", f.brightness_r},
                    {"screened_fraction", f.screened_fraction},
                    {"spectral_r", f.spectral_r},
                    {"merged_candidates", d.candidate.merged}}});
  }
  return out;
}
}  // namespace

DetectionOutcome detect_plumes(const std::string& l2_path, const DetectOptions& o, const geo::OrthoMap* ortho,
                               const std::string& l1_path) {
  DetectionOutcome out;
  out.l2_path = l2_path;
  const std::string target = detection_output_for(l2_path);
  if (o.skip_exist && fs::exists(target)) {
    out.skipped = true;
    out.markers_path = target;
    return out;
  }
  StageTimes& t = out.times;
  const DetectionInputs in = t.run("detect.read_l2", [&] { return read_inputs(l2_path, o); });
  const L2Scene& s = in.scene;
  plume::DetectionFields fields{&s.field, &in.denoised, &s.mask,
                                in.brightness.size() ? &in.brightness : nullptr,
                                &in.screened, &in.wind_east, &in.wind_north, s.resolution()};
  plume::DetectionOptions d;
  d.dist_max = o.dist_max;
  d.merge_distance = 2 * o.dist_max;
  d.model = o.model;
  std::vector<plume::Candidate> candidates = t.run("detect.candidates", [&] { return plume::find_candidates(fields, d); });

  out.spectral_check = "on";
  const std::string l1 = l1_path.empty() ? s.l1_path : l1_path;
  if (in.k.empty())
    out.spectral_check = "off: the L2 has no '" + o.gas + "_unit_absorption' spectrum";
  else if (l1.empty() || !fs::exists(l1))
    out.spectral_check = "off: the L1 is not there (" + (l1.empty() ? std::string("not named") : l1) + ")";
  if (out.spectral_check == "on" && !candidates.empty())
    t.run("detect.spectral", [&] {
      const auto granule = sensor::open_granule(l1, {o.dem});
      std::optional<geo::OrthoMap> own;
      if (!ortho) own.emplace(ortho_map_for(granule->read_geometry(), {in.hypergas, o.threads}));
      const geo::OrthoMap& map = ortho ? *ortho : *own;
      if (map.grid().width != s.cols() || map.grid().height != s.rows())
        throw InputError("the L1's grid is not the L2's (another scene?)", ErrorContext{l2_path, {}, {}});
      add_spectral_evidence(candidates, in, map, *granule);
    });
  if (out.spectral_check != "on")
    log::warn("detect: ", fs::path(l2_path).filename().string(), ": spectral check ", out.spectral_check);
  plume::score_and_merge(candidates, d, s.resolution());
  for (auto& c : candidates) {
    const double lon = s.longitude(c.row, c.col), lat = s.latitude(c.row, c.col);
    out.all.push_back({lon, lat, std::move(c)});
  }

  const std::vector<io::AutoMarker> markers = markers_of(out.all, o.min_score);
  out.written = markers.size();
  out.markers_path = target;
  char score[32];
  std::snprintf(score, sizeof score, "%g", o.min_score);
  t.run("detect.write", [&] {
    io::write_auto_markers(target, markers,
                           {{"source_l2", fs::path(l2_path).filename().string()},
                            {"gas", o.gas},
                            {"min_score", score},
                            {"wind_source", o.wind_source},
                            {"spectral_check", out.spectral_check},
                            {"software", std::string("hyperplume ") + version()}});
  });
  return out;
}

}  // namespace hyperplume::pipeline
