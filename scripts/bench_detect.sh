#!/usr/bin/env bash
# Benchmark: what automatic detection costs on one full-size synthetic EMIT scene (1280 x 1242
# x 285, two sources, no marker file), warm file cache, one process with every core:
#   1. the `l3.detect` stage of `hyperplume run --passes 1` (the index map in memory; target
#      <= 0.3 s per scene), three runs;
#   2. `hyperplume detect` alone, whole process (it builds the index map from the L1), three
#      runs, with its stage timers; and what it found against the two planted sources.
# Record the figures in docs/benchmarks.md.
# Usage: scripts/bench_detect.sh [work dir]
source "$(dirname "$0")/common.sh"
hyperplume_setup
SCENE="${1:-/tmp/hyperplume-bench-l2}"
WORK="$SCENE-detect"
HP="$HYPERPLUME_BUILD/src/hyperplume"
hyperplume_bench_scene "$SCENE" > /dev/null
rm -rf "$WORK"
mkdir -p "$WORK"
cp -al "$SCENE/facility_01" "$WORK/"  # the L1 files, linked; products of other benchmarks dropped
rm -f "$WORK"/facility_01/*.geojson "$WORK"/facility_01/*L2B* "$WORK"/facility_01/*L3B* "$WORK"/facility_01/*.lock
OPT=(--config-overlay "$SCENE/hyperplume_campaign.ini" --log-level warn)
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "run --passes 1: the l3.detect stage (s) | whole run (s)"
for i in 1 2 3; do
  wall=$(/usr/bin/time -f "%e" "$HP" run --root "$WORK" --resume false --passes 1 --gazetteer none "${OPT[@]}" 2>&1 >/dev/null | tail -1)
  stage=$(grep -o 'l3.detect=[0-9.]*' "$WORK/campaign_timings.csv" | cut -d= -f2)
  echo "$stage | $wall"
done
echo "detect alone: whole process, then its stage timers"
for i in 1 2 3; do
  /usr/bin/time -f "wall %e s, peak RSS %M KiB" "$HP" detect --root "$WORK" "${OPT[@]}" 2>&1 | grep -v '^detect:' | sed 's/^.*geojson: //'
done
echo "planted sources (lat, lon, kg/h):"
awk -F, 'NR > 1 {print "  " $4 ", " $5 ", " $6}' "$SCENE/truth_sources.csv"
