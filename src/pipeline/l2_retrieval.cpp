#include <algorithm>
#include <sstream>
#include <cmath>
#include <filesystem>
#include <hyperplume/core/constants.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/geo/solar_position.hpp>
#include <hyperplume/image/true_color.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <hyperplume/io/land_polygons.hpp>
#include <hyperplume/io/reanalysis.hpp>
#include <hyperplume/io/water_mask_tiles.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/retrieval/absorption_model.hpp>
#include <hyperplume/retrieval/cluster.hpp>
#include <hyperplume/retrieval/quality_mask.hpp>
#include <hyperplume/retrieval/unit_spectrum.hpp>
#include <hyperplume/retrieval/window_retrieval.hpp>
#include <hyperplume/spectral/ch4_lut.hpp>
#include <hyperplume/spectral/solar_irradiance.hpp>
#include <limits>
#include <numbers>
#include <optional>
#include <tuple>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;
using retrieval::ColumnQa;

bool in_water_vapour_band(double w) { return (w > 1358 && w < 1453) || (w > 1814 && w < 1961); }

const L2Field* L2Product::field(const std::string& name) const {
  for (const auto& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

FieldSummary summarize(const Raster<float>& v, const Raster<float>* sigma) {
  FieldSummary s;
  std::vector<float> x;
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (std::isfinite(v.data()[i])) {
      x.push_back(v.data()[i]);
      if (sigma && v.data()[i] > 3.0f * sigma->data()[i]) ++s.above_3_sigma;
    }
  s.valid = x.size();
  if (x.empty()) return s;
  auto q = [&](double f) {
    auto it = x.begin() + static_cast<std::ptrdiff_t>(f * static_cast<double>(x.size() - 1));
    std::nth_element(x.begin(), it, x.end());
    return static_cast<double>(*it);
  };
  s.median = q(0.5);
  s.noise = 0.5 * (q(0.84) - q(0.16));
  s.max = q(1.0);
  return s;
}

std::string l2_path_for(const std::string& l1_path) {
  const fs::path p(l1_path);
  std::string name = p.filename().string();
  for (auto pos = name.find("L1"); pos != std::string::npos; pos = name.find("L1", pos + 2))
    name.replace(pos, 2, "L2");
  if (const auto pos = name.find("_RAD"); pos != std::string::npos) name.erase(pos, 4);
  return (p.parent_path() / fs::path(name).replace_extension(".nc")).string();
}

std::string unortho_path_for(const std::string& l2_path) {
  fs::path p(l2_path);
  return (p.parent_path() / (p.stem().string() + "_unortho.nc")).string();
}

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;

const char* gas_long_name(const std::string& gas) {
  if (gas == "ch4") return "methane";
  if (gas == "co2") return "carbon_dioxide";
  if (gas == "co") return "carbon_monoxide";
  return "nitrogen_dioxide";
}

int nearest(const std::vector<double>& wl, const std::vector<int>& candidates, double target) {
  int best = candidates.front();
  for (int b : candidates)
    if (std::abs(wl[static_cast<std::size_t>(b)] - target) <
        std::abs(wl[static_cast<std::size_t>(best)] - target))
      best = b;
  return best;
}

struct Window {
  std::string gas, name;
  double lo, hi;
  std::vector<int> file_bands;
};

Raster<float> scaled(const Raster<float>& r, double f) {
  return (r.cast<double>() * f).cast<float>();
}

// From ppm (column-mean mixing ratio) to the configured units (l1_l2 §3.8).
double output_scale(const std::string& units, double per_ppm) {
  if (units == "ppm") return per_ppm;
  if (units == "ppb") return per_ppm * 1000.0;
  if (units == "ppm m") return per_ppm * 8000.0;
  if (units == "umol m-2") return per_ppm * 1000.0 / 2900.0 * 1e6;
  throw InputError("unknown output units '" + units + "'");
}

std::map<std::string, AttributeValue> common_attributes(const Scene& s) {
  return {{"sensor", s.sensor.instrument},       {"platform_name", s.sensor.platform},
          {"start_time", s.start_time.iso8601()}, {"end_time", s.end_time.iso8601()},
          {"sza", nan_mean(s.sza)},               {"vza", nan_mean(s.vza)}};
}

// Every rank of a group throws the same error when any rank has one (all-gather of texts).
void agree_in_group(const par::Comm& group, const std::string& my_error) {
  const auto errors = group.all_gather(my_error);
  for (int k = 0; k < group.size(); ++k) {
    std::string e = errors[static_cast<std::size_t>(k)];
    if (e.empty()) continue;
    // A rank that failed before this point sent run_chain's "<kind>\t<file>\t<message>".
    if (const auto t1 = e.find('\t'), t2 = e.find('\t', t1 + 1); t1 != std::string::npos && t2 != std::string::npos)
      e = (t2 > t1 + 1 ? e.substr(t1 + 1, t2 - t1 - 1) + ": " : "") + e.substr(t2 + 1);
    throw GroupAgreedError(k == group.rank() ? my_error : "scene-group rank " + std::to_string(k) + ": " + e);
  }
}

// The leader's wind and pressure on every rank of a group: a reanalysis read that fails on
// one rank only (it is recorded, not thrown) must not give the ranks different products.
void share_leader_weather(L2Product& p, const par::Comm& group) {
  for (auto& w : p.weather)
    for (Raster<float>* r : {&w.u10, &w.v10, &w.sp})
      group.broadcast(r->data(), static_cast<std::size_t>(r->size()), 0);
  std::string problems;
  for (const auto& q : p.weather_problems) problems += q + "\n";
  group.broadcast(problems, 0);
  p.weather_problems.clear();
  std::istringstream in(problems);
  for (std::string line; std::getline(in, line);) p.weather_problems.push_back(line);
}

// One job per window: its target, noise and filter settings, and its results.
struct Job {
  const Window* window = nullptr;
  retrieval::UnitSpectrum target;
  retrieval::BandNoise noise;
  retrieval::WindowRetrievalInput in;
  retrieval::WindowRetrieval result;
  bool lognormal = false;
  double to_output = 1.0;         // filter units -> configured output units
  Raster<std::int32_t> clusters;  // with --cluster: this window's k-means labels
  Raster<std::uint8_t> exclude;
};

// Contiguous runs of the listed (ascending) columns, each at most `width` wide.
std::vector<std::pair<int, int>> column_slabs(const std::vector<int>& columns, int width) {
  std::vector<std::pair<int, int>> out;
  for (std::size_t i = 0; i < columns.size();) {
    std::size_t j = i + 1;
    while (j < columns.size() && columns[j] == columns[j - 1] + 1 &&
           columns[j] - columns[i] < width)
      ++j;
    out.emplace_back(columns[i], columns[j - 1] + 1);
    i = j;
  }
  return out;
}
}  // namespace

struct SceneRetrieval::State {
  const Config& config;
  L2Options opt;
  int threads;
  StageTimes times;  // before the reader: its opening is the first stage timed
  std::unique_ptr<sensor::Granule> l1;
  std::vector<int> all, kept, vis_bands, cube_bands;
  std::vector<Window> windows;
  L2Product base;  // everything but the gas fields: scene, masks, wind, RGB (after pass 1)
  Raster<std::uint8_t> exclude;
  std::vector<Job> jobs;
  int gsize = 1, grank = 0, col_begin = 0, col_end = 0;
  // The first pass's results of every job (all columns), reused by later passes.
  std::vector<retrieval::WindowRetrieval> first;
  std::vector<bool> first_lognormal;
  int passes = 0;
  // RGB, accumulated in the first pass's slab loop.
  std::optional<image::TrueColor> true_color;
  int vis_offset = 0;
  std::array<Raster<float>, 3> xyz;
  double vis_max = 0;
  bool vis_nan = false;

  State(const std::string& rad_path, const Config& c, const Resources& res, const L2Options& o)
      : config(c),
        opt(o),
        threads(thread_count(o.threads)),
        l1(times.run("io.open_l1", [&] { return sensor::open_granule(rad_path, {c.paths.dem_dir}); })) {
    prepare(res);
  }

  const std::vector<double>& wl() const { return l1->wavelengths(); }
  void prepare(const Resources& res);
  void build_jobs(const Resources& res);
  void agree(const std::string& my_error) const {
    if (gsize > 1) agree_in_group(*opt.group, my_error);
  }
  void gather_columns(Raster<float>& r) const;
  void gather_qa(std::vector<ColumnQa>& qa) const;
  void rgb_slab(const RadianceCube& slab, int c0);
  void finish_rgb();
  void run_slabs(const std::vector<Job*>& todo, const std::vector<int>& columns);
  std::vector<int> own_columns() const {
    std::vector<int> c;
    for (int x = col_begin; x < col_end; ++x) c.push_back(x);
    return c;
  }
  std::vector<int> own_columns_with(const Raster<std::uint8_t>& plume) const {
    std::vector<int> c;
    for (int x = col_begin; x < col_end; ++x)
      if (plume.col(x).maxCoeff() > 0) c.push_back(x);
    return c;
  }
  L2Product compose();
};

void SceneRetrieval::State::prepare(const Resources& res) {
  L2Product& p = base;
  const auto& wl = this->wl();
  for (int b = 0; b < l1->bands(); ++b) {
    all.push_back(b);
    if (!in_water_vapour_band(wl[static_cast<std::size_t>(b)])) kept.push_back(b);
  }

  // Windows of every species, on the bands left after the water-vapour drop.
  for (const auto& gas : opt.species) {
    const SpeciesConfig& sc = config.species_config(gas);
    if (sc.rad_source == "lut" && gas != "ch4")
      throw InputError("species." + gas +
                       ".rad_source = lut: the resources hold a CH4 LUT only; use model with "
                       "cross-section files");
    for (const auto& [name, lo, hi] :
         {std::tuple{gas, sc.window_min, sc.window_max},
          std::tuple{gas + "_full", sc.full_window_min, sc.full_window_max}}) {
      Window w{gas, name, lo, hi, {}};
      for (int b : kept)
        if (wl[static_cast<std::size_t>(b)] >= lo && wl[static_cast<std::size_t>(b)] <= hi)
          w.file_bands.push_back(b);
      if (w.file_bands.size() < 3)
        throw InputError("window " + name + " holds fewer than 3 bands of this sensor");
      windows.push_back(std::move(w));
    }
  }
  // One read per slab serves every window and the true-colour bands: each stays a
  // contiguous range of the slab's bands.
  for (int b : all)
    if (wl[static_cast<std::size_t>(b)] >= 380 && wl[static_cast<std::size_t>(b)] <= 750)
      vis_bands.push_back(b);
  if (vis_bands.size() < 3)
    throw InputError("fewer than 3 visible bands (380-750 nm) for the true-colour image");
  cube_bands = vis_bands;
  for (const auto& w : windows)
    cube_bands.insert(cube_bands.end(), w.file_bands.begin(), w.file_bands.end());
  std::sort(cube_bands.begin(), cube_bands.end());
  cube_bands.erase(std::unique(cube_bands.begin(), cube_bands.end()), cube_bands.end());
  // Screening bands; HyperGas looks for "1380 nm" among the bands left after the drop.
  const std::vector<int> screen{
      nearest(wl, all, 450),  nearest(wl, all, 1000),
      nearest(wl, all, 1250), nearest(wl, opt.hypergas ? kept : all, 1380),
      nearest(wl, all, 1650), nearest(wl, kept, 2100)};
  std::vector<int> screen_sorted = screen;
  std::sort(screen_sorted.begin(), screen_sorted.end());
  screen_sorted.erase(std::unique(screen_sorted.begin(), screen_sorted.end()), screen_sorted.end());

  p.scene = times.run("io.read_l1.geometry", [&] { return l1->read_geometry(); });
  const RadianceCube screen_cube =
      times.run("io.read_l1.screen", [&] { return l1->read_radiance(screen_sorted); });
  Scene& s = p.scene;
  auto screen_band = [&](int file_band) {
    const auto i =
        std::find(screen_sorted.begin(), screen_sorted.end(), file_band) - screen_sorted.begin();
    return screen_cube.band_image(static_cast<int>(i));
  };

  // Pre-processing: radiance_2100, derived angles.
  times.run("preprocess", [&] {
    auto a = common_attributes(s);
    a["units"] = s.radiance_units;
    a["long_name"] = "TOA radiance at 2100 nm";
    a["description"] = "TOA radiance at 2100 nm";
    p.fields.push_back({"radiance_2100", screen_band(screen[5]), a});
    Raster<float> raa(s.rows(), s.cols()), sga(s.rows(), s.cols());
    for (Eigen::Index i = 0; i < raa.size(); ++i) {
      const double saa = s.saa.data()[i], vaa = s.vaa.data()[i];
      const double d = std::abs(vaa - saa);
      raa.data()[i] = static_cast<float>(std::min(d, 360.0 - d));
      const double z1 = static_cast<double>(s.vza.data()[i]) * kDeg,
                   z2 = static_cast<double>(s.sza.data()[i]) * kDeg;
      const double c =
          std::cos(z1) * std::cos(z2) - std::sin(z1) * std::sin(z2) * std::cos((saa - vaa) * kDeg);
      sga.data()[i] = static_cast<float>(std::acos(std::clamp(c, -1.0, 1.0)) / kDeg);
    }
    const std::pair<const char*, const Raster<float>*> angles[] = {{"sza", &s.sza}, {"saa", &s.saa},
                                                                   {"vza", &s.vza}, {"vaa", &s.vaa},
                                                                   {"raa", &raa},   {"sga", &sga}};
    const char* std_names[] = {"solar_zenith_angle",     "solar_azimuth_angle",
                               "viewing_zenith_angle",   "viewing_azimuth_angle",
                               "relative_azimuth_angle", "sun_glint_angle"};
    for (std::size_t k = 0; k < 6; ++k)
      p.fields.push_back({angles[k].first,
                          *angles[k].second,
                          {{"standard_name", std_names[k]}, {"units", "degrees"}}});
  });

  // Wind and surface pressure from every configured source; one failing source is
  // reported and the others are still used.
  times.run("preprocess.wind", [&] {
    const std::pair<const char*, io::SwathWeather (*)(const std::string&, const UtcTime&,
                                                      const Raster<double>&, const Raster<double>&)>
        sources[] = {{"ERA5", &io::era5_on_swath}, {"GEOS-FP", &io::geosfp_on_swath}};
    const std::string dirs[] = {config.paths.era5_dir, config.paths.geosfp_dir};
    const UtcTime mid =
        UtcTime::from_unix(0.5 * (s.start_time.unix_seconds() + s.end_time.unix_seconds()));
    for (const auto& files : {io::era5_files_for(dirs[0], mid), io::geosfp_files_for(dirs[1], mid)})
      p.ancillary_inputs.insert(p.ancillary_inputs.end(), files.begin(), files.end());
    for (std::size_t i = 0; i < 2; ++i) {
      p.weather_sources.push_back(sources[i].first);
      try {
        p.weather.push_back(sources[i].second(dirs[i], mid, s.latitude, s.longitude));
      } catch (const InputError& e) {
        log::warn("l2: wind source ", sources[i].first, " unavailable for ", s.id, ": ", e.what());
        p.weather_problems.push_back(std::string(sources[i].first) + ": " + e.what());
        const Raster<float> nan =
            Raster<float>::Constant(s.rows(), s.cols(), std::numeric_limits<float>::quiet_NaN());
        p.weather.push_back({nan, nan, nan});
      }
    }
  });

  // Screening and segmentation.
  times.run("masks", [&] {
    const auto solar = spectral::SolarIrradiance::load(res.file("solar/kurucz_0.1nm.dat"));
    std::vector<double> c, f;
    for (int b : screen) {
      c.push_back(wl[static_cast<std::size_t>(b)]);
      f.push_back(l1->fwhm()[static_cast<std::size_t>(b)]);
    }
    const auto e = solar.bands_uW_cm2(c, f);
    const Raster<float> l450 = screen_band(screen[0]), l1000 = screen_band(screen[1]),
                        l1250 = screen_band(screen[2]), l1380 = screen_band(screen[3]),
                        l1650 = screen_band(screen[4]);
    retrieval::QualityInputs q{&l450,
                               &l1000,
                               &l1250,
                               &l1380,
                               &l1650,
                               e[0],
                               e[1],
                               e[2],
                               e[3],
                               e[4],
                               &s.sza,
                               l1->radiance_to_uW_cm2(),
                               geo::EarthSunDistance::load(res.file("solar/earth_sun_distance.txt"))
                                   .au(s.start_time.day_of_year()),
                               opt.hypergas};
    const auto m = retrieval::quality_mask(q);
    p.quality[0] = m.water;
    p.quality[1] = m.cloud;
    p.quality[2] = m.cirrus;
    p.quality[3] = m.invalid;
    // The instrument's own flags join the radiance tests (HyperGas does not read them).
    if (!opt.hypergas) {
      const sensor::ShippedFlags shipped = l1->shipped_flags();
      if (shipped.cloud.size()) p.quality[1] = p.quality[1].max(shipped.cloud);
      if (shipped.cirrus.size()) p.quality[2] = p.quality[2].max(shipped.cirrus);
    }
    switch (opt.land_mask) {
      case LandMaskSource::osm:
        p.segmentation = io::land_mask_from_tiles(config.paths.osm_dir, s.latitude, s.longitude);
        p.segmentation_description = "OSM land mask (0: ocean/lake, 1: land)";
        break;
      case LandMaskSource::gshhs:
        p.segmentation = io::land_mask_from_polygons(config.paths.gshhs, s.latitude, s.longitude);
        p.segmentation_description = "GSHHS land mask (0: ocean, 1: land)";
        break;
      case LandMaskSource::natural_earth:
        p.segmentation =
            io::land_mask_from_polygons(config.paths.natural_earth, s.latitude, s.longitude);
        p.segmentation_description = "Natural Earth land mask (0: ocean, 1: land)";
        break;
      case LandMaskSource::automatic:
        p.segmentation = (1 - m.water.cast<std::int32_t>());
        p.segmentation_description = "quality-mask land mask (0: water, 1: land)";
        break;
      case LandMaskSource::none:
        p.segmentation = Raster<std::int32_t>::Ones(s.rows(), s.cols());
        p.segmentation_description = "no segmentation (1: all pixels)";
        break;
    }
  });

  gsize = opt.group ? opt.group->size() : 1;
  grank = opt.group ? opt.group->rank() : 0;
  if (gsize > 1) {
    // Before the first collective: a rank that failed in the scene-wide part above is in
    // run_chain's agreement now, which is this same all-gather.
    agree_in_group(*opt.group, "");
    share_leader_weather(p, *opt.group);
  }
  build_jobs(res);

  // This rank's columns: all of them, or its share of a scene group's.
  std::tie(col_begin, col_end) = par::block_range(s.cols(), grank, gsize);
  std::vector<double> vis_centres;
  for (int b : vis_bands) vis_centres.push_back(wl[static_cast<std::size_t>(b)]);
  true_color.emplace(vis_centres);
  vis_offset = static_cast<int>(
      std::find(cube_bands.begin(), cube_bands.end(), vis_bands.front()) - cube_bands.begin());
  for (auto& r : xyz)
    r = Raster<float>::Constant(s.rows(), s.cols(), std::numeric_limits<float>::quiet_NaN());
}

void SceneRetrieval::State::build_jobs(const Resources& res) {
  L2Product& p = base;
  const Scene& s = p.scene;
  const auto& wl = this->wl();
  const double sza = nan_mean(s.sza), vza = nan_mean(s.vza);
  // Loaded on first use: the LUT for rad_source = lut, the cross sections per AFGL model.
  std::optional<spectral::Ch4RadianceLut> lut_cache;
  auto lut = [&]() -> const spectral::Ch4RadianceLut& {
    if (!lut_cache)
      lut_cache = spectral::Ch4RadianceLut::load(res.file("absorption/mag1c_ch4.lut"));
    return *lut_cache;
  };
  std::map<std::string, retrieval::AbsorptionModel> absorption_cache;
  auto absorption = [&](const std::string& model, double lo,
                        double hi) -> const retrieval::AbsorptionModel& {
    auto it = absorption_cache.find(model);
    if (it == absorption_cache.end())
      it = absorption_cache.emplace(model, retrieval::load_absorption_model(res, model, lo, hi))
               .first;
    return it->second;
  };
  const double amf = 1.0 / std::cos(sza * kDeg) + 1.0 / std::cos(vza * kDeg);
  double mean_elev = 0;
  if (s.elevation.size()) mean_elev = s.elevation.mean();
  // Surface pressure for ppm·m -> ppb: the reanalysis over the scene, else the standard
  // atmosphere at the scene's mean elevation.
  double surface_pressure =
      constants::kStandardPressure * std::exp(-mean_elev / constants::kScaleHeightPressure);
  for (const auto& w : p.weather)
    if (const double sp = nan_mean(w.sp); std::isfinite(sp)) surface_pressure = sp;
  p.surface_pressure = surface_pressure;
  exclude = Raster<std::uint8_t>::Zero(s.rows(), s.cols());
  if (opt.skip_cloud) exclude = (p.quality[1] + p.quality[2]).cwiseMin(std::uint8_t{1});

  jobs.resize(windows.size());
  for (std::size_t j = 0; j < windows.size(); ++j) {
    const Window& w = windows[j];
    Job& job = jobs[j];
    job.window = &w;
    std::vector<double> centres, fwhm;
    for (int b : w.file_bands) {
      centres.push_back(wl[static_cast<std::size_t>(b)]);
      fwhm.push_back(l1->fwhm()[static_cast<std::size_t>(b)]);
    }
    job.noise = l1->band_noise(res, w.file_bands);
    const SpeciesConfig& sc = config.species_config(w.gas);
    job.target = times.run("target", [&] {
      if (sc.rad_source == "lut")
        return retrieval::unit_spectrum_from_lut(lut(), centres, fwhm, sc.concentrations, amf,
                                                 surface_pressure);
      const std::string model =
          retrieval::afgl_model(s.latitude.mean(), s.start_time.day_of_year(), w.gas);
      const double margin = 40.0;  // nm: room for the SRF tails of the edge bands
      const auto& am = absorption(model, std::min(sc.window_min, sc.full_window_min) - margin,
                                  std::max(sc.window_max, sc.full_window_max) + margin);
      // HyperGas crops the grid to the window (truncating the edge SRFs); the default does not.
      return opt.hypergas ? retrieval::unit_spectrum_from_model(
                                am, w.gas, centres, fwhm, sc.concentrations, sza, vza, w.lo, w.hi)
                          : retrieval::unit_spectrum_from_model(am, w.gas, centres, fwhm,
                                                                sc.concentrations, sza, vza);
    });
    job.target.centres = centres;
    job.to_output = output_scale(sc.units, job.target.column_to_ppb / 1000.0);
    retrieval::WindowRetrievalInput& in = job.in;
    in.band_begin = static_cast<int>(
        std::lower_bound(cube_bands.begin(), cube_bands.end(), w.file_bands.front()) -
        cube_bands.begin());
    in.band_end = in.band_begin + static_cast<int>(w.file_bands.size());
    in.k = job.target.k;
    in.segmentation = &p.segmentation;
    in.exclude = &exclude;
    if (opt.skip_water) {
      if (opt.hypergas)
        in.hypergas_skip_rule = true;
      else
        in.skip_labels = {0};
    }
    if (opt.cluster) {
      // HyperGas clusters each window's own bands, and then applies its per-column skip
      // rule to the cluster labels; the default keeps water out through the land mask.
      job.clusters = times.run("segmentation.kmeans", [&] {
        return retrieval::kmeans_segmentation(l1->read_radiance(w.file_bands));
      });
      in.segmentation = &job.clusters;
      if (!opt.hypergas) {
        in.skip_labels.clear();
        job.exclude = exclude;
        if (opt.skip_water)
          job.exclude =
              (exclude + (p.segmentation == 0).cast<std::uint8_t>()).cwiseMin(std::uint8_t{1});
        in.exclude = &job.exclude;
      }
    }
    in.noise =
        w.name == w.gas ? &job.noise : nullptr;  // only the narrow window's uncertainty is written
    in.params.form =
        opt.hypergas ? retrieval::TargetForm::hypergas : retrieval::TargetForm::textbook;
    in.params.hypergas_scale = opt.hypergas ? retrieval::hypergas_scale(job.target.k) : 1.0;
    in.params.zero_when_too_few = opt.hypergas;
    in.params.albedo_correction = !opt.hypergas;
    in.threads = threads;
  }
}

// Rebuilds a scene-sized raster from every rank's own columns (exact copies).
void SceneRetrieval::State::gather_columns(Raster<float>& r) const {
  const int rows = base.scene.rows(), cols = base.scene.cols();
  std::vector<float> mine;
  for (int c = col_begin; c < col_end; ++c)
    for (int row = 0; row < rows; ++row) mine.push_back(r(row, c));
  const std::vector<float> everyone = opt.group->all_gather(mine);
  std::size_t at = 0;
  for (int k = 0; k < gsize; ++k) {
    const auto [c0, c1] = par::block_range(cols, k, gsize);
    for (int c = c0; c < c1; ++c)
      for (int row = 0; row < rows; ++row) r(row, c) = everyone[at++];
  }
}

void SceneRetrieval::State::gather_qa(std::vector<ColumnQa>& qa) const {
  std::vector<double> mine;
  for (const auto& q : qa)
    mine.insert(mine.end(), {double(q.column), double(q.label), double(q.valid_pixels),
                             double(q.background_pixels), q.rcond, q.loading,
                             double(static_cast<int>(q.status))});
  const std::vector<double> v = opt.group->all_gather(mine);
  qa.clear();
  for (std::size_t i = 0; i + 6 < v.size(); i += 7)
    qa.push_back({static_cast<std::int32_t>(v[i]), static_cast<std::int32_t>(v[i + 1]),
                  static_cast<std::int32_t>(v[i + 2]), static_cast<std::int32_t>(v[i + 3]),
                  v[i + 4], v[i + 5],
                  static_cast<retrieval::ColumnStatus>(static_cast<int>(v[i + 6]))});
}

// Un-normalised XYZ of the slab's pixels.
void SceneRetrieval::State::rgb_slab(const RadianceCube& slab, int c0) {
  const int nvis = static_cast<int>(vis_bands.size());
  for (int c = 0; c < slab.cols(); ++c)
    for (int r = 0; r < slab.rows(); ++r) {
      const float* px = slab.pixel(r, c) + vis_offset;
      bool ok = true;
      for (int b = 0; b < nvis; ++b) {
        ok = ok && std::isfinite(px[b]);
        if (std::isfinite(px[b])) vis_max = std::max(vis_max, static_cast<double>(px[b]));
      }
      vis_nan = vis_nan || !ok;
      if (!ok) continue;
      const auto v = true_color->xyz(px);
      for (std::size_t k = 0; k < 3; ++k) xyz[k](r, c0 + c) = static_cast<float>(v[k]);
    }
}

void SceneRetrieval::State::finish_rgb() {
  if (gsize > 1) {
    for (auto& r : xyz) gather_columns(r);
    vis_max = opt.group->max(vis_max);
    vis_nan = opt.group->any(vis_nan);
  }
  times.run("preprocess.rgb", [&] {
    // HyperGas's histogram step fails on NaNs and it falls back; the default profile
    // keeps HSI2RGB and leaves NaN pixels NaN.
    if (vis_max > 0 && !(opt.hypergas && vis_nan)) {
      base.rgb = image::TrueColor::finish(xyz, vis_max);
      base.rgb_method = "HSI2RGB (Magnusson et al. 2020), D65, CIE 1931 2-degree observer";
    } else {
      std::array<Raster<float>, 3> b;
      for (std::size_t k = 0; k < 3; ++k) {
        const double target[3] = {650, 560, 470};
        b[k] = l1->read_radiance({nearest(wl(), all, target[k])}).band_image(0);
      }
      base.rgb = image::fallback_rgb(b);
      base.rgb_method = "fallback: bands nearest 650/560/470 nm, b^(1/50), min-max normalised";
    }
  });
  for (auto& r : xyz) r = {};
}

// Filters the listed columns of this rank (ascending) for every job in `todo`, in slabs of
// detector columns (<= 256 MiB each, one reused buffer: the column-wise filters need
// nothing outside a slab). On the first pass every job starts empty; on a later one from
// its first-pass results, of which only the listed columns change. In a scene group every
// rank then holds the whole scene's results.
void SceneRetrieval::State::run_slabs(const std::vector<Job*>& todo, const std::vector<int>& columns) {
  const Scene& s = base.scene;
  const bool first_pass = passes == 0;
  for (Job* job : todo) {
    if (first_pass) {
      job->result = retrieval::empty_window_retrieval(s.rows(), s.cols());
    } else {
      const auto& f = first[static_cast<std::size_t>(job - jobs.data())];
      job->result = {f.alpha, f.sigma, {}};
    }
  }
  const std::size_t column_bytes =
      static_cast<std::size_t>(s.rows()) * cube_bands.size() * sizeof(float);
  const int width = static_cast<int>(std::clamp<std::size_t>(
      (std::size_t{256} << 20) / column_bytes, 1, static_cast<std::size_t>(s.cols())));
  std::string error;
  RadianceCube slab;
  // Opened once per pass; in a scene group collectively, for parallel netCDF-4 reads of
  // each rank's own column slabs (and closed collectively before the group compares notes).
  const auto file = times.run("io.read_l1", [&] { return l1->open_slabs(opt.group); });
  try {
    for (const auto& [c0, c1] : column_slabs(columns, width)) {
      times.run("io.read_l1", [&] { return file->read(cube_bands, c0, c1, slab); });
      if (first_pass) times.run("preprocess.rgb", [&] { rgb_slab(slab, c0); });
      for (Job* job : todo) {
        job->in.cube = &slab;
        job->in.column_offset = c0;
        times.run("mf." + job->window->name, [&] { retrieval::retrieve_window(job->in, job->result); });
      }
    }
  } catch (const Error& e) {
    if (gsize == 1) throw;  // the slabs close as they go
    error = e.what();
  }
  file->close();
  agree(error);
  if (!first_pass) {
    // This rank's QA: the first pass's for the columns not filtered again, in column order.
    std::vector<char> again(static_cast<std::size_t>(s.cols()), 0);
    for (int c : columns) again[static_cast<std::size_t>(c)] = 1;
    for (Job* job : todo) {
      std::vector<ColumnQa> qa;
      for (const auto& q : first[static_cast<std::size_t>(job - jobs.data())].qa)
        if (q.column >= col_begin && q.column < col_end && !again[static_cast<std::size_t>(q.column)])
          qa.push_back(q);
      qa.insert(qa.end(), job->result.qa.begin(), job->result.qa.end());
      std::stable_sort(qa.begin(), qa.end(),
                       [](const ColumnQa& a, const ColumnQa& b) { return a.column < b.column; });
      job->result.qa = std::move(qa);
    }
  }
  if (gsize > 1)
    for (Job* job : todo) {
      gather_columns(job->result.alpha);
      gather_columns(job->result.sigma);
      gather_qa(job->result.qa);
    }
}

L2Product SceneRetrieval::State::compose() {
  L2Product p;
  p.scene = base.scene.without_radiance();
  p.grid = base.grid;
  p.fields = base.fields;
  for (std::size_t k = 0; k < 4; ++k) p.quality[k] = base.quality[k];
  p.segmentation = base.segmentation;
  p.segmentation_description = base.segmentation_description;
  p.weather_sources = base.weather_sources;
  p.weather = base.weather;
  p.weather_problems = base.weather_problems;
  p.ancillary_inputs = base.ancillary_inputs;
  p.surface_pressure = base.surface_pressure;
  p.rgb = base.rgb;
  p.rgb_method = base.rgb_method;
  p.times = times;
  const Scene& s = p.scene;
  if (opt.cluster)
    for (Job& j : jobs)
      if (j.window->name == j.window->gas) {  // the product keeps the narrow window's clusters
        p.segmentation = j.clusters;
        p.segmentation_description = "Kmeans cluster";
      }
  std::map<std::string, Raster<float>> results;
  for (Job& job : jobs) {
    const Window& w = *job.window;
    const std::string mf =
        job.lognormal ? "lognormal matched filter"
        : job.in.params.distribution == retrieval::RadianceDistribution::sparse
            ? "sparse matched filter (mag1c: albedo-corrected, reweighted L1, non-negative)"
            : "normal matched filter";
    auto a = common_attributes(s);
    const std::string units = config.species_config(w.gas).units;
    a["units"] = units;
    a["standard_name"] = std::string(gas_long_name(w.gas)) + "_enhancement";
    a["long_name"] = std::string(gas_long_name(w.gas)) + "_enhancement";
    char desc[160];
    std::snprintf(desc, sizeof desc, "%s enhancement derived by the %g~%g nm window",
                  gas_long_name(w.gas), w.lo, w.hi);
    a["description"] = desc;
    a["matched_filter"] = mf;
    a["target_form"] =
        opt.hypergas
            ? "hypergas target-mean (scale s)"
            : (job.lognormal ? "textbook t = K" : "textbook t = K * mu, albedo-corrected (mag1c)");
    const double to_output = job.to_output;
    results[w.name] = scaled(job.result.alpha, to_output);
    if (w.name == w.gas) {
      p.fields.push_back({w.gas, results[w.name], a});
      auto u = a;
      u["long_name"] = std::string(gas_long_name(w.gas)) + "_enhancement_uncertainty";
      u.erase("standard_name");
      u["description"] =
          "1-sigma uncertainty: background covariance with the pixel's own instrument noise, "
          "propagated through the filter";
      p.fields.push_back({w.gas + "_uncertainty", scaled(job.result.sigma, to_output), u});
    } else {
      p.fields.push_back({w.name, results[w.name], a});
    }
    p.qa.push_back({w.name, job.result.qa});
    // K per unit of the field: d ln L / d(output) = (d ln L / d c) / (output per c).
    L2UnitSpectrum us{w.name, units + "-1", job.target.centres, {}};
    for (double k : job.target.k) us.k.push_back(k / to_output);
    p.unit_spectra.push_back(std::move(us));
  }
  p.times.run("comb", [&] {
    for (const auto& gas : opt.species) {
      L2Field comb = *p.field(gas + "_full");
      comb.name = gas + "_comb";
      comb.values = retrieval::combine_windows(
          results[gas], results[gas + "_full"], &p.segmentation,
          opt.hypergas ? retrieval::CombRule::hypergas : retrieval::CombRule::robust);
      p.fields.push_back(std::move(comb));
    }
  });
  return p;
}

SceneRetrieval::SceneRetrieval(const std::string& rad_path, const Config& config,
                               const Resources& res, const L2Options& options)
    : s_(std::make_unique<State>(rad_path, config, res, options)) {}

SceneRetrieval::~SceneRetrieval() = default;

int SceneRetrieval::passes_run() const { return s_->passes; }

const Scene& SceneRetrieval::scene() const { return s_->base.scene; }

L2Product SceneRetrieval::retrieve(const Raster<std::uint8_t>* plume_mask, RadDist rad_dist) {
  State& st = *s_;
  const bool first_pass = st.passes == 0;
  if (!first_pass) st.times = {};
  std::vector<Job*> all_jobs;
  for (Job& j : st.jobs) {
    j.in.plume = plume_mask;
    j.lognormal = rad_dist == RadDist::lognormal ||
                  (rad_dist == RadDist::automatic && !first_pass &&
                   st.first_lognormal[static_cast<std::size_t>(&j - st.jobs.data())]);
    j.in.params.distribution = j.lognormal ? retrieval::RadianceDistribution::lognormal
                               : rad_dist == RadDist::sparse
                                   ? retrieval::RadianceDistribution::sparse
                                   : retrieval::RadianceDistribution::normal;
    all_jobs.push_back(&j);
  }
  if (first_pass) {
    st.run_slabs(all_jobs, st.own_columns());
    st.finish_rgb();
    if (rad_dist == RadDist::automatic) {
      // Published rule (HyperGas issue #101): lognormal when more than five pixels exceed 1200 ppb.
      std::vector<Job*> again;
      for (Job& j : st.jobs)
        if (j.window->gas == "ch4" &&
            (j.result.alpha.cast<double>() * j.to_output > 1200.0).count() > 5) {
          j.lognormal = true;
          j.in.params.distribution = retrieval::RadianceDistribution::lognormal;
          again.push_back(&j);
        }
      if (!again.empty()) st.run_slabs(again, st.own_columns());
    }
    for (Job& j : st.jobs) {
      st.first.push_back(j.result);
      st.first_lognormal.push_back(j.lognormal);
    }
  } else {
    // Only the columns holding a plume pixel change, unless the filter itself changed.
    std::vector<Job*> same, changed;
    for (Job& j : st.jobs)
      (j.lognormal == st.first_lognormal[static_cast<std::size_t>(&j - st.jobs.data())] ? same
                                                                                          : changed)
          .push_back(&j);
    const std::vector<int> plume_columns =
        plume_mask ? st.own_columns_with(*plume_mask) : std::vector<int>{};
    if (!same.empty()) st.run_slabs(same, plume_columns);
    if (!changed.empty()) st.run_slabs(changed, st.own_columns());
  }
  ++st.passes;
  return st.compose();
}

L2Product retrieve_l2(const std::string& rad_path, const Config& config, const Resources& res,
                      const L2Options& opt) {
  SceneRetrieval retrieval(rad_path, config, res, opt);
  return retrieval.retrieve(opt.plume_mask, opt.rad_dist);
}

}  // namespace hyperplume::pipeline
