#pragma once
// L2 -> L3/L4 for one scene: every source marker of `<L2 stem>.geojson` becomes a plume
// (picked from the a-priori mask), an L3 plume NetCDF, a CSF-lines NetCDF and a one-row L4
// CSV. A marker or plume that cannot be processed is recorded with its reason and the
// others go on; a plume's files appear only when all of them could be made. Markers that
// pick the same plume (the same pixels) make it once: the first marker's, the others are
// recorded as "same plume as plumeK".
#include <cstdint>
#include <hyperplume/core/config.hpp>
#include <hyperplume/core/stage_timer.hpp>
#include <hyperplume/io/gazetteer.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

// Which markers make the plumes: an analyst's `<L2 stem>.geojson` (file), the detector's
// candidates (auto: `<L2 stem>.geojson` where the detector wrote it, `<L2 stem>_auto.geojson`
// beside an analyst's file), both (the analyst's first, then the candidates; a candidate
// picking the same plume as an analyst's marker is that plume), or the analyst's where
// there is a file and the detector's elsewhere (prefer_file, the default).
enum class MarkerChoice { file, automatic, both, prefer_file };

struct L3Options {
  std::string gas = "ch4";
  // "Other" (point-source calibration); HyperGas's l3b_process defaults to the area-source
  // "Solid Waste (6A)", which the hypergas profile restores.
  std::string ipcc_sector = "Other";
  std::string wind_source = "ERA5";  // ERA5 | GEOS-FP
  bool land_only = true;
  LandMaskSource land_mask = LandMaskSource::osm;
  std::optional<double> wspd_manual;  // m/s: a measured wind speed, no wind error
  std::optional<double> sp_manual;    // Pa
  double azimuth_diff_max = 30;       // degrees
  double dist_max = 180;              // m
  // m: a marker on background farther than this from every a-priori label fails. The
  // options default it to 2 dist_max (default profile) or to infinity, no limit (hypergas).
  double label_max_distance = 360;
  // A marker with no significant enhancement downwind of it (plume::downwind_signal within
  // 3 dist_max, z below this) is refused: on noise, or on a radiance gain (sign-flipped).
  // The options default it to 2 (default profile) or to -infinity, no test (hypergas).
  double min_source_z = 2.0;
  bool skip_exist = false;            // keep plumes whose L4 CSV exists
  bool hypergas = false;
  std::string profile = "default";
  std::uint64_t seed = 1;  // of the uncertainty ensembles, with the plume id
  std::string site_name;   // L4 `name`; empty: the L2 directory's name with '_' -> ' '
  double geocode_radius_km = 50;
  std::string markers;  // an explicit markers file; empty: as markers_from chooses
  MarkerChoice markers_from = MarkerChoice::prefer_file;
};

// The marker files the choice takes for this L2, in plume order ({} when there are none).
std::vector<std::string> marker_files_for(const std::string& l2_path, const L3Options& options);
// The identity of those files (their checksums), so that a campaign redoes the plumes of
// a scene whose markers changed.
std::string markers_checksum(const std::string& l2_path, const L3Options& options);

struct PlumeOutcome {
  int index = 0;
  std::string plume_id;
  std::string l3_path, csv_path;
  bool skipped = false;  // --skip-exist and the CSV was there
  int same_as = -1;      // >= 0: this marker picked the same plume as marker same_as
  std::string error;     // empty = produced; "same plume as plumeK" when same_as = K
};

struct SceneL3Outcome {
  std::string l2_path, markers_path;  // no marker file: no plumes, not an error (several: ' ')
  std::vector<PlumeOutcome> plumes;
  StageTimes times;  // l3.read_l2, l3.land_mask, l3.pick, l3.estimate, l3.write (all plumes)
};

// Throws InputError for scene-wide problems (unreadable L2 or markers file, missing land
// mask inputs); per-plume problems are in the outcome. gazetteer may be null (no places).
// The files of a plume that fails now (L3, CSF, CSV of an earlier run, made from another L2
// or markers) are removed: they would stand for a result this run could not make.
SceneL3Outcome process_plumes(const std::string& l2_path, const Config& config,
                              const L3Options& options, const io::Gazetteer* gazetteer);

// A plume made again where it is known (HyperGas l3b_reprocess): at the source position of
// its L4 CSV, picked again on the L2 as it is now, or (mask set) with the pixels of its
// existing L3 file, which is then kept as it is and only the estimate, CSF and CSV redone.
struct PlumeRequest {
  io::SourceMarker marker;  // marker.index = the plume number
  std::optional<Raster<std::uint8_t>> mask;
};
SceneL3Outcome reprocess_plumes(const std::string& l2_path, const Config& config,
                                const L3Options& options, const io::Gazetteer* gazetteer,
                                const std::vector<PlumeRequest>& plumes);

std::string markers_path_for(const std::string& l2_path);  // <L2 stem>.geojson
// <L2 stem with L2 -> L3>_plumeN.nc (in the file name only: directory names are kept).
std::string l3_path_for(const std::string& l2_path, int plume_index);
std::string l4_path_for(const std::string& l3_path);   // .nc -> .csv
std::string csf_path_for(const std::string& l3_path);  // .nc -> _csf.nc

}  // namespace hyperplume::pipeline
