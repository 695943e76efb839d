#!/usr/bin/env bash
# Benchmark: what the second pass costs on one full-size synthetic EMIT scene (1280 x 1242 x
# 285, two marked sources), warm file cache, one process with every core:
#   1. `hyperplume run --passes 1` and `--passes 2` (the whole chain, L1 -> L4, twice), three
#      runs each in turn: the two-pass wall time over the one-pass one (target <= 1.5);
#   2. `hyperplume l2` against `hyperplume reprocess-l2` of the same scene (target: <=);
#   3. `hyperplume reprocess-l3` of its two plumes (target: <= 0.3 s per plume + the L2 read).
# Record the figures in docs/benchmarks.md.
# Usage: scripts/bench_passes.sh [work dir]
source "$(dirname "$0")/common.sh"
hyperplume_setup
WORK="${1:-/tmp/hyperplume-bench-l2}"
HP="$HYPERPLUME_BUILD/src/hyperplume"
hyperplume_bench_scene "$WORK" > /dev/null
OPT=(--config-overlay "$WORK/hyperplume_campaign.ini" --log-level warn)
wall() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "run --passes 1 | run --passes 2 | ratio"
for i in 1 2 3; do
  one=$(wall "$HP" run --root "$WORK" --resume false --passes 1 --gazetteer none "${OPT[@]}")
  two=$(wall "$HP" run --root "$WORK" --resume false --passes 2 --gazetteer none "${OPT[@]}")
  echo "$one s | $two s | $(awk -v a="$two" -v b="$one" 'BEGIN {printf "%.2f", a / b}')"
done
rm -f "$WORK/hyperplume.lock" "$WORK"/*/hyperplume.lock
"$HP" run --root "$WORK" --resume false --passes 1 --gazetteer none "${OPT[@]}" > /dev/null 2>&1 || true
echo "l2 | reprocess-l2"
for i in 1 2 3; do
  l2=$(wall "$HP" l2 --root "$WORK" "${OPT[@]}")
  "$HP" l3 --root "$WORK" --gazetteer none "${OPT[@]}" > /dev/null 2>&1 || true  # a marker may fail
  re=$(wall "$HP" reprocess-l2 --root "$WORK" "${OPT[@]}")
  echo "$l2 s | $re s"
done
echo "reprocess-l3 (2 plumes), stage timers of the last run:"
for i in 1 2 3; do
  /usr/bin/time -f "wall %e s, peak RSS %M KiB" "$HP" reprocess-l3 --root "$WORK" --gazetteer none "${OPT[@]}" | grep -v '\.csv$' | tail -1
done
