#pragma once
// The L3/L4 options shared by `hyperplume l3` and `hyperplume run`.
#include <hyperplume/app/config_options.hpp>
#include <hyperplume/io/gazetteer.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <hyperplume/pipeline/l3_plumes.hpp>
#include <optional>

namespace hyperplume::app {

// standalone: also --profile and --land-mask-source, which `run` shares with the retrieval.
void declare_plume_options(po::options_description& options, bool standalone);

// UsageError naming the option for a bad value. profile and land mask come from the
// retrieval's choice under `run`.
pipeline::L3Options plume_choice(const po::variables_map& vm, const std::string& profile,
                                 pipeline::LandMaskSource land_mask);

// Before any scene: UsageError when land_only lacks its land mask input in the config.
void check_plume_inputs(const pipeline::L3Options& options, const Config& config);

// Automatic detection (`detect`, and `run`): --min-score. The command declares --gas,
// --wind-source and --dist-max (shared with the plumes under `run`).
void declare_detection_options(po::options_description& options);
pipeline::DetectOptions detection_choice(const po::variables_map& vm);

// --wind-source era5|geos-fp as the L2 names its sources (ERA5, GEOS-FP).
std::string wind_source_choice(const po::variables_map& vm);

// --gazetteer: libgeonames (default), none, or a GeoNames cities file.
std::optional<io::Gazetteer> open_gazetteer(const po::variables_map& vm);

}  // namespace hyperplume::app
