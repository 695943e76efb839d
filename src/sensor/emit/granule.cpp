#include <hyperplume/sensor/emit/granule.hpp>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/spectral/instrument_noise.hpp>

namespace hyperplume::sensor {
namespace {

class EmitSlabs final : public RadianceSlabs {
 public:
  EmitSlabs(const EmitL1bReader& reader, const par::Comm* group)
      : reader_(reader), file_(reader.open_radiance(group)) {}
  ~EmitSlabs() override { reader_.close_radiance(file_); }

  std::size_t read(const std::vector<int>& bands, int col_begin, int col_end,
                   RadianceCube& into) override {
    return reader_.read_radiance(file_, bands, col_begin, col_end, into);
  }
  std::size_t read_box(const std::vector<int>& bands, int row_begin, int row_end, int col_begin,
                       int col_end, RadianceCube& into) override {
    return reader_.read_radiance_box(file_, bands, row_begin, row_end, col_begin, col_end, into);
  }
  void close() override { reader_.close_radiance(file_); }

 private:
  const EmitL1bReader& reader_;
  EmitL1bReader::OpenRadiance file_;
};

class EmitGranule final : public Granule {
 public:
  explicit EmitGranule(const std::string& rad_path) : reader_(rad_path) {}

  const std::string& path() const override { return reader_.rad_path(); }
  int rows() const override { return reader_.rows(); }
  int cols() const override { return reader_.cols(); }
  int bands() const override { return reader_.bands(); }
  const std::vector<double>& wavelengths() const override { return reader_.wavelengths(); }
  const std::vector<double>& fwhm() const override { return reader_.fwhm(); }
  double radiance_to_uW_cm2() const override { return 1.0; }

  Scene read_geometry() const override { return reader_.read_geometry(); }
  RadianceCube read_radiance(const std::vector<int>& bands) const override {
    return reader_.read_radiance(bands);
  }
  std::unique_ptr<RadianceSlabs> open_slabs(const par::Comm* group) const override {
    return std::make_unique<EmitSlabs>(reader_, group);
  }

  // EMIT's noise model is tabulated on its nominal band centres; each band takes the
  // nearest row.
  retrieval::BandNoise band_noise(const Resources& resources,
                                  const std::vector<int>& bands) const override {
    const auto model = spectral::EmitNoiseModel::load(resources.file("noise/emit_noise.txt"));
    retrieval::BandNoise noise;
    for (int b : bands) {
      const std::size_t n = model.nearest_band(reader_.wavelengths()[static_cast<std::size_t>(b)]);
      noise.a.push_back(model.a(n));
      noise.b.push_back(model.b(n));
      noise.c.push_back(model.c(n));
    }
    return noise;
  }

 private:
  EmitL1bReader reader_;
};

}  // namespace

std::unique_ptr<Granule> open_emit_granule(const std::string& rad_path, const GranuleOptions&) {
  return std::make_unique<EmitGranule>(rad_path);
}

}  // namespace hyperplume::sensor
