#!/usr/bin/env bash
# Configures and builds sluice. Usage: ops/dev/build.sh [BUILD_DIR] [extra cmake args...]
# BUILD_DIR defaults to ./build. ccache is used when installed (it is, by install-deps.sh).
# SLUICE_BUILD_TARGETS="a b" builds only those targets and what they need.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${1:-"$root/build"}
shift || true
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
else
  cmake -S "$root" -B "$build_dir" "$@" >/dev/null
fi
targets=()
for target in ${SLUICE_BUILD_TARGETS:-}; do targets+=(--target "$target"); done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
