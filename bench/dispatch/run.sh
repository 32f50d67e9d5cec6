#!/usr/bin/env bash
# Dispatch benchmark: the same graphs run by sluice, ninja -j2 and make -j2, side by side.
# Usage: bench/dispatch/run.sh [SLUICE_BINARY]   (default: build/sluice)
# Prints wall times and sluice/ninja ratios (target: <= 1.5 on each shape), checks that
# sluice recorded every attempt in SQLite, and times validating 1,000 DAG files of 20 tasks.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sluice=$(realpath "${1:-$root/build/sluice}")
jobs=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$root/bench/dispatch/generate.py" "$work"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

printf '%-8s %10s %10s %10s %14s %10s\n' shape sluice ninja make sluice/ninja attempts
for shape in flat chain layers; do
  d="$work/$shape"
  tasks=$(grep -c '^  - id:' "$d/$shape.yaml")
  t0=$(now); (cd "$d" && ninja -j$jobs >/dev/null); t1=$(now)
  t_ninja=$(elapsed "$t0" "$t1")
  t0=$(now); make -s -C "$d" -j$jobs >/dev/null; t1=$(now)
  t_make=$(elapsed "$t0" "$t1")
  t0=$(now); "$sluice" --home "$d/home" run "$d/$shape.yaml" -j $jobs --quiet >/dev/null; t1=$(now)
  t_sluice=$(elapsed "$t0" "$t1")
  recorded=$(sqlite3 "$d/home/sluice.db" "select count(*) from attempts where state='success'")
  if [ "$recorded" != "$tasks" ]; then
    echo "sluice recorded $recorded successful attempts for $tasks tasks in $shape" >&2
    exit 1
  fi
  ratio=$(echo "scale=2; $t_sluice / $t_ninja" | bc)
  printf '%-8s %9.2fs %9.2fs %9.2fs %14s %10s\n' "$shape" "$t_sluice" "$t_ninja" "$t_make" "$ratio" "$recorded"
done

t0=$(now); "$sluice" dags validate "$work/validate" >/dev/null; t1=$(now)
printf 'validate 1,000 DAG files x 20 tasks: %.3fs\n' "$(elapsed "$t0" "$t1")"
