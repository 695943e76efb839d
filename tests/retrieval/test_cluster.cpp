#include <catch2/catch.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/retrieval/cluster.hpp>
#include <map>
#include <set>

#include "support/fixtures.hpp"

using namespace hyperplume;

TEST_CASE("k-means on PCA scores separates distinct surface populations", "[retrieval]") {
  // Three spectral populations in blocks of columns, small noise.
  RadianceCube cube(30, 30, 8);
  std::uint64_t state = 99;
  auto noise = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>(static_cast<double>(state >> 11) * 0x1.0p-53 - 0.5) * 0.02f;
  };
  auto population = [](int c) { return c < 10 ? 0 : (c < 20 ? 1 : 2); };
  for (int c = 0; c < 30; ++c)
    for (int r = 0; r < 30; ++r)
      for (int b = 0; b < 8; ++b) {
        const int p = population(c);
        const float base =
            p == 0 ? 1.0f + 0.1f * b : (p == 1 ? 3.0f - 0.2f * b : 2.0f + (b % 2 ? 0.5f : -0.5f));
        cube.at(r, c, b) = base + noise();
      }
  cube.at(5, 5, 3) = std::nanf("");
  const auto labels = retrieval::kmeans_segmentation(cube);
  CHECK(labels(5, 5) == -1);
  // Every population maps to its own set of labels: no label is shared between populations.
  std::map<int, std::set<int>> populations_of_label;
  for (int c = 0; c < 30; ++c)
    for (int r = 0; r < 30; ++r)
      if (labels(r, c) >= 0) populations_of_label[labels(r, c)].insert(population(c));
  for (const auto& [label, pops] : populations_of_label) CHECK(pops.size() == 1);
  CHECK(populations_of_label.size() >= 3);
  CHECK((retrieval::kmeans_segmentation(cube) == labels).all());  // deterministic
}

TEST_CASE("the cluster-tuned MF runs over a scene and keeps the background noise in check",
          "[retrieval]") {
  const auto& camp = test::small_campaign();
  Config c = default_config();
  c.paths.osm_dir = (std::filesystem::path(camp.ancillary_dir) / "osm_worldcover").string();
  pipeline::L2Options opt;
  const auto plain = pipeline::retrieve_l2(camp.scenes[1].rad_path, c, test::resources(), opt);
  opt.cluster = true;
  const auto tuned = pipeline::retrieve_l2(camp.scenes[1].rad_path, c, test::resources(), opt);
  CHECK(tuned.segmentation_description == "Kmeans cluster");
  CHECK(tuned.segmentation.maxCoeff() <= 9);
  auto spread = [](const Raster<float>& r) {
    double s = 0, s2 = 0;
    long n = 0;
    for (Eigen::Index i = 0; i < r.size(); ++i)
      if (std::isfinite(r.data()[i])) {
        s += r.data()[i];
        s2 += double(r.data()[i]) * r.data()[i];
        ++n;
      }
    return std::sqrt(s2 / n - (s / n) * (s / n));
  };
  // Scene 2 of the small campaign is plume-free: the spread is the retrieval noise.
  CHECK(spread(tuned.field("ch4")->values) < 1.3 * spread(plain.field("ch4")->values));
  CHECK(spread(tuned.field("ch4")->values) > 0.0);
}
