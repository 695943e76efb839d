#include <netcdf.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <hyperplume/app/config_options.hpp>
#include <hyperplume/io/netcdf.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <vector>

#include "support/fixtures.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
Raster<float> read_truth(const std::string& rad_path) {
  io::NcFile f(fs::path(rad_path).replace_extension().string() + "_truth.nc",
               io::NcFile::Mode::read);
  const auto r = f.dim_length(f.id(), "downtrack"), c = f.dim_length(f.id(), "crosstrack");
  Raster<float> t(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
  nc_get_var_float(f.id(), f.var(f.id(), "delta_xch4"), t.data());
  return t;
}

Config campaign_config(const synth::CampaignResult& camp) {
  Config c = default_config();
  c.paths.osm_dir = (fs::path(camp.ancillary_dir) / "osm_worldcover").string();
  return c;
}

// Plume pixels (truth, retrieved) pooled over scenes, and background statistics.
struct Samples {
  std::vector<double> t, r;
  double bg_sum = 0, bg_sum2 = 0, unc2 = 0;
  long bg = 0;
  void add(const Raster<float>& retrieved, const Raster<float>& sigma, const Raster<float>& truth,
           double plume_min) {
    for (Eigen::Index i = 0; i < truth.size(); ++i) {
      const double r_ = retrieved.data()[i], t_ = truth.data()[i];
      if (!std::isfinite(r_)) continue;
      if (t_ > plume_min) {
        t.push_back(t_);
        r.push_back(r_);
      } else if (t_ < 1.0) {
        bg_sum += r_;
        bg_sum2 += r_ * r_;
        unc2 += static_cast<double>(sigma.data()[i]) * sigma.data()[i];
        ++bg;
      }
    }
  }
  // Ordinary least-squares slope of retrieved on true (with intercept).
  double slope() const {
    const double n = static_cast<double>(t.size());
    double mt = 0, mr = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      mt += t[i] / n;
      mr += r[i] / n;
    }
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      sxy += (t[i] - mt) * (r[i] - mr);
      sxx += (t[i] - mt) * (t[i] - mt);
    }
    return sxy / sxx;
  }
  double bg_std() const { return std::sqrt(bg_sum2 / bg - (bg_sum / bg) * (bg_sum / bg)); }
  double stated() const { return std::sqrt(unc2 / bg); }
};

const synth::CampaignResult& truth_campaign(double qmin, double qmax, const std::string& tag,
                                            bool negative = false) {
  static std::map<std::string, std::pair<std::unique_ptr<test::TempDir>, synth::CampaignResult>>
      cache;
  auto it = cache.find(tag);
  if (it == cache.end()) {
    auto dir = std::make_unique<test::TempDir>("l2-" + tag);
    synth::SynthOptions o;
    o.out_dir = dir->str("l1");
    o.seed = 21;
    o.rows = 160;
    o.cols = 160;
    o.facilities = 2;
    o.scenes_per_facility = 2;
    o.emission_min = qmin;
    o.emission_max = qmax;
    o.wind_min = 3;
    o.wind_max = 6;
    o.negative_plumes = negative;
    synth::CampaignWriteOptions w;
    w.water_posting = 2e-4;
    auto result = synth::write_campaign(o, test::resources(), w);
    it = cache.emplace(tag, std::make_pair(std::move(dir), std::move(result))).first;
  }
  return it->second.second;
}
}  // namespace

TEST_CASE("normal MF recovers small plumes with unit slope; noise matches the stated uncertainty",
          "[retrieval]") {
  const auto& camp = truth_campaign(3000, 8000, "small");
  const Config config = campaign_config(camp);
  Samples all;
  for (const auto& sc : camp.scenes) {
    const Raster<float> truth = read_truth(sc.rad_path);
    REQUIRE(truth.maxCoeff() < 1500.0f);  // small: the linear regime of the filter
    const Raster<std::uint8_t> plume = (truth > 10.0f).cast<std::uint8_t>();
    pipeline::L2Options opt;
    opt.plume_mask = &plume;
    const auto p = pipeline::retrieve_l2(sc.rad_path, config, test::resources(), opt);
    Samples one;
    one.add(p.field("ch4")->values, p.field("ch4_uncertainty")->values, truth, 60.0);
    all.add(p.field("ch4")->values, p.field("ch4_uncertainty")->values, truth, 60.0);
    WARN(fs::path(sc.rad_path).filename().string()
         << ": slope " << one.slope() << " over " << one.t.size()
         << " plume pixels; background std " << one.bg_std() << " ppb, stated " << one.stated()
         << " ppb");
    CHECK(one.bg_std() < 1.5 * one.stated());
    CHECK(one.bg_std() > one.stated() / 1.5);
  }
  INFO("campaign: slope " << all.slope() << " over " << all.t.size() << " plume pixels");
  REQUIRE(all.t.size() > 200);
  CHECK(all.slope() == Approx(1.0).margin(0.1));
}

TEST_CASE("for strong plumes the lognormal MF is closer to the truth than the normal MF",
          "[retrieval]") {
  const auto& camp = truth_campaign(40000, 80000, "strong");
  const Config config = campaign_config(camp);
  Samples normal, lognormal;
  for (const auto& sc : camp.scenes) {
    const Raster<float> truth = read_truth(sc.rad_path);
    const Raster<std::uint8_t> plume = (truth > 10.0f).cast<std::uint8_t>();
    pipeline::L2Options opt;
    opt.plume_mask = &plume;
    const auto pn = pipeline::retrieve_l2(sc.rad_path, config, test::resources(), opt);
    opt.rad_dist = pipeline::RadDist::lognormal;
    const auto pl = pipeline::retrieve_l2(sc.rad_path, config, test::resources(), opt);
    CHECK(std::get<std::string>(pl.field("ch4")->attributes.at("matched_filter")) ==
          "lognormal matched filter");
    normal.add(pn.field("ch4")->values, pn.field("ch4_uncertainty")->values, truth, 60.0);
    lognormal.add(pl.field("ch4")->values, pl.field("ch4_uncertainty")->values, truth, 60.0);
  }
  double tmax = 0;
  for (double t : normal.t) tmax = std::max(tmax, t);
  INFO("strong plumes up to " << tmax << " ppb: slope normal " << normal.slope() << ", lognormal "
                              << lognormal.slope());
  REQUIRE(tmax > 3000);
  CHECK(std::abs(lognormal.slope() - 1.0) < std::abs(normal.slope() - 1.0));
  CHECK(normal.slope() < 1.0);  // saturation: the linear filter underestimates strong plumes
}

TEST_CASE("sign-flipped injections are not reported as positive plumes", "[retrieval]") {
  const auto& camp = truth_campaign(3000, 8000, "negative", true);
  const Config config = campaign_config(camp);
  long injected = 0, positive = 0;
  double sum = 0;
  for (const auto& sc : camp.scenes) {
    const Raster<float> truth = read_truth(sc.rad_path);
    REQUIRE(truth.minCoeff() < -100.0f);
    const auto p = pipeline::retrieve_l2(sc.rad_path, config, test::resources(), {});
    const auto& r = p.field("ch4")->values;
    const auto& u = p.field("ch4_uncertainty")->values;
    for (Eigen::Index i = 0; i < truth.size(); ++i) {
      if (!(truth.data()[i] < -60.0f) || !std::isfinite(r.data()[i])) continue;
      ++injected;
      sum += r.data()[i];
      positive += r.data()[i] > 3.0f * u.data()[i];  // a positive detection at 3 sigma
    }
  }
  INFO(injected << " injected pixels, mean retrieved " << sum / injected << " ppb, " << positive
                << " positive at 3 sigma");
  REQUIRE(injected > 100);
  CHECK(sum / injected < -30.0);
  CHECK(positive <= injected / 100);
}

TEST_CASE("the sparse (mag1c) MF is non-negative, zero on most background and finds the plumes",
          "[retrieval]") {
  const auto& camp = truth_campaign(3000, 8000, "small");
  const Config config = campaign_config(camp);
  long bg = 0, bg_zero = 0, plume = 0;
  double sum_r = 0, sum_t = 0;
  for (const auto& sc : camp.scenes) {
    const Raster<float> truth = read_truth(sc.rad_path);
    pipeline::L2Options opt;
    opt.rad_dist = pipeline::RadDist::sparse;
    const auto p = pipeline::retrieve_l2(sc.rad_path, config, test::resources(), opt);
    const auto& r = p.field("ch4")->values;
    for (Eigen::Index i = 0; i < r.size(); ++i) {
      if (!std::isfinite(r.data()[i])) continue;
      REQUIRE(r.data()[i] >= 0.0f);
      if (truth.data()[i] < 1.0f) {
        ++bg;
        bg_zero += r.data()[i] == 0.0f;
      } else if (truth.data()[i] > 150.0f) {
        ++plume;
        sum_r += r.data()[i];
        sum_t += truth.data()[i];
      }
    }
  }
  INFO("background zero fraction " << double(bg_zero) / bg << "; plume pixels " << plume
                                   << ", retrieved/true " << sum_r / sum_t);
  CHECK(double(bg_zero) / bg > 0.6);
  REQUIRE(plume > 50);
  CHECK(sum_r / sum_t > 0.6);
  CHECK(sum_r / sum_t < 1.3);
}
