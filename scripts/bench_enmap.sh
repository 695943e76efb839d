#!/usr/bin/env bash
# Benchmark: one EnMAP-size synthetic tile (1000 x 1000 x 224, int16 DN in DLR's L1B ZIP,
# 400 m of terrain relief), L1 -> L2 as a whole process with every core, warm file cache,
# three runs, with the stage timers of the last; and what inflating the two images alone
# costs (unzip to /dev/null, one after the other), which is the floor of reading through
# /vsizip/. Record the figures in docs/benchmarks.md.
# Usage: scripts/bench_enmap.sh [work dir]
source "$(dirname "$0")/common.sh"
hyperplume_setup
hyperplume_install_packages unzip
WORK="${1:-/tmp/hyperplume-bench-enmap}"
HP="$HYPERPLUME_BUILD/src/hyperplume"
if [ ! -f "$WORK/hyperplume_campaign.ini" ]; then
  "$HP" synth --out "$WORK" --sensor enmap --rows 1000 --cols 1000 --facilities 1 \
    --scenes-per-facility 1 --terrain-relief 400 --log-level warn > /dev/null
fi
ZIP=$(ls "$WORK"/facility_01/ENMAP01-____L1B-*.ZIP)
cat "$ZIP" "$WORK"/ancillary/dem/*.tif > /dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(basename "$ZIP"): $(du -m "$ZIP" | cut -f1) MB"
for i in 1 2 3; do
  /usr/bin/time -f "l2: wall %e s, peak RSS %M KiB" "$HP" l2 --root "$WORK" \
    --config-overlay "$WORK/hyperplume_campaign.ini" --log-level info 2>&1 | tee "$WORK/l2.log" | grep '^l2:'
done
grep -o '(io.open_l1.*)' "$WORK/l2.log" | tr ';' '\n' | sed 's/^[ (]*//'
for member in VNIR SWIR; do
  /usr/bin/time -f "inflate $member alone (unzip -p): wall %e s" unzip -p "$ZIP" "*SPECTRAL_IMAGE_$member.TIF" > /dev/null
done
