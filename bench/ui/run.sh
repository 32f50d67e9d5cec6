#!/usr/bin/env bash
# The web UI under load (issue 6): 1,000 DAG files and 10,000 finished runs in the state
# database, the real `sluice scheduler` serving them, Debian's Chromium loading the DAG list.
#
#   bench/ui/run.sh [SLUICE_BINARY]      (default: build/sluice; about a minute)
#
# Prints: the time of GET /api/v1/dags (curl; plain, and asking for compression as browsers
# do), then per page load when the API answer ended, when the first rows showed and when all
# 1,000 rows were in the page (bench/ui/measure.mjs), and the filter box's response. Asserts
# nothing about speed. Needs python3, curl, node, /usr/bin/chromium and
# `npm ci --prefix tests/npm` (playwright-core).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sluice=$(realpath "${1:-$root/build/sluice}")
[ -x "$sluice" ] || { echo "no sluice binary at $sluice" >&2; exit 2; }
[ -d "$root/tests/npm/node_modules/playwright-core" ] ||
  { echo "playwright-core is missing: npm ci --prefix tests/npm" >&2; exit 2; }
work=$(mktemp -d /tmp/sluice-bench-ui.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC')"
mkdir -p "$work/home"
"$sluice" --home "$work/home" runs list >/dev/null   # creates the database and its schema
python3 "$root/bench/ui/populate.py" "$work/dags" "$work/home/sluice.db" --dags 1000 --runs 10000
echo "database: $(du -h "$work/home/sluice.db" | cut -f1)"

"$sluice" --home "$work/home" --dags "$work/dags" scheduler --listen 127.0.0.1:0 --rescan 60 \
  2>"$work/log" &
pid=$!
url=""
for _ in $(seq 600); do
  url=$(grep -o 'http: listening on http://127.0.0.1:[0-9]*' "$work/log" | head -1 | sed 's/http: listening on //') || true
  [ -n "$url" ] && grep -q ' scheduler started: ' "$work/log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the scheduler announced no URL:" >&2; cat "$work/log" >&2; exit 1; }
grep ' scheduler started: ' "$work/log" | sed 's/^[^ ]* /scheduler: /'
curl -sf "$url/" | grep -q 'assets/index-' ||
  { echo "$sluice serves no UI at $url/ (built with -DSLUICE_UI=OFF?)" >&2; exit 1; }

# api_time [curl args]: the median of 5 GETs of /api/v1/dags, with the size received.
api_time() {
  local i times=()
  for i in 1 2 3 4 5; do
    times+=("$(curl -sf -o /dev/null -w '%{time_total} %{size_download}' "$@" "$url/api/v1/dags")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p |
    awk '{printf "%.0f ms, %.2f MB\n", $1 * 1000, $2 / 1e6}'
}
echo "GET /api/v1/dags (curl, median of 5): $(api_time)"
echo "GET /api/v1/dags with Accept-Encoding: gzip, deflate, br, zstd (as Chromium sends): $(api_time -H 'Accept-Encoding: gzip, deflate, br, zstd')"

echo "-- Chromium, its own Accept-Encoding:"
node "$root/bench/ui/measure.mjs" "$url/" 1000 6
echo "-- Chromium, Accept-Encoding: identity (the API's answers uncompressed):"
node "$root/bench/ui/measure.mjs" "$url/" 1000 6 --identity
