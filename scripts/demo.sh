#!/usr/bin/env bash
# The main job on built-in synthetic data: generates a small synthetic EMIT campaign
# (granules, truth, ancillary files), reads every scene back, and processes the campaign
# with `mpirun -np 2 hyperplume run` (L1 -> L2, journal, summary and report).
# Usage: scripts/demo.sh [output dir, default ./demo_out]
source "$(dirname "$0")/common.sh"
hyperplume_setup
OUT="$(realpath -m "${1:-$HYPERPLUME_ROOT/demo_out}")"
HP="$HYPERPLUME_BUILD/src/hyperplume"
rm -rf "$OUT"

echo "== 1. Synthetic EMIT campaign: 2 facilities x 2 overpasses, 128 x 128 pixels, one plume-free scene"
"$HP" synth --out "$OUT/l1" --seed 2026 --rows 128 --cols 128 --facilities 2 --scenes-per-facility 2 \
  --plume-free 1 --emission-min 2000 --emission-max 12000

echo
echo "== 2. Every scene read back through the EMIT L1B reader"
"$HP" inspect --root "$OUT/l1"

echo
echo "== 3. The campaign under MPI: mpirun -np 2 hyperplume run (L1 -> L2 for every scene, journal, reports)"
mpirun -np 2 "$HP" run --root "$OUT/l1" --config-overlay "$OUT/l1/hyperplume_campaign.ini" --log-level warn
echo
echo "-- campaign summary ($OUT/l1/campaign_summary.csv)"
awk -F, 'NR == 1 { printf "  %-62s %-7s %9s %10s %9s\n", "scene", "status", "median", "noise", "max"; next }
          { printf "  %-62s %-7s %9s %10s %9s\n", $1, $4, $7, $8, $9 }' "$OUT/l1/campaign_summary.csv"

echo
echo "== Where things are"
echo "  L1 granules, truth sidecars, markers:  $OUT/l1/<facility>/"
echo "  L2 products (EMIT_L2B_*.nc):           next to their L1 granules"
echo "  journal, summary, report, quarantine:  $OUT/l1/hyperplume_journal.jsonl, campaign_*.csv|txt, quarantine.csv"
echo "  ERA5 / GEOS-FP / water-mask tiles:     $OUT/l1/ancillary/"
echo "  true sources (Q, wind, pressure):      $OUT/l1/truth_sources.csv"
awk -F, 'NR == 1 { printf "  %-46s %-12s %12s %10s %9s %10s\n", "scene", "facility", "Q (kg/h)", "wind m/s", "from deg", "p_s (Pa)"; next }
          { printf "  %-46s %-12s %12.0f %10.2f %9.0f %10.0f\n", $1, $2, $6, $7, $8, $9 }' "$OUT/l1/truth_sources.csv"
