#include <netcdf.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <hyperplume/app/app.hpp>
#include <hyperplume/app/inspect_command.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <hyperplume/sensor/discovery.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <iostream>

namespace hyperplume::app {
namespace fs = std::filesystem;

void InspectCommand::declare(po::options_description& o) {
  o.add_options()("root", po::value<std::string>()->required(),
                  "directory searched recursively for L1 granules");
}

namespace {
int nearest_band(const std::vector<double>& wl, double w) {
  int best = 0;
  for (std::size_t i = 0; i < wl.size(); ++i)
    if (std::abs(wl[i] - w) < std::abs(wl[static_cast<std::size_t>(best)] - w))
      best = static_cast<int>(i);
  return best;
}

std::string truth_note(const std::string& rad_path) {
  const std::string truth = fs::path(rad_path).replace_extension().string() + "_truth.nc";
  if (!fs::exists(truth)) return "";
  io::NcFile f(truth, io::NcFile::Mode::read);
  const std::size_t n = f.dim_length(f.id(), "source");
  std::vector<double> q(n);
  if (n) nc_get_var_double(f.id(), f.var(f.id(), "emission_rate"), q.data());
  std::string s = "  truth: " + std::to_string(n) + " source(s), Q =";
  for (double v : q) s += " " + std::to_string(static_cast<long>(std::lround(v))) + " kg/h";
  return s;
}
}  // namespace

int InspectCommand::execute(const po::variables_map& vm, const Config& config) {
  const auto granules = sensor::find_l1_granules(vm["root"].as<std::string>());
  std::cout << granules.size() << " L1 granule(s) under " << vm["root"].as<std::string>() << "\n";
  int failed = 0;
  for (const auto& g : granules) {
    try {
      const auto granule = sensor::open_granule(g.path, {config.paths.dem_dir});
      const std::vector<double>& wl = granule->wavelengths();
      const std::vector<int> bands{nearest_band(wl, 650), nearest_band(wl, 2300)};
      Scene s = granule->read_geometry();
      s.radiance = granule->read_radiance(bands);
      s.wavelengths = {wl[static_cast<std::size_t>(bands[0])], wl[static_cast<std::size_t>(bands[1])]};
      char line[512];
      std::snprintf(line, sizeof line,
                    "%s  %s %dx%dx%d  %s  centre %.4f,%.4f  SZA %.1f  L(%.0f nm) %.3f  L(%.0f nm) "
                    "%.4f  GLT %ldx%ld",
                    s.id.c_str(), g.sensor.c_str(), granule->rows(), granule->cols(), granule->bands(),
                    s.start_time.iso8601().c_str(), s.latitude(s.rows() / 2, s.cols() / 2),
                    s.longitude(s.rows() / 2, s.cols() / 2), nan_mean(s.sza), s.wavelengths[0],
                    nan_mean(s.radiance.band_image(0)), s.wavelengths[1],
                    nan_mean(s.radiance.band_image(1)),
                    s.glt ? static_cast<long>(s.glt->x.rows()) : 0L,
                    s.glt ? static_cast<long>(s.glt->x.cols()) : 0L);
      std::cout << line << truth_note(g.path) << "\n    " << g.path << "\n";
    } catch (const InputError& e) {
      ++failed;
      std::cout << "FAILED " << e.what() << "\n";
    }
  }
  return failed ? kExitFailure : kExitOk;
}

}  // namespace hyperplume::app
