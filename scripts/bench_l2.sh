#!/usr/bin/env bash
# Benchmark: `hyperplume l2` on one full-size synthetic EMIT scene (1280 x 1242 x 285),
# CH4 narrow + full window + comb, warm file cache. Prints the built-in stage timers and
# the peak memory. Record the figures in docs/benchmarks.md.
# Usage: scripts/bench_l2.sh [work dir] [extra l2 options]
source "$(dirname "$0")/common.sh"
hyperplume_setup
WORK="${1:-/tmp/hyperplume-bench-l2}"
HP="$HYPERPLUME_BUILD/src/hyperplume"
RAD=$(hyperplume_bench_scene "$WORK")
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "radiance cube in the file: $(du -m "$RAD" | cut -f1) MiB"
/usr/bin/time -f "peak RSS %M KiB, wall %e s" "$HP" l2 --root "$WORK" --config-overlay "$WORK/hyperplume_campaign.ini" \
  --log-level warn "${@:2}" | tr ';' '\n'
