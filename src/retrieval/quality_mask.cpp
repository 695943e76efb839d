#include <cmath>
#include <hyperplume/retrieval/quality_mask.hpp>
#include <numbers>

namespace hyperplume::retrieval {

QualityMask quality_mask(const QualityInputs& in) {
  const Eigen::Index rows = in.l450->rows(), cols = in.l450->cols();
  QualityMask m;
  m.water = m.cloud = m.cirrus = m.invalid = Raster<std::uint8_t>::Zero(rows, cols);
  double mean_cos = 0;
  if (in.hypergas) {
    double s = 0;
    Eigen::Index n = 0;
    for (Eigen::Index i = 0; i < in.sza->size(); ++i)
      if (std::isfinite(in.sza->data()[i])) {
        s += static_cast<double>(in.sza->data()[i]);
        ++n;
      }
    mean_cos = std::cos((n ? s / static_cast<double>(n) : 0.0) * std::numbers::pi / 180.0);
  }
  const double unit = in.hypergas ? 0.1 : in.to_uW_cm2;
  const double d2 = in.hypergas ? 1.0 : in.earth_sun_au * in.earth_sun_au;
  for (Eigen::Index i = 0; i < rows * cols; ++i) {
    const double cosz =
        in.hypergas ? mean_cos
                    : std::cos(static_cast<double>(in.sza->data()[i]) * std::numbers::pi / 180.0);
    auto rho = [&](const Raster<float>* l, double e) {
      return std::numbers::pi * static_cast<double>(l->data()[i]) * unit * d2 / (e * cosz);
    };
    const bool water = rho(in.l1000, in.e1000) < 0.05;
    const bool cloud = rho(in.l450, in.e450) > 0.28 && rho(in.l1250, in.e1250) > 0.46 &&
                       rho(in.l1650, in.e1650) > 0.22;
    const bool cirrus = rho(in.l1380, in.e1380) > 0.1;
    m.water.data()[i] = water;
    m.cloud.data()[i] = cloud;
    m.cirrus.data()[i] = cirrus;
    m.invalid.data()[i] = water || cloud || cirrus;
  }
  return m;
}

}  // namespace hyperplume::retrieval
