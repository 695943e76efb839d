// The finishing stages of the L2 chain on synthetic scenes with known plumes: the a-priori
// mask finds the injected plumes and stays nearly empty on a plume-free scene.
#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <hyperplume/geo/ortho_map.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/l2_denoise.hpp>
#include <hyperplume/pipeline/l2_mask.hpp>
#include <hyperplume/pipeline/l2_ortho.hpp>
#include <map>
#include <set>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
Raster<float> read_truth(const std::string& rad_path, std::vector<double>& emission) {
  io::NcFile f(fs::path(rad_path).replace_extension().string() + "_truth.nc",
               io::NcFile::Mode::read);
  const auto r = f.dim_length(f.id(), "downtrack"), c = f.dim_length(f.id(), "crosstrack");
  Raster<float> t(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
  nc_get_var_float(f.id(), f.var(f.id(), "delta_xch4"), t.data());
  emission.resize(f.dim_length(f.id(), "source"));
  nc_get_var_double(f.id(), f.var(f.id(), "emission_rate"), emission.data());
  return t;
}
}  // namespace

TEST_CASE(
    "a-priori masks: injected plumes of 1-4 t/h overlap a label, a plume-free scene has "
    "no plume-sized one",
    "[pipeline]") {
  test::TempDir dir("l2-masks");
  synth::SynthOptions o;
  o.out_dir = dir.str("l1");
  o.seed = 33;
  // Tall columns, like EMIT's 1280 rows: the plume is a small part of each column's
  // background statistics (in short columns it weakens its own retrieval).
  o.rows = 640;
  o.cols = 96;
  o.facilities = 2;
  o.scenes_per_facility = 2;
  o.plume_free = 1;
  o.emission_min = 1000;
  o.emission_max = 4000;
  o.wind_min = 2;
  o.wind_max = 5;
  synth::CampaignWriteOptions w;
  w.water_posting = 2e-4;
  const auto camp = synth::write_campaign(o, test::resources(), w);
  Config config = default_config();
  config.paths.osm_dir = (fs::path(camp.ancillary_dir) / "osm_worldcover").string();

  int plumes = 0, found = 0, free_scenes = 0;
  for (const auto& sc : camp.scenes) {
    std::vector<double> emission;
    const Raster<float> truth = read_truth(sc.rad_path, emission);
    auto p = pipeline::retrieve_l2(sc.rad_path, config, test::resources(), {});
    pipeline::denoise_l2(p, {"ch4"}, {});
    pipeline::orthorectify_l2(p, {});
    pipeline::add_a_priori_masks(p, {"ch4"});
    const Raster<float>& mask = p.field("ch4_mask")->values;
    // The truth on the same grid.
    const geo::GltLocator glt(*p.scene.glt, p.scene.rows(), p.scene.cols());
    const geo::OrthoMap map(p.grid->utm, glt, p.scene.rows(), p.scene.cols());
    const Raster<float> t = map.apply(truth);

    std::map<int, int> label_size;
    for (Eigen::Index i = 0; i < mask.size(); ++i)
      if (mask.data()[i] > 0) ++label_size[static_cast<int>(mask.data()[i])];
    // "Large": the size of the smallest plume label of these scenes (1 t/h: ~100 px).
    int large = 0;
    for (const auto& [label, n] : label_size) large += n >= 100;
    const bool emitting =
        std::any_of(emission.begin(), emission.end(), [](double q) { return q > 0; });
    INFO(fs::path(sc.rad_path).filename().string()
         << ": " << label_size.size() << " labels, " << large << " of 100 px or more");
    if (!emitting) {
      ++free_scenes;
      CHECK(large == 0);
      continue;
    }
    // Each scene's plume (truth above 100 ppb, far above the ~30 ppb noise of a pixel)
    // meets a mask label.
    std::set<int> hit;
    int plume_pixels = 0;
    for (Eigen::Index i = 0; i < t.size(); ++i)
      if (t.data()[i] > 100) {
        ++plume_pixels;
        if (mask.data()[i] > 0) hit.insert(static_cast<int>(mask.data()[i]));
      }
    if (plume_pixels < 5) continue;  // the plume left the scene
    ++plumes;
    found += !hit.empty();
    CHECK(!hit.empty());
    for (const int label : hit) CHECK(label_size[label] >= 100);
  }
  CHECK(free_scenes == 1);
  CHECK(plumes >= 2);
  CHECK(found == plumes);
}
