#!/usr/bin/env bash
# The first command a new user runs: install dependencies, build, and run the SiCooperative
# DAG. Output lands in ./out/ (the DAG's default output_dir).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
ops/dev/install-deps.sh
ops/dev/build.sh "$root/build"
./build/sluice run dags/sicooperative.yaml "$@"
echo
echo "Output:"
ls -l out/
