#pragma once
// Gaussian-puff dispersion of a point source into a column-mass field on the swath grid.
// Puffs are released at a steady rate Q for `max_age` seconds before the overpass and
// advected by the mean wind plus a shared Ornstein-Uhlenbeck fluctuation (the plume
// meanders as real snapshots do); each puff grows by Taylor's diffusion law. Every puff's
// mass is integrated exactly over the pixel footprints, so the field conserves mass.
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/geo/local_frame.hpp>
#include <hyperplume/synth/swath.hpp>

namespace hyperplume::synth {

struct PuffParams {
  double emission_kg_h = 0;        // Q
  double wind_u = 0, wind_v = 0;   // m/s, mean 10 m wind (to-direction components)
  double initial_sigma = 15.0;     // m, puff size at release
  double turbulence = 0.3;         // sigma of wind fluctuations / mean speed
  double lagrangian_time = 100.0;  // s
  double max_age = 3600.0;         // s of release history
};

// Adds the plume's column mass (kg m-2) to `column_mass` (rows x cols of the swath).
// Returns the mass (kg) that landed inside the scene.
double add_puff_plume(const SwathGeometry& swath, geo::EastNorth source, const PuffParams& p,
                      const CounterRng& rng, Raster<double>& column_mass);

}  // namespace hyperplume::synth
