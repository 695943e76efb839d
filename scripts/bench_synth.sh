#!/usr/bin/env bash
# Benchmark: time and peak memory of generating one full-size EMIT scene (1280 x 1242 x 285)
# with its ancillary files. Record the figures in docs/benchmarks.md.
source "$(dirname "$0")/common.sh"
hyperplume_setup
OUT="${1:-$(mktemp -d /tmp/hyperplume-bench-synth.XXXXXX)}"
rm -rf "$OUT"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
start=$(date +%s.%N)
/usr/bin/time -f "peak RSS %M KiB" "$HYPERPLUME_BUILD/src/hyperplume" synth --out "$OUT" --rows 1280 --cols 1242 \
  --facilities 1 --scenes-per-facility 1 --sources-per-scene 2 --log-level warn "${@:2}"
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "full-size scene generated in %.1f s\n", b - a }'
du -sh "$OUT"/facility_01/* "$OUT"/ancillary/* | sed 's/^/  /'
rm -rf "$OUT"
