#pragma once
// A whole campaign under MPI: rank 0 walks the L1 root, plans the work from the journal
// (resume), hands scenes out through par::schedule and records every state change; workers
// run the per-scene chain and report outcome, outputs and statistics. A failing scene is
// recorded with its stage and reason and the campaign goes on.
//
// Files in the output directory:
//   hyperplume_journal.jsonl  every state change, one JSON object per line, flushed each time
//   campaign_summary.csv      one row per scene, sorted by scene path (deterministic)
//   campaign_report.txt       counts and totals (deterministic)
//   quarantine.csv            failed and poison scenes with reasons
//   campaign_timings.csv      per-scene stage times and wall clock (varies run to run)
//   campaign_status.json      progress, rate and ETA, rewritten atomically as results arrive
//   hyperplume_l4.csv         every plume's L4 row, sorted by plume_id (with L3/L4)
//   plume_failures.csv        plumes that could not be made, with reasons (with L3/L4)
#include <hyperplume/core/config.hpp>
#include <hyperplume/core/resources.hpp>
#include <hyperplume/io/dataset_writer.hpp>
#include <hyperplume/par/comm.hpp>
#include <hyperplume/pipeline/l2_detection.hpp>
#include <hyperplume/pipeline/l2_plots.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <hyperplume/pipeline/scene_chain.hpp>
#include <string>

namespace hyperplume::pipeline {

struct CampaignOptions {
  std::string root;                 // L1 root, walked recursively
  std::string out_dir;              // campaign files (default: the root)
  bool resume = true;               // skip scenes done and verified; retry failed ones
  bool keep_existing = false;       // keep done products even when their settings/inputs changed
  int max_attempts = 3;             // attempts before a failing or crashing scene is quarantined
  double grace_seconds = 60;        // after a stop signal, running scenes may finish this long
  double progress_interval = 10.0;  // seconds between progress lines
  bool scheduler_only = false;      // rank 0 only hands out work
  int ranks_per_scene = 1;          // scene groups: K consecutive ranks share each scene's columns
  L2Options l2;
  std::string l2_description;  // the retrieval options as text (provenance, settings key)
  std::string profile = "default";
  io::FileFormat format = io::FileFormat::netcdf4;  // of the L2 files
  L2ChainOptions chain;
  // L3/L4 for scenes with markers (unset: L2 only); rank 0 merges every plume's L4 row into
  // <out>/hyperplume_l4.csv at the end.
  std::optional<L3Options> plumes;
  const io::Gazetteer* gazetteer = nullptr;
  // Automatic detection before the L3/L4 stage, where plumes->markers_from takes candidates
  // (unset: markers from files only).
  std::optional<DetectOptions> detection;
  // With L3/L4: 2 = each scene's L2 again without its plume pixels, then L3/L4 again (in the
  // worker that has the scene). reprocess: that later pass on every done scene whose L3
  // files are not the ones its last pass made (markers edited, `hyperplume l3` rerun).
  int passes = 1;
  bool reprocess = false;
  RadDist later_rad_dist = RadDist::automatic;  // the filter of the later pass
  // Visual products (unset: none): each scene's PNGs, map and plume figures in the worker
  // that has it; the directory maps and <out>/campaign_index.html on rank 0 at the end.
  std::optional<PlotOptions> plots;
};

struct CampaignResult {
  int total = 0, done = 0, skipped = 0, failed = 0, poison = 0;
  int pending = 0;         // not processed (the run stopped first)
  bool interrupted = false;  // a stop signal ended the run early: resubmit to continue
  std::string stopped_by;    // why the run stopped early (signal, or a record it cannot write)
  bool completed_with_failures() const { return failed + poison > 0; }
};

// Collective over `comm`. Throws InputError on rank 0 when the campaign cannot start (root,
// lock, journal); the other ranks then return with stopped_by set. Every rank learns how
// the run ended (interrupted, stopped, failures); the counts are rank 0's.
CampaignResult run_campaign(const par::Comm& comm, const Config& config, const Resources& resources,
                            const CampaignOptions& options);

}  // namespace hyperplume::pipeline
