#include <algorithm>
#include <array>
#include <cmath>
#include <hyperplume/sensor/enmap/granule.hpp>
#include <hyperplume/sensor/enmap/l1b.hpp>
#include <hyperplume/spectral/solar_irradiance.hpp>
#include <utility>

namespace hyperplume::sensor {
namespace {

class EnmapSlabs final : public RadianceSlabs {
 public:
  explicit EnmapSlabs(const EnmapL1bReader& reader) : reader_(reader) {}
  std::size_t read(const std::vector<int>& bands, int col_begin, int col_end,
                   RadianceCube& into) override {
    return reader_.read_box(bands, 0, reader_.rows(), col_begin, col_end, into);
  }
  std::size_t read_box(const std::vector<int>& bands, int row_begin, int row_end, int col_begin,
                       int col_end, RadianceCube& into) override {
    return reader_.read_box(bands, row_begin, row_end, col_begin, col_end, into);
  }
  // GDAL reads each rank's own slabs through /vsizip/; nothing is collective.
  void close() override {}

 private:
  const EnmapL1bReader& reader_;
};

class EnmapGranule final : public Granule {
 public:
  EnmapGranule(const std::string& zip, GranuleOptions options)
      : reader_(zip), options_(std::move(options)) {}

  const std::string& path() const override { return reader_.path(); }
  int rows() const override { return reader_.rows(); }
  int cols() const override { return reader_.cols(); }
  int bands() const override { return reader_.bands(); }
  const std::vector<double>& wavelengths() const override { return reader_.wavelengths(); }
  const std::vector<double>& fwhm() const override { return reader_.fwhm(); }
  double radiance_to_uW_cm2() const override { return 0.1; }  // mW m-2 -> uW cm-2
  Scene read_geometry() const override { return reader_.read_geometry(options_.dem); }
  ShippedFlags shipped_flags() const override {
    ShippedFlags f;
    // 1 where any of the layers the tile has flags the pixel; empty if it has none of them.
    auto any_of = [&](std::initializer_list<const char*> names) {
      Raster<std::uint8_t> out;
      for (const char* n : names) {
        const Raster<std::uint8_t> q = reader_.read_quality(n).min(std::uint8_t{1});
        if (q.size()) out = out.size() ? Raster<std::uint8_t>(out.max(q)) : q;
      }
      return out;
    };
    f.cloud = any_of({"CLOUD", "CLOUDSHADOW", "SNOW"});
    f.cirrus = any_of({"CIRRUS", "HAZE"});
    return f;
  }
  std::unique_ptr<RadianceSlabs> open_slabs(const par::Comm*) const override {
    return std::make_unique<EnmapSlabs>(reader_);
  }

  retrieval::BandNoise band_noise(const Resources& resources,
                                  const std::vector<int>& bands) const override {
    std::vector<double> centres, widths;
    for (int b : bands) {
      centres.push_back(wavelengths()[static_cast<std::size_t>(b)]);
      widths.push_back(fwhm()[static_cast<std::size_t>(b)]);
    }
    return enmap_noise(resources, centres, widths, radiance_to_uW_cm2());
  }

 private:
  EnmapL1bReader reader_;
  GranuleOptions options_;
};

}  // namespace

double enmap_reference_snr(double wavelength_nm) {
  // (nm, SNR): VNIR requirement > 400 at 495 nm, in flight about 500 (Storch et al. 2023);
  // SWIR requirement > 150 at 2200 nm, in flight about 180 (Guanter et al. 2015; Storch
  // et al. 2023); lower at the detectors' ends.
  static constexpr std::array<std::pair<double, double>, 8> nodes{{{420, 300},
                                                                   {495, 500},
                                                                   {700, 420},
                                                                   {990, 250},
                                                                   {1000, 260},
                                                                   {1650, 220},
                                                                   {2200, 180},
                                                                   {2450, 100}}};
  if (wavelength_nm <= nodes.front().first) return nodes.front().second;
  for (std::size_t k = 1; k < nodes.size(); ++k)
    if (wavelength_nm <= nodes[k].first) {
      const auto [x0, y0] = nodes[k - 1];
      const auto [x1, y1] = nodes[k];
      return y0 + (y1 - y0) * (wavelength_nm - x0) / (x1 - x0);
    }
  return nodes.back().second;
}

retrieval::BandNoise enmap_noise(const Resources& resources, const std::vector<double>& centres,
                                 const std::vector<double>& fwhm, double to_uW_cm2) {
  const auto solar = spectral::SolarIrradiance::load(resources.file("solar/kurucz_0.1nm.dat"));
  const std::vector<double> e0 = solar.bands_uW_cm2(centres, fwhm);
  constexpr double kPi = 3.14159265358979323846;
  retrieval::BandNoise noise;
  for (std::size_t k = 0; k < centres.size(); ++k) {
    const double l_ref = 0.3 * e0[k] * std::cos(30.0 * kPi / 180.0) * 0.8 / kPi / to_uW_cm2;
    noise.a.push_back(std::sqrt(l_ref) / enmap_reference_snr(centres[k]));
    noise.b.push_back(0.0);
    noise.c.push_back(0.0);
  }
  return noise;
}

std::unique_ptr<Granule> open_enmap_granule(const std::string& zip_path,
                                            const GranuleOptions& options) {
  return std::make_unique<EnmapGranule>(zip_path, options);
}

}  // namespace hyperplume::sensor
