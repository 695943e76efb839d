#!/usr/bin/env bash
# Benchmark: the visual products of the full-size synthetic EMIT scene (L2 grid 1781 x 1784,
# two marked sources): `plot` (7 PNGs, the product's map page and the directory page) and
# `plot-l3` (two plume figures and pages), three runs each, and HyperGas's own approach
# (scripts/bench_plot.py: cartopy + matplotlib at dpi 1000, folium) once on the same L2,
# all as whole processes under /usr/bin/time. Record the figures in docs/benchmarks.md.
# Usage: scripts/bench_plot.sh [work dir]
source "$(dirname "$0")/common.sh"
hyperplume_setup
hyperplume_install_packages python3-matplotlib python3-cartopy python3-folium
WORK="${1:-/tmp/hyperplume-bench-l2}"
HP="$HYPERPLUME_BUILD/src/hyperplume"
hyperplume_bench_scene "$WORK" > /dev/null
DIR="$WORK/facility_01"
if ! ls "$DIR"/EMIT_L3B_*_plume[0-9].nc > /dev/null 2>&1; then
  "$HP" l2 --root "$WORK" --config-overlay "$WORK/hyperplume_campaign.ini" --log-level warn > /dev/null
  # A marker off every a-priori label fails its plume (exit 1); the others are made.
  "$HP" l3 --root "$WORK" --config-overlay "$WORK/hyperplume_campaign.ini" --log-level error > /dev/null || true
fi
L2=$(ls "$DIR"/EMIT_L2B_*[0-9].nc)
echo "machine: $(nproc) cores; $(basename "$L2")"
for run in 1 2 3; do
  /usr/bin/time -f "plot: wall %e s, peak RSS %M KiB" "$HP" plot --root "$DIR" --log-level warn > /dev/null
done
ls -l "$DIR"/*.html | awk '{print "page", $5, "bytes", $9}'
for run in 1 2 3; do
  /usr/bin/time -f "plot-l3 ($(ls "$DIR"/EMIT_L3B_*_plume[0-9].nc | wc -l) plumes): wall %e s, peak RSS %M KiB" \
    "$HP" plot-l3 --root "$DIR" --log-level warn > /dev/null
done
/usr/bin/time -f "HyperGas approach (dpi ${PEER_DPI:-1000}): wall %e s, peak RSS %M KiB" \
  timeout 1200 /usr/bin/python3 "$(dirname "$0")/bench_plot.py" "$L2" "$WORK/peer" "${PEER_DPI:-1000}"
ls -l "$WORK"/peer/*.html | awk '{print "peer page", $5, "bytes"}'
