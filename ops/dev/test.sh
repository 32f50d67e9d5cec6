#!/usr/bin/env bash
# Installs dependencies, builds with warnings as errors, and runs the whole suite; then the
# same suite again under AddressSanitizer + UndefinedBehaviorSanitizer. The last lines say
# how many tests passed in each build.
# SLUICE_SKIP_SANITIZERS=1 skips the second pass (quicker local runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
jobs=$(nproc)
ops/dev/install-deps.sh
# Node.js tools the tests use as independent readers (DuckDB for Parquet), from npm.
npm ci --prefix tests/npm --no-audit --no-fund --loglevel=error

summary=()
failed=0
# run_suite BUILD_DIR TIMEOUT LABEL: ctest in BUILD_DIR, its count line kept for the summary.
run_suite() {
  local log
  log=$(mktemp)
  (cd "$1" && ctest --output-on-failure --parallel "$jobs" --timeout "$2") 2>&1 | tee "$log" || failed=1
  summary+=("$3: $(grep -E '% tests passed' "$log" | tail -1)")
  rm -f "$log"
}
print_summary() {
  echo "== summary =="
  printf '%s\n' "${summary[@]}"
}

# Debug information is most of the compile time (-g adds 30-50% per file here) and CI
# never opens a debugger: the -Werror build has none, the sanitizer build only line tables
# (-g1), enough for its stack traces to name files and lines.
echo "== build (warnings are errors) =="
ops/dev/build.sh "$root/build-ci" -DSLUICE_WERROR=ON -DSLUICE_SANITIZE= \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG"
echo "== tests =="
run_suite build-ci 300 "tests"

if [ "$failed" = 0 ] && [ "${SLUICE_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer =="
  ops/dev/build.sh "$root/build-asan" -DSLUICE_WERROR=ON -DSLUICE_SANITIZE=address,undefined \
    -DSLUICE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
    -DCMAKE_C_FLAGS_DEBUG=-g1
  echo "== tests under sanitizers =="
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite build-asan 600 "tests under sanitizers"
fi
print_summary
exit "$failed"
