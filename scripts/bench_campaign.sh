#!/usr/bin/env bash
# Benchmark: campaign throughput of `hyperplume run` with 1 and 2 ranks (one thread each) on
# the same synthetic campaign, start-up subtracted (measured as a rerun in which every
# scene is verified and skipped), and rank 0's scheduling cost per scene.
# Usage: scripts/bench_campaign.sh [work dir] [scenes per facility]
source "$(dirname "$0")/common.sh"
hyperplume_install_packages
hyperplume_locate_resources
hyperplume_build
WORK="${1:-/tmp/hyperplume-bench-campaign}"
S=${2:-5}
HP="$HYPERPLUME_BUILD/src/hyperplume"
rm -rf "$WORK"
"$HP" synth --out "$WORK/base" --rows 384 --cols 384 --facilities 2 --scenes-per-facility "$S" --water-posting 5e-4 \
  --log-level warn >/dev/null
echo "machine: $(nproc) cores; campaign: $((2 * S)) scenes of 384 x 384 x 285"
declare -A rate
for n in 1 2; do
  cp -r "$WORK/base" "$WORK/np$n"
  args=(run --root "$WORK/np$n" --config-overlay "$WORK/base/hyperplume_campaign.ini" --log-level warn --threads 1
        --progress-interval 1000)
  t0=$(date +%s.%N); out=$(mpirun -np $n "$HP" "${args[@]}"); t1=$(date +%s.%N)
  mpirun -np $n "$HP" "${args[@]}" >/dev/null; t2=$(date +%s.%N)  # everything verified: start-up only
  work=$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.2f", (b - a) - (c - b) }')
  rate[$n]=$(awk -v w="$work" -v s="$((2 * S))" 'BEGIN { printf "%.1f", s / w * 3600 }')
  echo "$n rank(s): wall $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s, start-up $(awk -v b="$t1" -v c="$t2" 'BEGIN { printf "%.2f", c - b }') s, ${rate[$n]} scenes/h; $(echo "$out" | grep -o 'scheduler [0-9.]* ms per scene' || echo 'serial: no scheduler')"
done
awk -v a="${rate[1]}" -v b="${rate[2]}" 'BEGIN { printf "speed-up 2 ranks / 1 rank: %.2fx\n", b / a }'
