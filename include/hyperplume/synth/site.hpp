#pragma once
// A facility site on the ground: terrain, land-cover patches and water bodies, defined in
// the site's local east/north frame (metres) so that every scene of the site, whatever
// its date and swath orientation, and the water-mask tiles all see the same ground.
#include <cstdint>
#include <hyperplume/core/rng.hpp>
#include <hyperplume/geo/local_frame.hpp>
#include <hyperplume/synth/surface_library.hpp>
#include <vector>

namespace hyperplume::synth {

// Smooth random field in [0, 1]: value noise on a lattice of spacing `scale` metres,
// three octaves.
class ValueNoise {
 public:
  ValueNoise(CounterRng rng, double scale) : rng_(rng), scale_(scale) {}
  double operator()(double east, double north) const;

 private:
  double lattice(std::int64_t i, std::int64_t j) const;
  CounterRng rng_;
  double scale_;
};

struct Lake {
  double east, north, radius;  // m
  double amp[3], phase[3];     // shoreline harmonics 2, 3, 5
};

struct River {
  double angle;       // radians, direction of the river's axis (from east, CCW)
  double offset;      // m, perpendicular offset of the axis from the site centre
  double amplitude;   // m, meander amplitude
  double wavelength;  // m, meander wavelength
  double phase;
  double width;  // m
};

struct SurfacePoint {
  SurfaceClass cls;
  int spectrum;       // library index; -1 for water (analytic clear-water spectrum)
  double brightness;  // multiplies the reflectance
};

class Site {
 public:
  // `extent` is the half-size (m) of the area scenes of this site cover; water bodies are
  // placed inside it, at least `keep_clear` metres from every emission source. The terrain
  // rises and falls by `relief` metres (peak to peak) around `elevation`, over ~6 km.
  Site(std::uint64_t seed, double lat, double lon, double elevation, const SurfaceLibrary& lib,
       const std::vector<geo::EastNorth>& sources, double extent, double keep_clear,
       double relief = 60.0);

  const geo::LocalFrame& frame() const { return frame_; }
  double base_elevation() const { return base_elevation_; }
  double elevation(double east, double north) const;
  bool is_water(double east, double north) const;
  SurfacePoint surface(double east, double north) const;

  const std::vector<Lake>& lakes() const { return lakes_; }
  const std::vector<River>& rivers() const { return rivers_; }
  // False only if the box (east/north, m) certainly holds no water.
  bool may_have_water(double e0, double n0, double e1, double n1) const;
  // Bounding box (east/north, m) of all water, for rasterising water masks.
  void water_bounds(double& e0, double& n0, double& e1, double& n1) const;

 private:
  geo::LocalFrame frame_;
  CounterRng rng_;
  double base_elevation_;
  double relief_;
  double extent_;
  ValueNoise landscape_, brightness_, terrain_;
  std::vector<Lake> lakes_;
  std::vector<River> rivers_;
  std::vector<geo::EastNorth> sources_;
  std::vector<int> palette_[kSurfaceClassCount];  // library spectra used at this site
  static constexpr double kCell = 350.0;          // m, typical field/patch size
};

}  // namespace hyperplume::synth
