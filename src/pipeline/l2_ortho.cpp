#include <hyperplume/core/error.hpp>
#include <hyperplume/core/threads.hpp>
#include <hyperplume/geo/ortho_map.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <memory>

namespace hyperplume::pipeline {
namespace {
std::unique_ptr<geo::SourceLocator> locator_for(const Scene& s, bool hypergas) {
  if (s.glt && s.geolocation != "glt")
    return std::make_unique<geo::GeolocationLocator>(*s.glt, s.latitude, s.longitude, s.geolocation);
  if (s.glt) return std::make_unique<geo::GltLocator>(*s.glt, s.rows(), s.cols(), hypergas);
  throw InputError("orthorectification: " + s.sensor.name +
                   " carries no GLT, and its RPC/GCP methods are not available yet");
}
}  // namespace

geo::OrthoMap ortho_map_for(const Scene& s, const OrthoOptions& o) {
  geo::UtmGridOptions go;
  go.hypergas_zone = o.hypergas;
  const geo::UtmGrid grid = geo::utm_grid_for_swath(s.longitude, s.latitude, go);
  const auto locator = locator_for(s, o.hypergas);
  return geo::OrthoMap(grid, *locator, s.rows(), s.cols(), thread_count(o.threads));
}

void orthorectify_l2(L2Product& p, const OrthoOptions& o) {
  if (p.grid) throw InputError("orthorectification: the product is already on a grid");
  orthorectify_l2(p, ortho_map_for(p.scene, o));
}

void orthorectify_l2(L2Product& p, const geo::OrthoMap& map) {
  if (p.grid) throw InputError("orthorectification: the product is already on a grid");
  const Scene& s = p.scene;
  const geo::UtmGrid& grid = map.grid();
  const std::string note = " (orthorectified by the " + map.method() + " method)";
  for (auto& f : p.fields) {
    f.values = map.apply(f.values);
    auto it = f.attributes.find("description");
    f.attributes["description"] =
        it == f.attributes.end() ? note.substr(1) : std::get<std::string>(it->second) + note;
  }
  for (auto& q : p.quality) q = map.apply(q, std::uint8_t{255});
  p.segmentation = map.apply(p.segmentation, std::int32_t{-1});
  for (auto& band : p.rgb)
    if (band.size()) band = map.apply(band);
  for (auto& w : p.weather) {
    w.u10 = map.apply(w.u10);
    w.v10 = map.apply(w.v10);
    w.sp = map.apply(w.sp);
  }
  p.grid =
      L2Grid{grid, s.sensor.instrument + "_utm", map.method(), map.longitude(), map.latitude()};
}

}  // namespace hyperplume::pipeline
