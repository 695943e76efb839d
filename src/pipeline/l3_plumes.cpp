#include <algorithm>
#include <cmath>
#include <filesystem>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/core/version.hpp>
#include <hyperplume/emission/column_mass.hpp>
#include <hyperplume/image/trimmed_stats.hpp>
#include <hyperplume/io/land_polygons.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <hyperplume/io/water_mask_tiles.hpp>
#include <hyperplume/pipeline/campaign_plan.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <hyperplume/pipeline/l3_writer.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <hyperplume/plume/plume_picker.hpp>
#include <limits>
#include <optional>
#include <tuple>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t i = s.find(from); i != std::string::npos; i = s.find(from, i + to.size()))
    s.replace(i, from.size(), to);
  return s;
}

const char* land_mask_name(LandMaskSource s) {
  switch (s) {
    case LandMaskSource::gshhs:
      return "GSHHS";
    case LandMaskSource::natural_earth:
      return "Natural Earth";
    default:
      return "OSM";
  }
}

Raster<std::uint8_t> land_mask(const L2Scene& s, const Config& config, LandMaskSource source) {
  Raster<std::int32_t> land;
  switch (source) {
    case LandMaskSource::osm:
      if (config.paths.osm_dir.empty())
        throw InputError("land_only with the OSM land mask needs paths.osm_dir");
      land = io::land_mask_from_tiles(config.paths.osm_dir, s.latitude, s.longitude);
      break;
    case LandMaskSource::gshhs:
    case LandMaskSource::natural_earth: {
      const std::string& file =
          source == LandMaskSource::gshhs ? config.paths.gshhs : config.paths.natural_earth;
      if (file.empty())
        throw InputError(std::string("land_only with the ") + land_mask_name(source) +
                         " land mask needs paths." +
                         (source == LandMaskSource::gshhs ? "gshhs" : "natural_earth"));
      land = io::land_mask_from_polygons(file, s.latitude, s.longitude);
      break;
    }
    default:
      throw InputError("the L3 land mask source must be osm, gshhs or natural-earth");
  }
  return (land > 0).cast<std::uint8_t>();
}

// Plume means of every source's wind and pressure (NaN where a source has nothing).
std::vector<emission::SourceWind> plume_winds(const L2Scene& s, const Raster<std::uint8_t>& mask) {
  std::vector<emission::SourceWind> out;
  for (std::size_t k = 0; k < s.sources.size(); ++k) {
    double sum[3] = {0, 0, 0};
    std::size_t n[3] = {0, 0, 0};
    for (Eigen::Index i = 0; i < mask.size(); ++i)
      if (mask.data()[i])
        for (int q = 0; q < 3; ++q) {
          const double v = s.weather[k][static_cast<std::size_t>(q)].data()[i];
          if (std::isfinite(v)) {
            sum[q] += v;
            ++n[q];
          }
        }
    auto mean = [&](int q) { return n[q] ? sum[q] / static_cast<double>(n[q]) : kNaN; };
    out.push_back({s.sources[k], mean(0), mean(1), mean(2)});
  }
  return out;
}

std::string plume_id_of(const std::string& instrument, const UtcTime& start, int index) {
  const CivilTime c = start.civil();
  char b[64];
  std::snprintf(b, sizeof b, "%s-%04d%02d%02dt%02d%02d%02d-plume%d", instrument.c_str(), c.year,
                c.month, c.day, c.hour, c.minute, static_cast<int>(std::floor(c.second)), index);
  return b;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string field_units(const L2Scene& s) {
  const std::string units = text_attribute(s.field_attributes, "units");
  if (units.empty())
    throw InputError("the '" + s.gas + "' field has no units", ErrorContext{s.path, {}, {}});
  return units;
}

struct Picked {
  io::SourceMarker marker;
  plume::PickedPlume plume;
  int same_as = -1;  // the marker index of the first plume with the same pixels, or -1
};

// Every usable marker's plume, in marker order, with the first identical one of each. A
// marker that cannot be picked gets its reason in its outcome, unless its plume is kept.
// The grid pixel whose centre is nearest (lon, lat).
std::pair<int, int> nearest_pixel(const L2Scene& s, double lon, double lat) {
  const std::int64_t i = plume::nearest_pixel_centre(s.longitude, s.latitude, lon, lat);
  if (i < 0) throw InputError("no pixel of the L2 grid has coordinates");
  return {static_cast<int>(i / s.cols()), static_cast<int>(i % s.cols())};
}

// The plume of a known mask (an existing L3): its source the grid pixel nearest the marker.
plume::PickedPlume plume_of_mask(const Raster<std::uint8_t>& mask, const L2Scene& s, double lon,
                                 double lat) {
  if (mask.rows() != s.rows() || mask.cols() != s.cols() || mask.maxCoeff() == 0)
    throw InputError("the existing L3 plume is empty or on another grid than its L2");
  plume::PickedPlume p;
  std::tie(p.row, p.col) = nearest_pixel(s, lon, lat);
  p.longitude = s.longitude(p.row, p.col);
  p.latitude = s.latitude(p.row, p.col);
  p.mask = mask;
  return p;
}

// The wind at a grid pixel: the chosen source's, else the first source with one (east, north).
std::optional<std::pair<double, double>> wind_at(const L2Scene& s, int r, int c, const std::string& source) {
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < s.sources.size(); ++k)
    if (s.sources[k] == source) order.insert(order.begin(), k);
    else order.push_back(k);
  for (std::size_t k : order) {
    const double u = s.weather[k][0](r, c), v = s.weather[k][1](r, c);
    if (std::isfinite(u) && std::isfinite(v)) return std::pair{u, v};
  }
  return std::nullopt;
}

// A marker with no significant enhancement downwind of it (plume::downwind_signal, within
// 3 dist_max and 45 degrees of the wind at the marker, z below min_source_z) is refused:
// noise, or a radiance gain. Without any wind at the marker there is no test.
void refuse_without_downwind_signal(const L2Scene& s, const io::SourceMarker& m, const L3Options& o,
                                    double res, double noise) {
  if (!std::isfinite(o.min_source_z)) return;
  const auto [r, c] = nearest_pixel(s, m.longitude, m.latitude);  // the marker, not the label it moved into
  const auto wind = wind_at(s, r, c, o.wind_source);
  if (!wind) return;
  const double length = 3 * o.dist_max / res;
  const plume::DownwindSignal d = plume::downwind_signal(s.field, r, c, wind->first, wind->second, length, 45, noise);
  if (d.z >= o.min_source_z) return;
  char why[320];
  std::snprintf(why, sizeof why,
                d.z < -3 ? "a significantly negative enhancement downwind of the source (z = %.1f over %d "
                           "pixels within %.0f m): radiance gained, not absorbed by %s; refused"
                         : "no significant enhancement downwind of the source (z = %.1f over %d pixels within "
                           "%.0f m, below the threshold): noise, not a plume of %s; refused",
                d.z, d.pixels, 3 * o.dist_max, upper(o.gas).c_str());
  throw InputError("marker " + std::to_string(m.index) + ": " + why);
}

template <class Outcome>
std::vector<Picked> pick_every_marker(const std::vector<PlumeRequest>& requests,
                                      const L2Scene& s, const plume::PlumeGrid& grid,
                                      const plume::PickOptions& pick, StageTimes& times,
                                      Outcome&& outcome) {
  std::vector<Picked> picked;
  for (const auto& rq : requests) {
    const io::SourceMarker& m = rq.marker;
    PlumeOutcome& out = outcome(m.index);
    const std::string failure = "marker " + std::to_string(m.index) + ": ";
    if (!m.problem.empty()) {
      if (!out.skipped) out.error = failure + m.problem;
      continue;
    }
    try {
      picked.push_back({m, times.run("l3.pick", [&] {
                          return rq.mask ? plume_of_mask(*rq.mask, s, m.longitude, m.latitude)
                                         : plume::pick_plume(s.mask, grid, m.longitude, m.latitude, pick);
                        })});
    } catch (const InputError& e) {
      if (!out.skipped) out.error = failure + e.what();
    }
  }
  std::vector<const plume::PickedPlume*> plumes;
  for (const auto& pk : picked) plumes.push_back(&pk.plume);
  const std::vector<int> first = plume::first_identical_plume(plumes);
  for (std::size_t k = 0; k < picked.size(); ++k)
    if (first[k] >= 0) picked[k].same_as = picked[static_cast<std::size_t>(first[k])].marker.index;
  return picked;
}
}  // namespace

std::string markers_path_for(const std::string& l2_path) {
  return fs::path(l2_path).replace_extension(".geojson").string();
}

std::string l3_path_for(const std::string& l2_path, int plume_index) {
  const fs::path p(l2_path);
  const std::string stem = replace_all(p.stem().string(), "L2", "L3");
  return (p.parent_path() / (stem + "_plume" + std::to_string(plume_index) + ".nc")).string();
}

std::string l4_path_for(const std::string& l3_path) {
  return fs::path(l3_path).replace_extension(".csv").string();
}

std::string csf_path_for(const std::string& l3_path) {
  const fs::path p(l3_path);
  return (p.parent_path() / (p.stem().string() + "_csf.nc")).string();
}

namespace {
// Removes what an earlier run left of the plumes that failed now.
void remove_stale_plume_files(const SceneL3Outcome& result) {
  for (const auto& p : result.plumes) {
    if (p.error.empty() || p.skipped) continue;
    for (const std::string& f : {p.csv_path, csf_path_for(p.l3_path), p.l3_path}) {
      std::error_code ec;
      if (fs::remove(f, ec))
        log::warn("l3: removed ", fs::path(f).filename().string(),
                  " of an earlier run: this plume failed now");
    }
  }
}

SceneL3Outcome make_plumes(const std::string& l2_path, const Config& config, const L3Options& o,
                           const io::Gazetteer* gazetteer, const std::string& markers_path,
                           const std::vector<PlumeRequest>& requests);
}  // namespace

std::vector<std::string> marker_files_for(const std::string& l2_path, const L3Options& o) {
  if (!o.markers.empty()) return fs::exists(o.markers) ? std::vector<std::string>{o.markers} : std::vector<std::string>{};
  const std::string own = markers_path_for(l2_path), beside = auto_markers_path_for(l2_path);
  // An unreadable file at <stem>.geojson counts as an analyst's: its error is reported, and
  // the detector never replaces it.
  const bool own_exists = fs::exists(own);
  const bool own_automatic = own_exists && is_detector_marker_file(own);
  const std::string analyst = own_exists && !own_automatic ? own : "";
  const std::string automatic = own_automatic ? own : fs::exists(beside) ? beside : "";
  std::vector<std::string> out;
  auto add = [&](const std::string& f) {
    if (!f.empty()) out.push_back(f);
  };
  switch (o.markers_from) {
    case MarkerChoice::file:
      add(analyst);
      break;
    case MarkerChoice::automatic:
      add(automatic);
      break;
    case MarkerChoice::both:
      add(analyst);
      add(automatic);
      break;
    case MarkerChoice::prefer_file:
      add(analyst.empty() ? automatic : analyst);
      break;
  }
  return out;
}

std::string markers_checksum(const std::string& l2_path, const L3Options& o) {
  std::string out;
  for (const auto& f : marker_files_for(l2_path, o)) out += (out.empty() ? "" : " ") + file_checksum(f);
  return out;
}

SceneL3Outcome process_plumes(const std::string& l2_path, const Config& config, const L3Options& o,
                              const io::Gazetteer* gazetteer) {
  const std::vector<std::string> files = marker_files_for(l2_path, o);
  std::string joined;
  for (const auto& f : files) joined += (joined.empty() ? "" : " ") + f;
  if (files.empty()) {
    SceneL3Outcome none;
    none.l2_path = l2_path;
    none.markers_path = o.markers.empty() ? markers_path_for(l2_path) : o.markers;
    return none;
  }
  // Plume numbers follow the files in order: the analyst's markers first, then the candidates.
  std::vector<PlumeRequest> requests;
  for (const auto& f : files)
    for (auto& m : io::read_source_markers(f)) {
      m.index = static_cast<int>(requests.size());
      requests.push_back({std::move(m), {}});
    }
  return make_plumes(l2_path, config, o, gazetteer, joined, requests);
}

SceneL3Outcome reprocess_plumes(const std::string& l2_path, const Config& config, const L3Options& o,
                                const io::Gazetteer* gazetteer,
                                const std::vector<PlumeRequest>& plumes) {
  return make_plumes(l2_path, config, o, gazetteer, "", plumes);
}

namespace {
SceneL3Outcome make_plumes(const std::string& l2_path, const Config& config, const L3Options& o,
                           const io::Gazetteer* gazetteer, const std::string& markers_path,
                           const std::vector<PlumeRequest>& requests) {
  SceneL3Outcome result;
  result.l2_path = l2_path;
  result.markers_path = markers_path;
  const std::string sensor_key = sensor_key_of(l2_path);
  const auto sensor = config.sensors.find(sensor_key);
  if (sensor == config.sensors.end())
    throw InputError("no [sensor." + sensor_key + "] in the configuration");
  const SensorConfig& sc = sensor->second;

  // Plumes still to make (skip-exist keeps the others).
  bool any_to_make = false;
  for (const auto& rq : requests) {
    const io::SourceMarker& m = rq.marker;
    PlumeOutcome out;
    out.index = m.index;
    out.l3_path = l3_path_for(l2_path, m.index);
    out.csv_path = l4_path_for(out.l3_path);
    out.skipped = o.skip_exist && fs::exists(out.csv_path);
    any_to_make = any_to_make || !out.skipped;
    result.plumes.push_back(out);
  }
  auto outcome = [&](int index) -> PlumeOutcome& {
    return *std::find_if(result.plumes.begin(), result.plumes.end(),
                         [&](const PlumeOutcome& p) { return p.index == index; });
  };
  if (!any_to_make) return result;

  StageTimes& times = result.times;
  const L2Scene s = times.run("l3.read_l2", [&] { return read_l2_for_plumes(l2_path, o.gas); });
  // What the L3 files are made from, so that a reprocessing can tell they belong to this L2.
  const std::string l2_checksum = times.run("l3.read_l2", [&] { return file_checksum(l2_path); });
  const double res = s.resolution();
  const Raster<std::uint8_t> land = times.run("l3.land_mask", [&] {
    return o.land_only ? land_mask(s, config, o.land_mask) : Raster<std::uint8_t>{};
  });
  const std::string units = field_units(s);
  const double noise = times.run("l3.read_l2", [&] {
    std::vector<double> finite;
    for (Eigen::Index i = 0; i < s.field.size(); ++i)
      if (std::isfinite(s.field.data()[i])) finite.push_back(s.field.data()[i]);
    return image::robust_std(std::move(finite));
  });
  const auto calibration = emission::choose_calibration(config, o.gas, o.ipcc_sector, sensor_key);
  for (auto& out : result.plumes)
    if (!out.skipped) out.plume_id = plume_id_of(sc.instrument, s.start, out.index);

  // Pick every plume first, kept ones too: the default profile keeps all of them out of each
  // one's background, and a plume is made only once however many markers pick it.
  plume::PlumeGrid grid{&s.longitude, &s.latitude, s.x, s.y};
  plume::PickOptions pick;
  pick.azimuth_diff_max = o.azimuth_diff_max;
  pick.dist_max = o.dist_max;
  pick.label_max_distance = o.label_max_distance;
  pick.hypergas = o.hypergas;
  const std::vector<Picked> picked = pick_every_marker(requests, s, grid, pick, times, outcome);
  for (const auto& pk : picked) {  // a kept plume (skip-exist) stays as it is
    PlumeOutcome& out = outcome(pk.marker.index);
    if (pk.same_as >= 0 && !out.skipped) {
      out.same_as = pk.same_as;
      out.error = "same plume as plume" + std::to_string(pk.same_as) +
                  " (the same pixels; made once, by the first marker)";
    }
  }

  // Every distinct plume, kept out of each one's background footprints (default profile).
  Raster<std::uint8_t> all_plumes;
  if (std::count_if(picked.begin(), picked.end(), [](const Picked& p) { return p.same_as < 0; }) >
      1) {
    all_plumes = Raster<std::uint8_t>::Zero(s.rows(), s.cols());
    for (const auto& pk : picked) all_plumes = all_plumes.max(pk.plume.mask);
  }
  const std::string site_name =
      o.site_name.empty()
          ? replace_all(fs::path(l2_path).parent_path().filename().string(), "_", " ")
          : o.site_name;
  for (const auto& pk : picked) {
    PlumeOutcome& out = outcome(pk.marker.index);
    if (out.skipped || pk.same_as >= 0) continue;
    try {
      const plume::PickedPlume& p = pk.plume;
      const auto winds = plume_winds(s, p.mask);
      refuse_without_downwind_signal(s, pk.marker, o, res, noise);
      const auto wind = emission::choose_wind(winds, o.wind_source, o.wspd_manual, o.sp_manual);
      const double k = emission::column_mass_per_unit(units, o.gas, wind.surface_pressure);

      emission::EmissionInputs in;
      in.res = res;
      in.x = s.x;
      in.y = s.y;
      in.source_row = p.row;
      in.source_col = p.col;
      in.background = s.field.cast<double>() * k;
      in.plume = Raster<double>::Constant(s.rows(), s.cols(), kNaN);
      const Raster<std::uint8_t> cm =
          plume::carbon_mapper_mask(s.field, p.row, p.col, std::floor(res));
      in.cm_plume = in.plume;
      for (Eigen::Index i = 0; i < in.plume.size(); ++i) {
        if (p.mask.data()[i]) in.plume.data()[i] = in.background.data()[i];
        if (cm.data()[i]) in.cm_plume.data()[i] = in.background.data()[i];
      }
      in.land = land;
      in.all_plumes = all_plumes;
      emission::EstimateOptions eo;
      eo.hypergas = o.hypergas;
      const CounterRng rng = CounterRng(o.seed, stream_id(out.plume_id));
      const auto e = times.run("l3.estimate", [&] {
        return emission::estimate_emission(in, wind, calibration, rng, eo);
      });

      // The plume's extent in lon/lat.
      double lon0 = 1e9, lat0 = 1e9, lon1 = -1e9, lat1 = -1e9;
      for (Eigen::Index i = 0; i < in.plume.size(); ++i)
        if (std::isfinite(in.plume.data()[i])) {
          lon0 = std::min(lon0, s.longitude.data()[i]);
          lon1 = std::max(lon1, s.longitude.data()[i]);
          lat0 = std::min(lat0, s.latitude.data()[i]);
          lat1 = std::max(lat1, s.latitude.data()[i]);
        }
      const io::Place place = gazetteer
                                  ? gazetteer->nearest(p.latitude, p.longitude, o.geocode_radius_km)
                                  : io::Place{};

      std::map<std::string, std::string> c;
      auto num = [](double v) { return l4_number(v); };
      c["plume_id"] = out.plume_id;
      c["plume_latitude"] = num(p.latitude);
      c["plume_longitude"] = num(p.longitude);
      std::string when = s.start.iso8601();  // ...+0000; HyperGas's naive UTC has no offset
      if (o.hypergas && when.size() > 5) when.resize(when.size() - 5);
      c["datetime"] = when;
      c["country"] = place.country;
      c["state"] = place.state;
      c["city"] = place.city;
      c["name"] = site_name;
      c["ipcc_sector"] = o.ipcc_sector;
      c["gas"] = upper(o.gas);
      c["plume_bounds"] = l4_list(std::vector<double>{lon0, lat0, lon1, lat1}, o.hypergas);
      c["instrument"] = sc.instrument;
      c["platform"] = sc.platform;
      c["provider"] = sc.provider;
      c["emission"] = num(e.emission);
      c["emission_uncertainty"] = num(e.uncertainty);
      c["emission_uncertainty_random"] = num(e.uncertainty_random);
      c["emission_uncertainty_wind"] = num(e.uncertainty_wind);
      c["emission_uncertainty_calibration"] = num(e.uncertainty_calibration);
      c["emission_cm"] = num(e.emission_cm);
      c["emission_fetch"] = num(e.emission_fetch);
      c["emission_fetch_uncertainty"] = num(e.fetch_uncertainty);
      c["emission_fetch_uncertainty_ime"] = num(e.fetch_uncertainty_ime);
      c["emission_fetch_uncertainty_wind"] = num(e.fetch_uncertainty_wind);
      c["emission_csf"] = num(e.emission_csf);
      c["emission_csf_uncertainty"] = num(e.csf_uncertainty);
      c["emission_csf_uncertainty_random"] = num(e.csf_uncertainty_random);
      c["emission_csf_uncertainty_wind"] = num(e.csf_uncertainty_wind);
      c["emission_csf_uncertainty_calibration"] = num(e.csf_uncertainty_calibration);
      c["surface_pressure"] = num(wind.surface_pressure);
      c["wind_source"] = o.wind_source;
      c["wind_speed"] = num(wind.speed);
      c["wind_direction"] = num(wind.direction);
      c["ime"] = num(e.ime);
      c["l_ime"] = num(e.l_ime);
      c["ueff_ime"] = num(e.ueff_ime);
      c["leff_ime"] = num(e.leff_ime);
      c["ime_cm"] = num(e.ime_cm);
      c["l_cm"] = num(e.l_cm);
      c["ueff_csf"] = num(e.ueff_csf);
      c["n_csf"] = std::to_string(e.csf.lines_with_pixels());
      c["l_csf"] = num(e.csf.length);
      c["alpha1"] = num(calibration.primary.alpha1);
      c["alpha2"] = num(calibration.primary.alpha2);
      c["alpha3"] = num(calibration.primary.alpha3);
      c["beta1"] = num(calibration.primary.beta1);
      c["beta2"] = num(calibration.primary.beta2);
      c["wind_speed_all"] = l4_list(wind.speed_all, o.hypergas);
      c["wind_direction_all"] = l4_list(wind.direction_all, o.hypergas);
      c["wind_source_all"] = l4_list(wind.source_all, o.hypergas);
      c["azimuth_diff_max"] = num(o.azimuth_diff_max);
      c["dist_max"] = num(o.dist_max);
      c["land_only"] = o.land_only ? "True" : "False";
      c["land_mask_source"] = land_mask_name(o.land_mask);
      c["version"] = std::string("hyperplume_") + version();
      c["wind_speed_manual"] = o.wspd_manual ? num(*o.wspd_manual) : "";
      c["marker_origin"] = pk.marker.origin;

      L3Plume l3;
      l3.scene = &s;
      l3.mask = &p.mask;
      l3.cm_mask = &cm;
      l3.winds = winds;
      l3.plume_id = out.plume_id;
      l3.plume_longitude = p.longitude;
      l3.plume_latitude = p.latitude;
      l3.provenance = {{"profile", o.profile},
                       {"random_seed", static_cast<double>(o.seed)},
                       {"markers_file", result.markers_path},
                       {"marker_origin", pk.marker.origin},
                      {"source_l2", fs::path(l2_path).filename().string()},
                      {"source_l2_checksum", l2_checksum},
                       {"a_priori_labels", [&] {
                          std::string t;
                          for (int label : p.labels)
                            t += (t.empty() ? "" : " ") + std::to_string(label);
                          return t;
                        }()}};
      if (std::isfinite(pk.marker.score)) l3.provenance.emplace_back("detection_score", pk.marker.score);
      // The CSV last: its presence means the plume is complete (skip-exist, merging).
      const bool keep_l3 = std::any_of(requests.begin(), requests.end(), [&](const PlumeRequest& rq) {
        return rq.marker.index == pk.marker.index && rq.mask;
      });
      times.run("l3.write", [&] {
        if (!keep_l3) write_l3_plume(out.l3_path, l3);
        write_csf_lines(csf_path_for(out.l3_path), e, s, o.hypergas ? "ceter_line" : "center_line");
        write_l4_csv(out.csv_path, c);
      });
      log::info("l3: ", out.plume_id, ": IME ", static_cast<long>(std::lround(e.emission)), " +/- ",
                static_cast<long>(std::lround(e.uncertainty)), " kg/h, CSF ",
                static_cast<long>(std::lround(e.emission_csf)), " +/- ",
                static_cast<long>(std::lround(e.csf_uncertainty)), " kg/h");
    } catch (const InputError& e) {
      out.error = e.what();
    }
  }
  for (const auto& p : result.plumes)
    if (!p.error.empty())
      log::warn("l3: ", fs::path(l2_path).filename().string(), " plume", p.index, ": ", p.error);
  remove_stale_plume_files(result);
  return result;
}
}  // namespace

}  // namespace hyperplume::pipeline
