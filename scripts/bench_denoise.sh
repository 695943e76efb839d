#!/usr/bin/env bash
# Benchmark: the denoising step on a full-size synthetic EMIT scene, HyperPlume against
# HyperGas's own implementation (scikit-image calibrate_denoiser + denoise_tv_chambolle,
# Debian's python3-skimage) on the same two fields. Also prints every chain stage's time.
# Usage: scripts/bench_denoise.sh [work dir]
source "$(dirname "$0")/common.sh"
HYPERPLUME_PACKAGES+=(python3-skimage python3-scipy)
hyperplume_setup
WORK="${1:-/tmp/hyperplume-bench-l2}"
HP="$HYPERPLUME_BUILD/src/hyperplume"
RAD=$(hyperplume_bench_scene "$WORK")
"$HP" l2 --root "$WORK" --config-overlay "$WORK/hyperplume_campaign.ini" --unortho-export --log-level warn \
  | tr ';' '\n' | grep -E "l2\.|io\.|s  \("
L2=$(ls "$WORK"/facility_01/EMIT_L2B_001_*[0-9].nc)
WEIGHTS=$(/usr/bin/python3 - "$L2" <<'PY'
import sys, xarray as xr
ds = xr.open_dataset(sys.argv[1])
print(f"HyperPlume both fields: {ds.attrs['stage_seconds_l2_denoise']:.2f} s", file=sys.stderr)
for v in ("ch4_denoise", "ch4_comb_denoise"):
    a = ds[v].attrs
    print(f"HyperPlume {v}: weight {a['denoise_weight']:.1f} ({int(a['denoise_tv_solves'])} TV solves)",
          file=sys.stderr)
print(ds["ch4_denoise"].attrs["denoise_weight"], ds["ch4_comb_denoise"].attrs["denoise_weight"])
PY
)
/usr/bin/python3 "$(dirname "$0")/bench_denoise.py" "${L2%.nc}_unortho.nc" $WEIGHTS
