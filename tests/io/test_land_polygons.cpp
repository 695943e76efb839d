#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <catch2/catch.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/sensor/emit/l1b.hpp>
#include <hyperplume/io/gdal_raster.hpp>
#include <hyperplume/io/land_polygons.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("coastline polygons segment the swath: inside is land, outside water", "[io]") {
  const Scene s = sensor::EmitL1bReader(test::small_campaign().scenes[0].rad_path).read_geometry();
  const double mid = 0.5 * (s.longitude.minCoeff() + s.longitude.maxCoeff());
  test::TempDir dir("polygons");
  const std::string path = dir.str("land.gpkg");
  io::gdal_register_once();
  {
    GDALDataset* ds = GetGDALDriverManager()->GetDriverByName("GPKG")->Create(path.c_str(), 0, 0, 0,
                                                                              GDT_Unknown, nullptr);
    REQUIRE(ds != nullptr);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    OGRLayer* layer = ds->CreateLayer("land", &wgs84, wkbPolygon, nullptr);
    OGRFeature f(layer->GetLayerDefn());
    OGRPolygon poly;
    OGRLinearRing ring;
    const double s0 = s.latitude.minCoeff() - 1, n0 = s.latitude.maxCoeff() + 1,
                 w0 = s.longitude.minCoeff() - 1;
    ring.addPoint(w0, s0);
    ring.addPoint(mid, s0);
    ring.addPoint(mid, n0);
    ring.addPoint(w0, n0);
    ring.addPoint(w0, s0);
    poly.addRing(&ring);
    f.SetGeometry(&poly);
    REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    GDALClose(ds);
  }
  const auto land = io::land_mask_from_polygons(path, s.latitude, s.longitude);
  long wrong = 0, near_edge = 0;
  for (Eigen::Index i = 0; i < land.size(); ++i) {
    const double d = s.longitude.data()[i] - mid;
    if (std::abs(d) < 5e-4) {  // within a grid cell of the coast
      ++near_edge;
      continue;
    }
    wrong += land.data()[i] != (d < 0 ? 1 : 0);
  }
  CHECK(wrong == 0);
  CHECK(near_edge < land.size() / 10);
  CHECK_THROWS_WITH(io::land_mask_from_polygons(dir.str("none.shp"), s.latitude, s.longitude),
                    Catch::Contains("none.shp"));
}
