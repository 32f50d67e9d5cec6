#!/usr/bin/env bash
# ETL benchmark: the SiCooperative job (flat CSV + monthly aggregates) by sluice, pandas, the
# sqlite3 CLI and DuckDB, side by side on the same CSV files; then extraction from MariaDB by
# sluice's extract.mysql beside `mariadb --batch --quick` reading the same table.
#
#   bench/etl/run.sh [SLUICE_BINARY] [MOVIMENTOS...]     (default: build/sluice 15000 1000000)
#
# The source tables come from examples/sicooperative/generate.sql (fixed seed; 1M movimentos
# = 100k associados, 120k contas, 150k cartoes). Every tool's outputs are checked to agree
# (row counts and exact sums) before its time is printed. Prints wall seconds, peak memory
# (the largest process), and sluice's ratios; asserts nothing about speed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sluice=$(realpath "${1:-$root/build/sluice}")
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(15000 1000000)
work=$(mktemp -d)
cleanup() {
  [ -f "$work/mariadb/endpoint.json" ] && "$root/tests/servers/mariadb.sh" stop "$work/mariadb" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
duckdb_ready=1
[ -d "$root/tests/npm/node_modules/@duckdb/node-api" ] || {
  echo "note: DuckDB is skipped: run 'npm ci --prefix tests/npm' to install it" >&2
  duckdb_ready=0
}

# measure NAME OUT_DIR COMMAND...: runs COMMAND, records "seconds peak_kb" in $work/NAME.time
measure() {
  local name=$1 out=$2
  shift 2
  rm -rf "$out" && mkdir -p "$out"
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.log" 2>&1 || {
    echo "$name failed:" >&2
    tail -20 "$work/$name.log" >&2
    exit 1
  }
}
seconds() { cut -d' ' -f1 "$work/$1.time"; }
peak_mb() { echo "$(cut -d' ' -f2 "$work/$1.time") / 1024" | bc; }

for n in "${sizes[@]}"; do
  src="$work/src-$n"
  mkdir -p "$src"
  "$root/examples/sicooperative/make-source-db.sh" "$src/source.db" "$n" >/dev/null
  for t in associado conta cartao movimento; do
    sqlite3 -csv -header "$src/source.db" "SELECT * FROM $t" >"$src/$t.csv"
  done
  echo "== $n movimentos (CSV files: $(du -sh --exclude='*.db' "$src" | cut -f1))"

  measure sluice "$work/out-sluice" "$sluice" --home "$work/home-$n" run \
    "$root/examples/sicooperative-csv.yaml" -j 2 -q \
    --param source_dir="$src" --param output_dir="$work/out-sluice"
  sluice_task_peak=$(sqlite3 "$work/home-$n/sluice.db" "SELECT max(peak_rss_kb) / 1024 FROM attempts")
  measure pandas "$work/out-pandas" /usr/bin/python3 "$root/bench/etl/pandas_job.py" "$src" "$work/out-pandas"
  sed "s|@OUT@|$work/out-sqlite3|g" "$root/bench/etl/sqlite_job.sql" >"$work/sqlite_job.sql"
  measure sqlite3 "$work/out-sqlite3" sh -c "cd '$src' && sqlite3 :memory: <'$work/sqlite_job.sql'"
  tools=(sluice pandas sqlite3)
  if [ $duckdb_ready = 1 ]; then
    measure duckdb "$work/out-duckdb" node "$root/bench/etl/duckdb_job.js" "$src" "$work/out-duckdb"
    tools+=(duckdb)
  fi
  outs=()
  for t in "${tools[@]}"; do outs+=("$work/out-$t"); done
  /usr/bin/python3 "$root/bench/etl/check.py" "${outs[@]}"

  printf '  %-8s %9s %10s %12s\n' tool seconds "peak MB" "sluice is"
  for t in "${tools[@]}"; do
    ratio=$(echo "scale=2; $(seconds "$t") / $(seconds sluice)" | bc)
    printf '  %-8s %8.2fs %10s %11sx\n' "$t" "$(seconds "$t")" "$(peak_mb "$t")" "$ratio"
  done
  echo "  (sluice's largest task process peaked at ${sluice_task_peak} MB; 'sluice is Nx' = tool time / sluice time)"
done

# --- extraction from MariaDB, at the largest size ---
n=${sizes[-1]}
src="$work/src-$n"
if ! command -v mariadbd >/dev/null && ! [ -x /usr/sbin/mariadbd ]; then
  echo "note: MariaDB extraction skipped: mariadb-server is not installed" >&2
  exit 0
fi
"$root/tests/servers/mariadb.sh" start "$work/mariadb" >/dev/null
endpoint() { /usr/bin/python3 -c "import json,sys; print(json.load(open('$work/mariadb/endpoint.json'))[sys.argv[1]])" "$1"; }
port=$(endpoint port)
socket=$(endpoint socket)
user=$(endpoint user)
database=$(endpoint database)
export MYSQL_PWD
MYSQL_PWD=$(endpoint password)
"$root/examples/sicooperative/load-mysql.sh" "$src/source.db" --no-defaults --socket="$socket" \
  -uroot "$database" >/dev/null
rows=$(mariadb --no-defaults --socket="$socket" -uroot "$database" -N -e "SELECT count(*) FROM movimento")
mkdir -p "$work/mysql-dags"
cat >"$work/mysql-dags/extract.yaml" <<YAML
dag: bench_mysql_extract
tasks:
  - id: extract
    plugin: extract.mysql
    with:
      connection: "mysql://$user@127.0.0.1:$port/$database"
      password_env: MYSQL_PWD
      table: movimento
YAML
echo "== extraction of $rows movimento rows from MariaDB (127.0.0.1, TCP)"
measure sluice-mysql "$work/unused" "$sluice" --home "$work/home-mysql" run "$work/mysql-dags/extract.yaml" -q
measure mariadb-batch "$work/unused" sh -c "mariadb --no-defaults -h127.0.0.1 -P$port -u$user --batch --quick $database -e 'SELECT * FROM movimento' >/dev/null"
printf '  %-26s %8s %12s %9s\n' tool seconds "rows/s" "peak MB"
for t in sluice-mysql mariadb-batch; do
  rate=$(echo "$rows / $(seconds "$t")" | bc)
  printf '  %-26s %7.2fs %12s %9s\n' "$t" "$(seconds "$t")" "$rate" "$(peak_mb "$t")"
done
echo "  (sluice-mysql: the whole 'sluice run' of a one-task DAG, writing a typed dataset)"
