#include <algorithm>
#include <cmath>
#include <hyperplume/core/constants.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/sensor/enmap/granule.hpp>
#include <hyperplume/synth/ch4_injection.hpp>
#include <hyperplume/synth/puff_plume.hpp>
#include <hyperplume/synth/scene_synthesizer.hpp>
#include <numbers>

namespace hyperplume::synth {
namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
// EMIT's GLT posting at 60 m nadir sampling.
constexpr double kGltDegrees = 0.000542232520256367;
// Sub-pixel samples for spectral mixing at patch edges.
constexpr double kSub[4][2] = {{-0.25, -0.25}, {-0.25, 0.25}, {0.25, -0.25}, {0.25, 0.25}};

// Clear inland water: a few percent in the visible with a green maximum, near zero
// beyond 900 nm where water absorbs strongly.
double analytic_water(double wl) {
  if (wl < 700) return 0.02 + 0.03 * std::exp(-std::pow((wl - 550.0) / 80.0, 2));
  return std::max(0.002, 0.02 * std::exp(-(wl - 700.0) / 60.0));
}
}  // namespace

namespace {
// EnMAP's 224 bands: VNIR 91 over 418-993 nm (6.5 nm FWHM), then SWIR 133 over 902-2445 nm
// (10 nm), as its L1B metadata lists them (overlapping at 902-993 nm).
spectral::BandSet enmap_band_set() {
  spectral::BandSet b;
  for (int k = 0; k < 91; ++k) {
    b.centres.push_back(418.24 + k * (993.0 - 418.24) / 90);
    b.fwhm.push_back(6.5);
  }
  for (int k = 0; k < 133; ++k) {
    b.centres.push_back(902.0 + k * (2445.0 - 902.0) / 132);
    b.fwhm.push_back(10.0);
  }
  return b;
}
}  // namespace

SynthModels SynthModels::load(const Resources& res, const std::string& sensor) {
  SynthModels m;
  if (std::string(synth_sensor(sensor).key) == "enmap") {  // UsageError for an unknown one
    m.bands = enmap_band_set();
    m.noise = sensor::enmap_noise(res, m.bands.centres, m.bands.fwhm, 1.0);
  } else {
    const auto emit = spectral::EmitNoiseModel::load(res.file("noise/emit_noise.txt"));
    m.bands = spectral::emit_band_set(emit);
    for (std::size_t b = 0; b < emit.bands(); ++b) {
      m.noise.a.push_back(emit.a(b));
      m.noise.b.push_back(emit.b(b));
      m.noise.c.push_back(emit.c(b));
    }
  }
  m.surface =
      SurfaceLibrary::load(res.file("surface/ecostress_library_with_mixtures"), m.bands.centres);
  m.lut = spectral::Ch4RadianceLut::load(res.file("absorption/mag1c_ch4.lut"));
  m.esd = geo::EarthSunDistance::load(res.file("solar/earth_sun_distance.txt"));
  for (const auto& s : available_atmospheres())
    m.atmospheres.push_back(BandAtmosphere::load(res, s, m.bands.centres, m.bands.fwhm));
  return m;
}

const BandAtmosphere& SynthModels::atmosphere(const AtmosphereState& s) const {
  const auto& states = available_atmospheres();
  for (std::size_t i = 0; i < states.size(); ++i)
    if (states[i].aot550 == s.aot550 && states[i].h2o_cm == s.h2o_cm) return atmospheres[i];
  throw InternalError("no libRadtran run for the requested atmosphere");
}

Site make_site(const SynthModels& models, const CampaignPlan& plan, const FacilityPlan& f) {
  const double extent = 0.5 * std::max(plan.options.rows, plan.options.cols) * plan.max_gsd * 1.2;
  return Site(f.seed, f.lat, f.lon, f.elevation, models.surface, f.sources, extent, 400.0,
              plan.options.terrain_relief);
}

SceneSynthesizer::SceneSynthesizer(const SynthModels& models, const CampaignPlan& plan,
                                   const Site& site, const ScenePlan& scene)
    : models_(models), campaign_(plan), site_(site), scene_(scene) {
  atmosphere_ = &models.atmosphere(scene.atmosphere);
  run_esd_ = models.esd.au(atmosphere_->run_day_of_year());
  scene_esd_ = models.esd.au(scene.start.day_of_year());
  build_geometry();
  build_truth();
}

void SceneSynthesizer::build_geometry() {
  const SynthOptions& o = campaign_.options;
  SwathParams p;
  p.centre_east = scene_.centre_east;
  p.centre_north = scene_.centre_north;
  p.heading_deg = scene_.heading;
  p.rows = o.rows;
  p.cols = o.cols;
  const SynthSensor& instrument = synth_sensor(scene_.sensor);
  p.gsd = instrument.gsd;
  p.altitude = instrument.altitude;
  p.line_time = instrument.line_time;
  p.roll_deg = scene_.roll;
  p.start = scene_.start;
  if (instrument.parallax)
    p.terrain = [site = &site_](double east, double north) { return site->elevation(east, north); };
  geom_.swath = SwathGeometry(p);
  const SwathGeometry& sw = geom_.swath;
  const int R = o.rows, C = o.cols;
  geom_.lat.resize(R, C);
  geom_.lon.resize(R, C);
  geom_.elevation.resize(R, C);
  for (auto& b : geom_.obs) b.resize(R, C);
  const double esd = scene_esd_;
  std::vector<ViewGeometry> views(static_cast<std::size_t>(C));
  for (int c = 0; c < C; ++c) views[static_cast<std::size_t>(c)] = sw.view(c);
  for (int r = 0; r < R; ++r) {
    const UtcTime t = sw.row_time(r + 0.5);
    for (int c = 0; c < C; ++c) {
      const geo::EastNorth en = sw.pixel_en(r, c);
      const geo::LonLat ll = site_.frame().to_lonlat(en.east, en.north);
      geom_.lat(r, c) = ll.lat;
      geom_.lon(r, c) = ll.lon;
      const double z = site_.elevation(en.east, en.north);
      geom_.elevation(r, c) = z;
      const geo::SolarAngles sun = geo::solar_position(t, ll.lat, ll.lon);
      const ViewGeometry& v = views[static_cast<std::size_t>(c)];
      const double h = 30.0;
      const double dzde =
          (site_.elevation(en.east + h, en.north) - site_.elevation(en.east - h, en.north)) /
          (2 * h);
      const double dzdn =
          (site_.elevation(en.east, en.north + h) - site_.elevation(en.east, en.north - h)) /
          (2 * h);
      const double slope = std::atan(std::hypot(dzde, dzdn)) / kDeg;
      double aspect = std::atan2(-dzde, -dzdn) / kDeg;
      if (aspect < 0) aspect += 360.0;
      const double phase =
          std::acos(std::clamp(std::cos(sun.zenith * kDeg) * std::cos(v.zenith * kDeg) +
                                   std::sin(sun.zenith * kDeg) * std::sin(v.zenith * kDeg) *
                                       std::cos((sun.azimuth - v.azimuth) * kDeg),
                               -1.0, 1.0)) /
          kDeg;
      const double cosi = std::cos(sun.zenith * kDeg) * std::cos(slope * kDeg) +
                          std::sin(sun.zenith * kDeg) * std::sin(slope * kDeg) *
                              std::cos((sun.azimuth - aspect) * kDeg);
      auto set = [&](int b, double value) {
        geom_.obs[static_cast<std::size_t>(b)](r, c) = static_cast<float>(value);
      };
      set(kPathLength, v.path_length);
      set(kToSensorAzimuth, v.azimuth);
      set(kToSensorZenith, v.zenith);
      set(kToSunAzimuth, sun.azimuth);
      set(kToSunZenith, sun.zenith);
      set(kSolarPhase, phase);
      set(kSlope, slope);
      set(kAspect, aspect);
      set(kCosineI, cosi);
      set(kUtcTime, t.utc_hours());
      set(kEarthSunDistance, esd);
    }
  }

  // GLT on a north-up EPSG:4326 grid: each cell takes the nearest pixel whose footprint
  // covers it (1-based), 0 outside the swath.
  const double d = kGltDegrees * geom_.swath.params().gsd / 60.0;
  const double lon0 = geom_.lon.minCoeff() - 0.5 * d, lon1 = geom_.lon.maxCoeff() + 0.5 * d;
  const double lat0 = geom_.lat.minCoeff() - 0.5 * d, lat1 = geom_.lat.maxCoeff() + 0.5 * d;
  const int nx = static_cast<int>(std::ceil((lon1 - lon0) / d)),
            ny = static_cast<int>(std::ceil((lat1 - lat0) / d));
  Glt& g = geom_.glt;
  g.x = Raster<std::int32_t>::Zero(ny, nx);
  g.y = Raster<std::int32_t>::Zero(ny, nx);
  g.transform.gt = {lon0, d, 0.0, lat1, 0.0, -d};
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const double lon = lon0 + (i + 0.5) * d, lat = lat1 - (j + 0.5) * d;
      const geo::EastNorth en = site_.frame().to_east_north(lon, lat);
      const auto [fr, fc] = sw.pixel_of(en.east, en.north);
      if (fr < -0.5 || fr > R - 0.5 || fc < -0.5 || fc > C - 0.5) continue;
      int best_r = -1, best_c = -1;
      double best = 1e300;
      const int r0 = static_cast<int>(std::lround(fr)), c0 = static_cast<int>(std::lround(fc));
      for (int r = std::max(0, r0 - 1); r <= std::min(R - 1, r0 + 1); ++r)
        for (int c = std::max(0, c0 - 1); c <= std::min(C - 1, c0 + 1); ++c) {
          const geo::EastNorth pe = sw.pixel_en(r, c);
          const double dist = std::hypot(pe.east - en.east, pe.north - en.north);
          if (dist < best) {
            best = dist;
            best_r = r;
            best_c = c;
          }
        }
      if (best_r >= 0) {
        g.x(j, i) = best_c + 1;
        g.y(j, i) = best_r + 1;
      }
    }
}

void SceneSynthesizer::build_truth() {
  const SynthOptions& o = campaign_.options;
  const FacilityPlan& f = campaign_.facilities[static_cast<std::size_t>(scene_.facility)];
  const SwathGeometry& sw = geom_.swath;
  const int R = o.rows, C = o.cols;
  truth_.column_mass = Raster<double>::Zero(R, C);
  const CounterRng rng(scene_.seed, stream_id("plume"));
  for (std::size_t k = 0; k < f.sources.size(); ++k) {
    SourceTruth s;
    s.east = f.sources[k].east;
    s.north = f.sources[k].north;
    const geo::LonLat ll = site_.frame().to_lonlat(s.east, s.north);
    s.lat = ll.lat;
    s.lon = ll.lon;
    const auto [row, col] = sw.pixel_of(s.east, s.north);
    const double t = sw.row_time(std::clamp(row, 0.0, static_cast<double>(R))).unix_seconds();
    const WeatherSample w = campaign_.weather.at(ll.lon, ll.lat, t);
    s.emission_rate = scene_.emission[k];
    s.wind_speed = std::hypot(w.u10, w.v10);
    s.wind_direction = wind_direction_from(w.u10, w.v10);
    s.surface_pressure =
        w.surface_pressure * std::exp(-(site_.elevation(s.east, s.north) - site_.base_elevation()) /
                                      constants::kScaleHeightPressure);
    if (o.plumes && s.emission_rate > 0) {
      PuffParams pp;
      pp.emission_kg_h = s.emission_rate;
      pp.wind_u = w.u10;
      pp.wind_v = w.v10;
      s.mass_in_scene = add_puff_plume(sw, f.sources[k], pp, rng.substream(k), truth_.column_mass);
    }
    truth_.sources.push_back(s);
  }
  if (o.negative_plumes) truth_.column_mass = -truth_.column_mass;
  // Column-mean enhancement with the pixel's own surface pressure.
  const WeatherSample w0 = campaign_.weather.at(f.lon, f.lat, scene_.start.unix_seconds());
  truth_.delta_xch4.resize(R, C);
  path_ppm_m_.resize(R, C);
  double max_ppm_m = 1.0;
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      const double ps =
          w0.surface_pressure * std::exp(-(geom_.elevation(r, c) - site_.base_elevation()) /
                                         constants::kScaleHeightPressure);
      const double m = truth_.column_mass(r, c);
      truth_.delta_xch4(r, c) =
          static_cast<float>(constants::column_mass_to_ppb(m, constants::kMolarMassCH4, ps));
      const double amf =
          1.0 / std::cos(static_cast<double>(geom_.obs[kToSunZenith](r, c)) * kDeg) +
          1.0 / std::cos(static_cast<double>(geom_.obs[kToSensorZenith](r, c)) * kDeg);
      const double c_path =
          constants::column_mass_to_ppm_m(m, constants::kMolarMassCH4) * amf / kLutReferenceAirMass;
      path_ppm_m_(r, c) = static_cast<float>(c_path);
      max_ppm_m = std::max(max_ppm_m, std::abs(c_path));
    }
  transmittance_ = std::make_unique<BandTransmittance>(models_.lut, models_.bands.centres,
                                                       models_.bands.fwhm, max_ppm_m);

  truth_.surface_class.resize(R, C);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      int count[kSurfaceClassCount] = {};
      for (const auto& s : kSub) {
        const geo::EastNorth en = sw.pixel_en(r + s[0], c + s[1]);
        ++count[static_cast<int>(site_.surface(en.east, en.north).cls)];
      }
      truth_.surface_class(r, c) =
          static_cast<std::uint8_t>(std::max_element(count, count + kSurfaceClassCount) - count);
    }
}

void SceneSynthesizer::render_pixel(int r, int c, float* out, std::vector<double>& rho) const {
  const SwathGeometry& sw = geom_.swath;
  const std::size_t B = models_.bands.centres.size();
  std::fill(rho.begin(), rho.end(), 0.0);
  for (const auto& s : kSub) {
    const geo::EastNorth en = sw.pixel_en(r + s[0], c + s[1]);
    const SurfacePoint sp = site_.surface(en.east, en.north);
    if (sp.spectrum < 0) {
      for (std::size_t b = 0; b < B; ++b) rho[b] += 0.25 * analytic_water(models_.bands.centres[b]);
    } else {
      const double* spec = models_.surface.spectrum(sp.spectrum);
      const double k = 0.25 * sp.brightness * campaign_.options.surface_brightness;
      for (std::size_t b = 0; b < B; ++b) rho[b] += k * spec[b];
    }
  }
  const double k_sun = illumination_scale(geom_.obs[kToSunZenith](r, c), atmosphere_->run_sza(),
                                          scene_esd_, run_esd_);
  const double cpath = path_ppm_m_(r, c);
  const CounterRng noise(scene_.seed, stream_id("noise"));
  const std::uint64_t pixel =
      static_cast<std::uint64_t>(r) * static_cast<std::uint64_t>(campaign_.options.cols) +
      static_cast<std::uint64_t>(c);
  const bool add_noise = campaign_.options.noise;
  std::pair<double, double> z{0, 0};
  for (std::size_t b = 0; b < B; ++b) {
    double L = k_sun * atmosphere_->radiance(b, std::min(rho[b], 0.95));
    if (cpath != 0) L *= (*transmittance_)(b, cpath);
    if (add_noise) {
      if (b % 2 == 0) z = noise.normal_pair(pixel * ((B + 1) / 2) + b / 2);
      L += models_.noise.sigma(b, L) * (b % 2 == 0 ? z.first : z.second);
    }
    out[b] = static_cast<float>(L);
  }
}

void SceneSynthesizer::render_rows(int r0, int r1, float* out, int threads) const {
  const int C = campaign_.options.cols;
  const std::size_t B = models_.bands.centres.size();
  // Every pixel's noise is keyed by its position (counter RNG), and each row's call has its
  // own scratch: the thread count cannot change a byte.
  auto render_row = [&](std::int64_t i) {
    const int r = r0 + static_cast<int>(i);
    std::vector<double> rho(B);
    for (int c = 0; c < C; ++c)
      render_pixel(r, c, out + (static_cast<std::size_t>(r - r0) * C + c) * B, rho);
  };
  parallel_for(r1 - r0, threads, render_row);
}

}  // namespace hyperplume::synth
