#pragma once
// Writes a whole synthetic campaign: <out>/<facility>/ EMIT RAD+OBS granules, truth
// sidecars and markers; <ancillary>/{era5,geosfp,osm_worldcover}; and two campaign files:
// hyperplume_campaign.ini ([paths] for the later stages) and truth_sources.csv.
#include <hyperplume/core/resources.hpp>
#include <hyperplume/synth/campaign_plan.hpp>
#include <string>
#include <vector>

namespace hyperplume::synth {

struct WrittenScene {
  std::string facility;
  std::string rad_path, obs_path, truth_path, markers_path;  // markers empty if plume-free
  int sources = 0;
  double max_delta_xch4 = 0;  // ppb
};

struct CampaignResult {
  CampaignPlan plan;
  std::vector<WrittenScene> scenes;
  std::string ancillary_dir, config_path, truth_csv;
};

struct CampaignWriteOptions {
  double water_posting = 1.0e-4;  // degrees, ~11 m as the OSM/WorldCover tiles
  int block_rows = 64;
};

CampaignResult write_campaign(const SynthOptions& options, const Resources& resources,
                              const CampaignWriteOptions& write = {});

}  // namespace hyperplume::synth
