#pragma once
// The retrieval options shared by `hyperplume l2` and `hyperplume run`.
#include <hyperplume/app/config_options.hpp>
#include <hyperplume/io/dataset_writer.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>
#include <string>
#include <vector>

namespace hyperplume::app {

// rad_dist: the default of --rad-dist and its help (reprocess-l2 defaults to its own rule).
void declare_retrieval_options(
    po::options_description& options, const std::string& rad_dist = "normal",
    const std::string& rad_dist_help =
        "normal, lognormal, auto (lognormal when > 5 pixels exceed 1200 ppb; on a second pass, "
        "when the scene's largest L4 emission exceeds 10 t/h) or sparse (mag1c)");

struct RetrievalChoice {
  pipeline::L2Options options;
  std::string profile;                              // default | hypergas
  std::string description;                          // for the product's provenance
  io::FileFormat format = io::FileFormat::netcdf4;  // of the L2 product
  pipeline::L2ChainOptions chain;
};

// Every function here throws UsageError naming the option for a bad value.

// osm | gshhs | natural-earth | auto | none.
pipeline::LandMaskSource parse_land_mask_source(const std::string& text);

// --rad-dist: normal | lognormal | auto | sparse.
pipeline::RadDist parse_rad_dist(const std::string& text);

// --profile: default | hypergas.
std::string parse_profile(const std::string& text);

// --species: "all" (every configured gas) or a comma-separated list of configured gases,
// each at most once.
std::vector<std::string> species_choice(const std::string& text, const Config& config);

// --threads: a count, or 0 for every core (the ranks' share under `run`); never negative.
int threads_choice(const po::variables_map& vm);

RetrievalChoice retrieval_choice(const po::variables_map& vm, const Config& config);

}  // namespace hyperplume::app
