#!/usr/bin/env bash
# Benchmark: `hyperplume l3` on the full-size synthetic EMIT scene (L2 grid 1781 x 1784, two
# marked sources): per-plume picking, both uncertainty ensembles, CSF and the L3/L4 files.
# Prints the stage timers of three runs. Record the figures in docs/benchmarks.md.
# Usage: scripts/bench_l3.sh [work dir]
source "$(dirname "$0")/common.sh"
hyperplume_setup
WORK="${1:-/tmp/hyperplume-bench-l2}"
HP="$HYPERPLUME_BUILD/src/hyperplume"
hyperplume_bench_scene "$WORK" > /dev/null
# A fresh netCDF-4 L2 from this build (bench_l2.sh may have left one in another format).
"$HP" l2 --root "$WORK" --config-overlay "$WORK/hyperplume_campaign.ini" --log-level warn > /dev/null
echo "machine: $(nproc) cores"
for run in 1 2 3; do
  /usr/bin/time -f "peak RSS %M KiB, wall %e s" "$HP" l3 --root "$WORK" \
    --config-overlay "$WORK/hyperplume_campaign.ini" --log-level warn | grep -v '\.csv$' | tr ';' '\n'
done
