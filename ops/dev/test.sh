#!/usr/bin/env bash
# Installs dependencies, builds with warnings as errors under AddressSanitizer +
# UndefinedBehaviorSanitizer and runs the whole suite; then builds the measured tests
# (memory and time figures, which sanitizers distort) optimized and without sanitizers, and
# runs them. The last lines say how many tests passed in each build.
# SLUICE_SKIP_MEASURED=1 skips the second build (quicker local runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
jobs=$(nproc)
ops/dev/install-deps.sh
# Node.js tools the tests use as independent readers (DuckDB for Parquet), from npm.
npm ci --prefix tests/npm --no-audit --no-fund --loglevel=error

summary=()
failed=0
# run_suite BUILD_DIR TIMEOUT LABEL [ctest args...]: ctest in BUILD_DIR, its count line kept
# for the summary.
run_suite() {
  local dir=$1 timeout=$2 label=$3 log
  shift 3
  log=$(mktemp)
  (cd "$dir" && ctest --output-on-failure --parallel "$jobs" --timeout "$timeout" "$@") 2>&1 |
    tee "$log" || failed=1
  summary+=("$label: $(grep -E '% tests passed' "$log" | tail -1)")
  rm -f "$log"
}
print_summary() {
  echo "== summary =="
  printf '%s\n' "${summary[@]}"
}

# One build serves both rules, warnings as errors and the suite under sanitizers: compiling
# everything twice was half of CI's time. -O1 keeps the sanitized suite fast (four times
# faster than -O0 here); -g1 gives stack traces their files and lines at a fraction of -g's
# compile time.
echo "== build: warnings are errors, AddressSanitizer + UndefinedBehaviorSanitizer =="
ops/dev/build.sh "$root/build-ci" -DSLUICE_WERROR=ON -DSLUICE_SANITIZE=address,undefined \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1"
echo "== tests under sanitizers =="
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suite build-ci 600 "tests under sanitizers"
unset ASAN_OPTIONS UBSAN_OPTIONS

# The measured tests skip or shrink under sanitizers (cmake/SluiceTest.cmake, MEASURED): here
# they run as users build sluice, at -O2, also with warnings as errors.
if [ "${SLUICE_SKIP_MEASURED:-0}" != "1" ]; then
  echo "== build: measured tests, optimized, without sanitizers =="
  SLUICE_BUILD_TARGETS=measured_tests ops/dev/build.sh "$root/build-measured" \
    -DSLUICE_WERROR=ON -DSLUICE_SANITIZE= -DSLUICE_BUILD_BENCH=OFF \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG"
  echo "== measured tests =="
  run_suite build-measured 300 "measured tests" -L measured
fi
print_summary
exit "$failed"
