#!/usr/bin/env bash
# The first command a new user runs: install dependencies, build, and run the SiCooperative
# DAG. Output lands in ./out/ (the DAG's default output_dir).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
ops/dev/install-deps.sh
# Only what running needs: the binary and its plugins (ops/dev/test.sh builds the tests).
ops/dev/build.sh "$root/build" -DSLUICE_BUILD_TESTS=OFF -DSLUICE_BUILD_BENCH=OFF
./build/sluice run dags/sicooperative.yaml "$@"
echo
echo "Output:"
ls -l out/
