#!/usr/bin/env bash
# The full known-truth validation benchmark (docs/validation.md): 80 plume scenes of 1280 x 256
# EMIT pixels (about 50 with Q >= 2 t/h, log-uniform 0.5-20 t/h), 4 plume-free and 4
# sign-flipped scenes of full EMIT size (1280 x 1242), both passes, automatic detection on
# every scene, on 2 ranks. Writes validation.csv, detection.csv and validation.txt in the
# work directory and prints the report; the whole-process wall time at the end.
# Usage: scripts/bench_validate.sh [work dir] [ranks] [extra validate options]
source "$(dirname "$0")/common.sh"
hyperplume_setup
WORK="${1:-/tmp/hyperplume-bench-validate}"
RANKS="${2:-2}"
rm -rf "$WORK"
/usr/bin/time -f "wall %e s, peak RSS %M KiB (largest rank)" \
  mpiexec -n "$RANKS" "$HYPERPLUME_BUILD/src/hyperplume" validate --out "$WORK" --plumes 80 \
  --plume-free 4 --sign-flipped 4 --control-cols 1242 --batch 10 --log-level warn "${@:3}" | grep -v '^progress'
