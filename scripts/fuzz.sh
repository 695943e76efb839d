#!/usr/bin/env bash
# Fuzzes the input parsers with libFuzzer + AddressSanitizer + UBSan: the INI configuration,
# the GeoJSON source markers and the L4 CSV (tests/fuzz/, docs/architecture.md "Fuzzing").
# Builds build-fuzz/ with clang 16 (HYPERPLUME_FUZZ=ON; the ordinary gcc build/ is untouched;
# Debian 12's default clang 14 cannot compile std::source_location with libstdc++ 12),
# runs every target for a fixed time starting from tests/fuzz/corpus/<target>/ and the known
# regressions, and writes what it finds (crash-*, timeout-*, leak-*, oom-*) to
# tests/fuzz/regressions/<target>/ — commit those with the parser fix.
# Exits non-zero when any target crashed, hung, leaked or ran out of memory.
# Usage: scripts/fuzz.sh [seconds per target, default 60]
#   HYPERPLUME_FUZZ_BUILD  build directory (default build-fuzz beside build/)
#   HYPERPLUME_FUZZ_JOBS   parallel compile jobs (default 2)
source "$(dirname "$0")/common.sh"

SECONDS_PER_TARGET="${1:-60}"
[[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [seconds per target]" >&2; exit 2; }
FUZZ_BUILD="${HYPERPLUME_FUZZ_BUILD:-$HYPERPLUME_ROOT/build-fuzz}"
FUZZ_DIR="$HYPERPLUME_ROOT/tests/fuzz"

# clang and its runtimes (libFuzzer, sanitizers) only for this script, not for every build.
HYPERPLUME_PACKAGES+=(clang-16 libclang-rt-16-dev)
hyperplume_install_packages

targets=()
for d in "$FUZZ_DIR"/corpus/*/; do targets+=("$(basename "$d")"); done
[ ${#targets[@]} -gt 0 ] || { echo "error: no seed corpus in $FUZZ_DIR/corpus" >&2; exit 1; }

CC=clang-16 CXX=clang++-16 cmake -S "$HYPERPLUME_ROOT" -B "$FUZZ_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHYPERPLUME_FUZZ=ON >/dev/null
cmake --build "$FUZZ_BUILD" -j "${HYPERPLUME_FUZZ_JOBS:-2}" --target "${targets[@]/#/fuzz_}"

# Leaks are findings too. Stacks are symbolised when an llvm-symbolizer is installed (llvm-16).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
symbolizer=/usr/lib/llvm-16/bin/llvm-symbolizer
[ -x "$symbolizer" ] || symbolizer=$(command -v llvm-symbolizer || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$symbolizer"

summary=()
failed=0
for t in "${targets[@]}"; do
  bin="$FUZZ_BUILD/tests/fuzz/fuzz_$t"
  found="$FUZZ_DIR/regressions/$t"
  work="$FUZZ_BUILD/fuzz-corpus/$t"  # what the fuzzer adds to the seeds; kept between runs
  log="$FUZZ_BUILD/fuzz-logs/$t.log"
  mkdir -p "$found" "$work" "$(dirname "$log")"
  before=$(find "$found" -type f | sort)
  echo "== $t: ${SECONDS_PER_TARGET} s (log: $log)"
  set +e
  # New inputs go to the first folder; the seeds and the regressions are read, never written.
  "$bin" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$found/" "$work" "$FUZZ_DIR/corpus/$t" "$found" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)
  [ -n "$runs" ] || runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  new=$(comm -13 <(echo "$before") <(find "$found" -type f | sort) | grep -v '^$' || true)
  crashes=$(printf '%s' "$new" | grep -c . || true)
  # A regression input that fails again rewrites its own file: the exit code still tells.
  [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
  line="$t: ${runs:-0} runs, $crashes crashes"
  if [ "$crashes" -ne 0 ]; then
    failed=1
    grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|==[0-9]+==.*(deadly|timeout|out-of-memory)' "$log" || true
    grep 'Test unit written to' "$log" || true
    [ -n "$new" ] && line+=" (new: $(echo "$new" | xargs -n1 basename | tr '\n' ' '))"
  fi
  summary+=("$line")
done

echo
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found problems: fix the parser, keep the inputs in tests/fuzz/regressions/ (the [fuzz] test replays them)" >&2
  exit 1
fi
