#!/usr/bin/env bash
# Scheduler daemon benchmark (issue 4): the real `sluice scheduler`, measured from outside.
#
#   bench/scheduler/run.sh [SLUICE_BINARY]      (default: build/sluice; under 3 minutes)
#
# 1. Dispatch latency: DAGs with `schedule: "@every 1s"` whose one shell task runs
#    `exec date "+RUN_ID %s.%N"`. For each scheduled run: its fire time (runs.logical_date)
#    against runs.created_at, attempts.started_at (recorded just before the process is
#    asked for) and the task process's own clock reading (the `date` it runs): 20 DAGs due
#    at the same instant with -j 20, the same with the default -j, and one DAG alone; beside
#    them the machine's floor, bash starting `sh -c 'exec date'` with no sluice involved.
# 2. New DAG file with 1,000 DAG files loaded: a one-task `@every 1s` DAG written to a
#    temporary folder and `mv`ed in; from just before the `mv` to its first run's
#    runs.created_at, split into "waiting for the next whole second" and the scheduler's own
#    delay after that fire.
# 3. Idle CPU over 60 s with those 1,000 DAGs (`0 3 * * *`, nothing due), `--rescan 60`:
#    utime+stime from /proc/PID/stat before and after, of the daemon and its attempt server.
# 4. VmRSS and VmHWM (/proc/PID/status) with the 1,000 DAGs loaded.
# Also checks that a six-field `* * * * * *` schedule fires once a second, on its second.
#
# Prints figures; asserts nothing about speed. Needs bash 5, sqlite3, awk, coreutils.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sluice=$(realpath "${1:-$root/build/sluice}")
[ -x "$sluice" ] || { echo "no sluice binary at $sluice" >&2; exit 2; }
work=$(mktemp -d /tmp/sluice-bench-scheduler.XXXXXX)
started_pids=()   # every daemon this script started, and their attempt servers

cleanup() {
  local pid i
  for pid in "${started_pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- helpers -----------------------------------------------------------------------------

now() { echo "$EPOCHREALTIME"; }          # seconds.microseconds, no fork
epoch_of() { date -d "$1" +%s.%6N; }       # an ISO 8601 UTC timestamp -> epoch seconds

# SQL: a stored "2026-11-23T22:35:01.123456Z" as epoch seconds with microseconds, as text.
ep() { echo "(strftime('%s', substr($1, 1, 19)) || substr($1, 20, 7))"; }

# start_daemon DIR [SCHEDULER OPTION...]: starts the scheduler on DIR/dags with home DIR/home,
# waits for its "scheduler started" line; sets DAEMON_PID and DAEMON_LAUNCHED (epoch s).
start_daemon() {
  local dir=$1
  shift
  mkdir -p "$dir/home" "$dir/dags"
  DAEMON_LAUNCHED=$(now)
  "$sluice" --home "$dir/home" --dags "$dir/dags" scheduler --listen 127.0.0.1:0 "$@" 2>"$dir/log" &
  DAEMON_PID=$!
  started_pids+=("$DAEMON_PID")
  local i
  for i in $(seq 1200); do
    grep -q ' scheduler started: ' "$dir/log" && return 0
    kill -0 "$DAEMON_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "the scheduler in $dir did not start:" >&2
  tail -20 "$dir/log" >&2
  exit 1
}

stop_daemon() {
  local pid=$1 server
  server=$(attempt_server_of "$pid")
  [ -n "$server" ] && started_pids+=("$server")
  kill -TERM "$pid"
  wait "$pid" || { echo "the scheduler $pid exited with $?" >&2; exit 1; }
}

# The attempt server: the daemon's one child process (started at its first attempt).
attempt_server_of() {
  local children=""
  read -r children _ <"/proc/$1/task/$1/children" 2>/dev/null || true
  echo "$children"
}

cpu_ticks() {  # utime + stime of PID, in clock ticks
  local f
  read -r -a f <"/proc/$1/stat"
  echo $((f[13] + f[14]))
}

status_field() {  # status_field PID NAME: the first number of /proc/PID/status's NAME: line
  local key value rest
  while read -r key value rest; do
    [ "$key" = "$2:" ] && { echo "$value"; return; }
  done <"/proc/$1/status"
  echo 0
}

# sleep_until_us T: sleeps until the epoch time T (microseconds); forks only `sleep`.
sleep_until_us() {
  local d=$(($1 - ${EPOCHREALTIME/./})) frac
  [ "$d" -gt 0 ] || return 0
  printf -v frac '%06d' $((d % 1000000))
  sleep "$((d / 1000000)).$frac"
}

mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

# stats LABEL: reads milliseconds, one a line; prints count, p50, p90, p99 (nearest rank), max.
stats() {
  sort -g | awk -v label="$1" '
    function rank(p,   i) { i = int(p * n); if (i < p * n) i++; if (i < 1) i = 1; return v[i] }
    { v[++n] = $1 }
    END {
      if (n == 0) { printf "  %-50s %7s\n", label, "no samples"; exit }
      printf "  %-50s %7d %8.2f %8.2f %8.2f %8.2f\n", label, n, rank(0.5), rank(0.9), rank(0.99), v[n]
    }'
}
stats_header() {
  printf '  %-50s %7s %8s %8s %8s %8s\n' "$1" samples "p50 ms" "p90 ms" "p99 ms" "max ms"
}

# samples DIR: one line per scheduled run that has a first attempt and a clock reading:
#   run_id dag fire created attempt_started process_clock   (epoch seconds)
samples() {
  local dir=$1
  sqlite3 -readonly -separator ' ' "$dir/home/sluice.db" "
    SELECT r.run_id, r.dag_id, $(ep r.logical_date), $(ep r.created_at), $(ep a.started_at)
    FROM runs r JOIN attempts a ON a.run_id = r.run_id AND a.attempt = 1
    WHERE r.\"trigger\" = 'schedule' ORDER BY r.logical_date, a.started_at" |
    awk 'NR == FNR { clock[$1] = $2; next } ($1 in clock) { print $0, clock[$1] }' \
      "$dir/clock.txt" - |
    attempt_process_start "$dir"
}

# attempt_process_start DIR: appends to each sample line the time the attempt's own process
# started — the first line of its log, which the forked `task-exec` child writes before it
# runs the plugin (and before the shell plugin execs /bin/sh).
attempt_process_start() {
  /usr/bin/python3 -c '
import sys, datetime
home = sys.argv[1] + "/home/logs"
for line in sys.stdin:
    run, dag = line.split()[:2]
    try:
        with open(f"{home}/{dag}/{run}/clock.1.log") as log:
            stamp = log.readline().split()[0]
    except (OSError, IndexError):
        continue
    t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    print(line.rstrip(), f"{t.timestamp():.6f}")
' "$1"
}

# latency_dags DIR N SCHEDULE: N one-task DAGs whose task records its own start time.
latency_dags() {
  local dir=$1 n=$2 schedule=$3 i
  mkdir -p "$dir/dags"
  : >"$dir/clock.txt"
  for ((i = 0; i < n; i++)); do
    cat >"$dir/dags/lat_$i.yaml" <<EOF
dag: lat_$i
schedule: "$schedule"
tasks:
  - id: clock
    plugin: shell
    with: {command: 'exec date "+{{ run_id }} %s.%N" >>$dir/clock.txt'}
EOF
  done
}

# latency_phase NAME DAGS SECONDS [SCHEDULER OPTION...]: runs a latency daemon; leaves the
# samples (warm-up fires dropped: the first two, whose attempts start the attempt server and
# load the plugin) in $work/NAME/samples, the cold first fire in $work/NAME/cold.
latency_phase() {
  local name=$1 n=$2 seconds=$3
  shift 3
  local dir="$work/$name"
  latency_dags "$dir" "$n" "@every 1s"
  start_daemon "$dir" "$@"
  local t0 ticks0 wakes0
  t0=$(now)
  ticks0=$(cpu_ticks "$DAEMON_PID")
  wakes0=$(status_field "$DAEMON_PID" voluntary_ctxt_switches)
  sleep "$seconds"
  local ticks1 wakes1
  ticks1=$(cpu_ticks "$DAEMON_PID")
  wakes1=$(status_field "$DAEMON_PID" voluntary_ctxt_switches)
  echo "$(status_field "$DAEMON_PID" VmRSS) $(status_field "$DAEMON_PID" VmHWM)" >"$dir/rss"
  stop_daemon "$DAEMON_PID"
  samples "$dir" >"$dir/all"
  local first
  first=$(awk 'NR == 1 { print $3 }' "$dir/all")
  awk -v first="$first" '$3 == first' "$dir/all" >"$dir/cold"
  awk -v first="$first" '$3 >= first + 2' "$dir/all" >"$dir/samples"
  local runs
  runs=$(awk -v t0="$t0" '$3 >= t0' "$dir/all" | wc -l)
  # ms of daemon CPU, runs, seconds, daemon wakeups (voluntary context switches)
  echo "$(((ticks1 - ticks0) * 10)) $runs $seconds $((wakes1 - wakes0))" >"$dir/cpu"
}

# --- machine -----------------------------------------------------------------------------

echo "== sluice scheduler benchmark (bench/scheduler/run.sh)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start"
echo "sluice:  $sluice ($("$sluice" --version), sha256 $(sha256sum "$sluice" | cut -c1-12)); source tree $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo

# --- 1. dispatch latency -----------------------------------------------------------------

latency_phase burst20 20 18 -j 20     # 20 DAGs due at the same instant, a slot for each
latency_phase burst20j 20 8           # the same, with the default parallelism (cores)
latency_phase alone 1 12              # one DAG: no other fire in the same turn
# The machine's own floor, no sluice: bash starting `sh -c 'exec date'`, as the attempt
# server starts a shell task's command.
for ((i = 0; i < 100; i++)); do
  t0=$EPOCHREALTIME
  clock=$(sh -c 'exec date +%s.%N')
  echo "$t0 $clock"
done >"$work/spawn_floor"

echo "1. Fire time -> task process start (runs.logical_date is the fire; the task runs"
echo "   'exec date +%s.%N', so 'process clock' includes /bin/sh's start and exec of date)"
stats_header "20 DAGs \"@every 1s\", all due each second, -j 20"
awk '{ print ($4 - $3) * 1000 }' "$work/burst20/samples" | stats "fire -> run created (runs.created_at)"
awk '{ print ($5 - $3) * 1000 }' "$work/burst20/samples" | stats "fire -> attempt recorded (attempts.started_at)"
awk '{ print ($7 - $3) * 1000 }' "$work/burst20/samples" | stats "fire -> attempt process started   [target p99 < 20]"
awk '{ print ($6 - $3) * 1000 }' "$work/burst20/samples" | stats "fire -> process clock (after sh + exec date)"
awk '{ print ($6 - $5) * 1000 }' "$work/burst20/samples" | stats "attempt recorded -> process clock (spawn)"
awk '{ print ($2 - $1) * 1000 }' "$work/spawn_floor" | stats "  no sluice: bash -> sh -c 'exec date' (floor)"
# The order within one second's burst: the first task started and the last.
awk '{ if (!($3 in lo) || $6 < lo[$3]) lo[$3] = $6; if ($6 > hi[$3]) hi[$3] = $6 }
     END { for (f in lo) print (lo[f] - f) * 1000 }' "$work/burst20/samples" | stats "  first process of each second's burst"
awk '{ if ($6 > hi[$3]) hi[$3] = $6 } END { for (f in hi) print (hi[f] - f) * 1000 }' \
  "$work/burst20/samples" | stats "  last process of each second's burst"
awk '{ print ($6 - $3) * 1000 }' "$work/burst20/cold" | stats "  (first fire after start: cold, not counted above)"
read -r cpu_ms runs secs wakes <"$work/burst20/cpu"
printf '  daemon CPU while firing: %d ms over %d s for %d runs = %.2f ms per run; RSS %s MB\n' \
  "$cpu_ms" "$secs" "$runs" "$(awk -v c="$cpu_ms" -v r="$runs" 'BEGIN { print r ? c / r : 0 }')" \
  "$(mb "$(cut -d' ' -f1 "$work/burst20/rss")")"
stats_header "20 DAGs, default -j ($(nproc)): waiting for slots"
awk '{ print ($7 - $3) * 1000 }' "$work/burst20j/samples" | stats "fire -> attempt process started"
awk '{ print ($6 - $3) * 1000 }' "$work/burst20j/samples" | stats "fire -> process clock"
stats_header "1 DAG \"@every 1s\" alone, default -j"
awk '{ print ($4 - $3) * 1000 }' "$work/alone/samples" | stats "fire -> run created"
awk '{ print ($5 - $3) * 1000 }' "$work/alone/samples" | stats "fire -> attempt recorded"
awk '{ print ($7 - $3) * 1000 }' "$work/alone/samples" | stats "fire -> attempt process started"
awk '{ print ($6 - $3) * 1000 }' "$work/alone/samples" | stats "fire -> process clock"
read -r cpu_ms runs secs wakes <"$work/alone/cpu"
printf '  daemon: %d ms CPU and %d wakeups (voluntary context switches) in %d s, for %d runs\n' \
  "$cpu_ms" "$wakes" "$secs" "$runs"
echo

# Six-field cron, every second: one run per second, each created at (not before) its fire?
dir="$work/cron6"
latency_dags "$dir" 1 "* * * * * *"
start_daemon "$dir"
sleep 6
stop_daemon "$DAEMON_PID"
samples "$dir" >"$dir/all"
awk '{ n++; d = $4 - $3; sum += d; if (n > 1) gap += $3 - prev; prev = $3 }
     END { printf "   six-field \"* * * * * *\": %d runs in 6 s, %.2f s apart on average, each created %.3f s %s its logical date on average", n, (n > 1 ? gap / (n - 1) : 0), (n ? (sum < 0 ? -sum : sum) / n : 0), (sum < 0 ? "BEFORE" : "after");
           if (n < 5 || sum < 0) print "  <- WRONG: expected ~6 runs, 1 s apart, created just after their fire"; else print "" }' "$dir/all"
echo

# --- 1,000 DAG files ----------------------------------------------------------------------

big="$work/big"
mkdir -p "$big/dags" "$big/tmp"
# Realistic nightly pipelines: 1-4 sources, each extract -> transform -> export, an aggregate
# and its export, 0-5 checks and a final notification (6-20 tasks). "0 3 * * *" in several
# zones; a zone whose 03:00 is less than 10 minutes away is left out, so nothing fires.
zones=()
for z in UTC America/Sao_Paulo Europe/Paris Asia/Tokyo America/New_York Australia/Sydney; do
  hm=$(TZ=$z date +%H%M)
  if [ $((10#$hm)) -lt 250 ] || [ $((10#$hm)) -ge 300 ]; then zones+=("$z"); fi
done
RANDOM=20261207
total_tasks=0
for ((d = 0; d < 1000; d++)); do   # shell builtins only: no process per file
  sources=$((1 + RANDOM % 4))
  checks=$((RANDOM % 6))
  printf -v id 'nightly_%04d' "$d"
  {
    printf '%s\n' "# generated by bench/scheduler/run.sh" "dag: $id" \
      "description: Nightly load of partner $d into the lake" 'schedule: "0 3 * * *"' \
      "timezone: ${zones[d % ${#zones[@]}]}"
    [ $((d % 5)) != 0 ] || printf 'catchup: true\n'
    printf '%s\n' "params:" "  source_dir: /data/landing/partner_$d" "  lake_dir: /data/lake/partner_$d" \
      "defaults:" "  retries: 2" "  retry_delay: 1m" "  timeout: 30m" "tasks:"
    exports=()
    for ((s = 0; s < sources; s++)); do
      printf '%s\n' \
        "  - id: extract_s$s" \
        "    plugin: extract.csv" \
        "    with:" \
        "      path: \"{{ params.source_dir }}/source_$s-{{ ds }}.csv\"" \
        "  - id: clean_s$s" \
        "    plugin: transform" \
        "    depends_on: [extract_s$s]" \
        "    with:" \
        "      steps:" \
        "        - dedupe: true" \
        "        - cast: {id: int64, data_venda: date, valor: \"decimal(12,2)\"}" \
        "        - filter: \"valor > 0\"" \
        "  - id: export_s$s" \
        "    plugin: export.csv" \
        "    depends_on: [clean_s$s]" \
        "    with:" \
        "      path: \"{{ params.lake_dir }}/silver/source_$s-{{ ds }}.csv\""
      exports+=("export_s$s")
    done
    printf '%s\n' \
      "  - id: summary" \
      "    plugin: aggregate" \
      "    depends_on: [clean_s0]" \
      "    with:" \
      "      group_by: [categoria, regiao]" \
      "      aggregates:" \
      "        - \"qtd = count(*)\"" \
      "        - \"total = sum(valor)\"" \
      "        - \"maior = max(valor)\"" \
      "  - id: export_summary" \
      "    plugin: export.parquet" \
      "    depends_on: [summary]" \
      "    with:" \
      "      path: \"{{ params.lake_dir }}/gold/summary-{{ ds }}.parquet\"" \
      "      compression: zstd"
    exports+=(export_summary)
    for ((c = 0; c < checks; c++)); do
      printf '%s\n' \
        "  - id: check_$c" \
        "    plugin: shell" \
        "    depends_on: [${exports[c % ${#exports[@]}]}]" \
        "    timeout: 5m" \
        "    with: {command: \"test -s '{{ params.lake_dir }}/check_$c-{{ ds }}'\"}"
    done
    deps="${exports[*]}"
    printf '%s\n' "  - id: notify" "    plugin: shell" "    depends_on: [${deps// /, }]" \
      "    with: {command: \"echo {{ run_id }} done\"}"
  } >"$big/dags/$id.yaml"
  total_tasks=$((total_tasks + 3 * sources + 2 + checks + 1))
done
"$sluice" --home "$big/validate-home" dags validate "$big/dags" >/dev/null || {
  echo "the generated DAG files do not validate" >&2
  exit 1
}

start_daemon "$big" --rescan 60
started_line=$(grep -m1 ' scheduler started: ' "$big/log")
daemon_started=$(epoch_of "${started_line%% *}")
startup_s=$(awk -v a="$DAEMON_LAUNCHED" -v b="$daemon_started" 'BEGIN { printf "%.2f", b - a }')
sleep 1
rss_loaded=$(status_field "$DAEMON_PID" VmRSS)
hwm_loaded=$(status_field "$DAEMON_PID" VmHWM)
threads=$(status_field "$DAEMON_PID" Threads)

# --- 2. a new DAG file among 1,000 ---------------------------------------------------------

trials=12
: >"$big/writes"
for ((k = 0; k < trials; k++)); do
  cat >"$big/tmp/new_$k.yaml" <<EOF
dag: new_$k
schedule: "@every 1s"
tasks:
  - id: t
    plugin: shell
    with: {command: "true"}
EOF
  # Write at a different point of the second each time: 40 ms, 120 ms, ..., 920 ms past it.
  us=${EPOCHREALTIME/./}
  sleep_until_us $(((us / 1000000 + 1) * 1000000 + 40000 + k * 80000))
  t_write=$EPOCHREALTIME
  mv "$big/tmp/new_$k.yaml" "$big/dags/new_$k.yaml"
  echo "$k $t_write $EPOCHREALTIME" >>"$big/writes"
  for i in $(seq 100); do
    grep -q " new_$k: run .* queued for " "$big/log" && break
    sleep 0.05
  done
  rm "$big/dags/new_$k.yaml"
done
sleep 3  # the new DAGs' last runs end, their removal is applied, the database settles

# --- 3. idle CPU, and 4. memory --------------------------------------------------------------

server=$(attempt_server_of "$DAEMON_PID")
window_start=$(now)
d0=$(cpu_ticks "$DAEMON_PID"); s0=$(cpu_ticks "$server")
v0=$(status_field "$DAEMON_PID" voluntary_ctxt_switches)
: >"$big/per_second"
prev=$d0
w0=${window_start/./}
for ((i = 1; i <= 60; i++)); do
  sleep_until_us $((w0 + i * 1000000))
  t=$(cpu_ticks "$DAEMON_PID")
  echo "$i $((t - prev))" >>"$big/per_second"
  prev=$t
done
d1=$(cpu_ticks "$DAEMON_PID"); s1=$(cpu_ticks "$server")
v1=$(status_field "$DAEMON_PID" voluntary_ctxt_switches)
window_end=$(now)
rss_idle=$(status_field "$DAEMON_PID" VmRSS)
hwm_idle=$(status_field "$DAEMON_PID" VmHWM)
server_rss=$(status_field "$server" VmRSS)
server_hwm=$(status_field "$server" VmHWM)
stop_daemon "$DAEMON_PID"

echo "2. New DAG file -> its first scheduled run, with 1,000 DAG files ($total_tasks tasks) loaded"
echo "   (written to a folder outside, then 'mv'ed in; times from just before the mv)"
sqlite3 -readonly -separator ' ' "$big/home/sluice.db" "
  SELECT dag_id, $(ep 'min(logical_date)'), $(ep 'min(created_at)') FROM runs
  WHERE dag_id GLOB 'new_*' AND \"trigger\" = 'schedule' GROUP BY dag_id" >"$big/first_runs"
: >"$big/loaded"
while read -r k t_write t_moved; do
  line=$(grep -m1 " new_$k: loaded" "$big/log" || true)
  [ -n "$line" ] && echo "new_$k $t_write $(epoch_of "${line%% *}")" >>"$big/loaded"
done <"$big/writes"
# new_K write loaded fire created
awk 'NR == FNR { fire[$1] = $2; created[$1] = $3; next }
     ($1 in fire) { print $1, $2, $3, fire[$1], created[$1] }' "$big/first_runs" "$big/loaded" >"$big/trials"
stats_header "$(wc -l <"$big/trials") files (of $trials written)"
awk '{ print ($5 - $2) * 1000 }' "$big/trials" | stats "write -> first run created  [target < 1000]"
awk '{ print ($3 - $2) * 1000 }' "$big/trials" | stats "write -> DAG loaded (its log line)"
awk '{ print ($3 - $2) * 1000 }' "$big/writes" | stats "  the mv command itself (the rename is within it)"
awk '{ c = int($2) + 1; print (c - $2) * 1000 }' "$big/trials" | stats "write -> the next whole second"
awk '{ print ($5 - $4) * 1000 }' "$big/trials" | stats "its first fire -> run created (scheduler's delay)"
missed=$(awk '$4 > int($2) + 1.5' "$big/trials" | wc -l)
echo "   first fire was not the next whole second after the write in $missed of them (loaded after that second began)"
echo "   daemon start with 1,000 files: $startup_s s from exec to 'scheduler started'; $threads thread(s)"
echo

echo "3. Idle CPU, 60 s, 1,000 DAGs loaded, nothing due, --rescan 60"
awk -v d="$((d1 - d0))" -v s="$((s1 - s0))" -v w="$(awk -v a="$window_start" -v b="$window_end" 'BEGIN { print b - a }')" 'BEGIN {
  printf "   daemon:         %.2f CPU-s (%.3f %% of one core) over %.1f s\n", d / 100, d / w, w
  printf "   attempt server: %.2f CPU-s (%.3f %%)\n", s / 100, s / w }'
echo "   daemon wakeups (voluntary context switches): $((v1 - v0))"
rescan_at=$(awk -v s="$daemon_started" -v w="$window_start" 'BEGIN { printf "%.1f", s + 60 - w }')
echo "   the periodic rescan of the 1,000 files was due ${rescan_at} s into the window (60 s after start)"
sort -k2 -n -r "$big/per_second" | awk 'NR == 1 { printf "   busiest second: the one ending +%d s, %d ms CPU", $1, $2 * 10 }
  NR == 2 { printf "; every other second %d ms or less\n", $2 * 10 }'
echo

echo "4. Memory with 1,000 DAG files loaded                  [target < 100 MB]"
printf '   daemon after start:    VmRSS %6s MB   VmHWM %6s MB\n' "$(mb "$rss_loaded")" "$(mb "$hwm_loaded")"
printf '   daemon after idle:     VmRSS %6s MB   VmHWM %6s MB\n' "$(mb "$rss_idle")" "$(mb "$hwm_idle")"
printf '   attempt server:        VmRSS %6s MB   VmHWM %6s MB   (shares its pages with the daemon binary)\n' "$(mb "$server_rss")" "$(mb "$server_hwm")"
read -r rss20 hwm20 <"$work/burst20/rss"
printf '   for scale, with 20 DAGs: VmRSS %s MB, VmHWM %s MB\n' "$(mb "$rss20")" "$(mb "$hwm20")"
echo

echo "5. Peers: none run side by side."
for peer in airflow dagu; do
  if command -v "$peer" >/dev/null; then
    echo "   $peer is installed ($(command -v "$peer")) but this script does not drive it"
  else
    echo "   $peer: not installed (not packaged in Debian 12)"
  fi
done
echo "   cron (Debian's cron 3.0pl1) wakes once a minute: a job starts up to 60 s after the"
echo "   minute it was written for is reached; it is a clock, not a DAG scheduler, so it is not timed."
echo
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at end"
