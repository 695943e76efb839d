#!/usr/bin/env bash
# The main job on built-in synthetic data: generates a small synthetic EMIT campaign
# (granules, truth, ancillary files), reads every scene back and retrieves L2 for each.
# Usage: scripts/demo.sh [output dir, default ./demo_out]
source "$(dirname "$0")/common.sh"
hyperplume_install_packages
hyperplume_locate_resources
hyperplume_build
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
echo "== 3. L1 -> L2: CH4 matched filters (narrow + full window, comb), masks, wind, written next to each scene"
"$HP" l2 --root "$OUT/l1" --config-overlay "$OUT/l1/hyperplume_campaign.ini" --log-level warn | sed 's/  (.*)$//'

echo
echo "== Where things are"
echo "  L1 granules, truth sidecars, markers:  $OUT/l1/<facility>/"
echo "  L2 products (EMIT_L2B_*.nc):           next to their L1 granules"
echo "  ERA5 / GEOS-FP / water-mask tiles:     $OUT/l1/ancillary/"
echo "  true sources (Q, wind, pressure):      $OUT/l1/truth_sources.csv"
awk -F, 'NR == 1 { printf "  %-46s %-12s %12s %10s %9s %10s\n", "scene", "facility", "Q (kg/h)", "wind m/s", "from deg", "p_s (Pa)"; next }
          { printf "  %-46s %-12s %12.0f %10.2f %9.0f %10.0f\n", $1, $2, $6, $7, $8, $9 }' "$OUT/l1/truth_sources.csv"
