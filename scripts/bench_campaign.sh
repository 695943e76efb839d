#!/usr/bin/env bash
# Benchmark: campaign throughput of `hyperplume run` with 1 and 2 ranks (one thread each) on
# the same synthetic campaign, start-up subtracted (measured as a rerun in which every
# scene is verified and skipped), and rank 0's scheduling cost per scene.
# Usage: scripts/bench_campaign.sh [work dir] [scenes per facility] [repeats]
source "$(dirname "$0")/common.sh"
hyperplume_setup
WORK="${1:-/tmp/hyperplume-bench-campaign}"
S=${2:-5}
HP="$HYPERPLUME_BUILD/src/hyperplume"
rm -rf "$WORK"
trap 'rm -rf "$WORK"' EXIT  # gigabytes of radiance and products: nothing to keep
"$HP" synth --out "$WORK/base" --rows 384 --cols 384 --facilities 2 --scenes-per-facility "$S" --water-posting 5e-4 \
  --log-level warn >/dev/null
echo "machine: $(nproc) cores; campaign: $((2 * S)) scenes of 384 x 384 x 285"
# Runs of 1 and 2 ranks alternate, R times each (this VM's speed drifts by a few per cent);
# each rate is the median of its runs.
R=${3:-5}
declare -A rates
for rep in $(seq "$R"); do
  for n in 1 2; do
    rm -rf "$WORK/np$n"; cp -al "$WORK/base" "$WORK/np$n"  # hard links: runs only read L1
    args=(run --root "$WORK/np$n" --config-overlay "$WORK/base/hyperplume_campaign.ini" --log-level warn --threads 1
          --progress-interval 1000)
    t0=$(date +%s.%N); out=$(mpirun -np $n "$HP" "${args[@]}"); t1=$(date +%s.%N)
    mpirun -np $n "$HP" "${args[@]}" >/dev/null; t2=$(date +%s.%N)  # everything verified: start-up only
    work=$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.2f", (b - a) - (c - b) }')
    r=$(awk -v w="$work" -v s="$((2 * S))" 'BEGIN { printf "%.1f", s / w * 3600 }')
    rates[$n]="${rates[$n]:-} $r"
    echo "run $rep, $n rank(s): wall $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s, start-up $(awk -v b="$t1" -v c="$t2" 'BEGIN { printf "%.2f", c - b }') s, $r scenes/h; $(echo "$out" | grep -o 'scheduler [0-9.]* ms per scene' || echo 'serial: no scheduler')"
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m1=$(echo "${rates[1]}" | median); m2=$(echo "${rates[2]}" | median)
echo "median: 1 rank $m1 scenes/h, 2 ranks $m2 scenes/h"
awk -v a="$m1" -v b="$m2" 'BEGIN { printf "speed-up 2 ranks / 1 rank: %.2fx\n", b / a }'
