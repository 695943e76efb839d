#pragma once
// Pixel screening from top-of-atmosphere reflectance (l1_l2 §5.3):
//   water:  rho(1000) < 0.05
//   cloud:  rho(450) > 0.28 and rho(1250) > 0.46 and rho(1650) > 0.22   (Sandford et al. 2020)
//   cirrus: rho(1380) > 0.1                                            (Gao & Goetz 1993)
// rho = pi L d^2 / (E cos(sza)). Default: L converted from the sensor's own units, the
// pixel's SZA, the Earth-Sun distance, and the true 1380 nm band. The HyperGas profile
// reproduces its behaviour: L/10 for every sensor, the scene-mean SZA, no distance
// correction, and the band nearest 1380 nm *after* the water-vapour bands were dropped.
#include <cstdint>
#include <hyperplume/core/raster.hpp>

namespace hyperplume::retrieval {

struct QualityMask {
  Raster<std::uint8_t> water, cloud, cirrus, invalid;
};

struct QualityInputs {
  // Radiance at the five test bands (rows x cols each), in the sensor's units.
  const Raster<float>* l450 = nullptr;
  const Raster<float>* l1000 = nullptr;
  const Raster<float>* l1250 = nullptr;
  const Raster<float>* l1380 = nullptr;
  const Raster<float>* l1650 = nullptr;
  double e450 = 0, e1000 = 0, e1250 = 0, e1380 = 0, e1650 = 0;  // band irradiance, uW cm-2 nm-1
  const Raster<float>* sza = nullptr;                           // degrees
  double to_uW_cm2 = 1.0;  // radiance unit factor: EMIT 1, EnMAP/PRISMA 0.1
  double earth_sun_au = 1.0;
  bool hypergas = false;  // reproduce HyperGas (see above)
};

QualityMask quality_mask(const QualityInputs& in);

}  // namespace hyperplume::retrieval
