#!/usr/bin/env bash
# A private MariaDB server for the tests (the ctest fixture `mariadb`, see
# tests/servers/CMakeLists.txt).
#
#   mariadb.sh start DIR   mariadb-install-db + mariadbd on a free 127.0.0.1 port and a Unix
#                          socket, data in a fresh temporary folder; creates database
#                          sluice_test and user sluice (random password, TCP and socket);
#                          writes DIR/endpoint.json (mode 0600):
#                          {"host","port","socket","user","password","database","pid","datadir"}
#   mariadb.sh stop DIR    SIGTERM to the recorded server (SIGKILL after 20 s), then removes
#                          the temporary folder and DIR's files
#
# root logs in through the socket only (unix_socket authentication), so tests that need more
# than the sluice user's rights connect as root to the socket. The data is thrown away after
# the tests, so durability is switched off.
set -euo pipefail

readonly kDatabase=sluice_test
readonly kUser=sluice
readonly kPortAttempts=10
readonly kReadySeconds=60
readonly kStopSeconds=20
# The data is thrown away after the tests: no need to pay for durability.
readonly kThrowawaySettings=(--innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0
  --innodb-buffer-pool-size=64M --sync-binlog=0 --skip-log-bin)

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

die() {
  echo "mariadb.sh: $*" >&2
  exit 1
}

random_secret() {
  # 24 alphanumeric characters: no quoting problems anywhere (JSON, SQL, connection strings).
  local secret
  secret=$(head -c 256 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 24)
  [[ ${#secret} -eq 24 ]] || die "could not read 24 random characters from /dev/urandom"
  echo "$secret"
}

port_is_taken() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A random port in 20000..59999 that nothing listens on right now. Another process can still
# take it before the server binds it: start_server retries then.
pick_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! port_is_taken "$port"; then
      echo "$port"
      return
    fi
  done
  die "found no free port on 127.0.0.1 after 50 tries"
}

# The temporary folder of the server DIR describes, or nothing.
recorded_root() {
  local state="$1/server.root"
  [[ -f $state ]] && cat "$state" || true
}

# The pid of the server started in ROOT, or nothing.
recorded_pid() {
  local file="$1/mariadbd.pid"
  [[ -f $file ]] && tr -dc '0-9' <"$file" || true
}

# True when PID is a live mariadbd (not a recycled pid of some other program).
is_our_server() {
  local pid="$1"
  [[ -n $pid && -d /proc/$pid ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == mariadbd ]]
}

stop_pid() {
  local pid="$1"
  is_our_server "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq $((kStopSeconds * 10))); do
    is_our_server "$pid" || return 0
    sleep 0.1
  done
  echo "mariadb.sh: the server (pid $pid) ignored SIGTERM for ${kStopSeconds}s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 50); do
    is_our_server "$pid" || return 0
    sleep 0.1
  done
}

stop_server() {
  local dir="$1" root
  root=$(recorded_root "$dir")
  if [[ -n $root ]]; then
    stop_pid "$(recorded_pid "$root")"
  fi
  # Only ever remove a folder this script made (mktemp's name), never an arbitrary path.
  if [[ -n $root && $root == */sluice-mariadb.* && -d $root ]]; then
    rm -rf -- "$root"
  fi
  rm -f -- "$dir/endpoint.json" "$dir/endpoint.json.tmp" "$dir/server.root"
}

# Waits until the server at SOCK answers, or dies with the error log's tail.
wait_until_ready() {
  local root="$1" sock="$2" log="$3" pid
  for _ in $(seq $((kReadySeconds * 10))); do
    if mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; then
      return 0
    fi
    pid=$(recorded_pid "$root")
    if [[ -n $pid ]] && ! is_our_server "$pid"; then
      return 1  # it exited: the caller looks at the log
    fi
    sleep 0.1
  done
  die "the server was not ready after ${kReadySeconds}s: $(tail -n 10 "$log")"
}

start_server() {
  local dir="$1" root data sock log port password attempt started=0
  command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] ||
    die "no mariadbd; install it with: apt-get install mariadb-server mariadb-client"
  export PATH="$PATH:/usr/sbin"
  mkdir -p -- "$dir"
  stop_server "$dir"  # a leftover server from an interrupted run

  root=$(mktemp -d "${TMPDIR:-/tmp}/sluice-mariadb.XXXXXX")
  echo "$root" >"$dir/server.root"
  # Until the endpoint is written, any failure stops whatever was started.
  trap 'stop_server "$dir"' EXIT
  data="$root/data"
  sock="$root/mariadb.sock"
  log="$root/server.log"
  mkdir -m 0700 "$data"

  mariadb-install-db --no-defaults --datadir="$data" --user="$(id -un)" \
    --auth-root-authentication-method=socket --skip-test-db >"$root/install.log" 2>&1 ||
    die "mariadb-install-db failed: $(tail -n 10 "$root/install.log")"

  for attempt in $(seq "$kPortAttempts"); do
    port=$(pick_port)
    : >"$log"
    rm -f -- "$root/mariadbd.pid"
    # Detached (own session, no terminal, output to the log) so this script can exit while
    # the server keeps running, and ctest does not wait on the server's inherited pipes.
    # --no-defaults must come first: nothing from /etc/mysql may reach a private server.
    setsid mariadbd --no-defaults --user="$(id -un)" --datadir="$data" --socket="$sock" \
      --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
      --pid-file="$root/mariadbd.pid" --log-error="$log" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      "${kThrowawaySettings[@]}" </dev/null >>"$log" 2>&1 &
    # Until the server writes its pid file, the pid of the detached process stands in.
    echo $! >"$root/mariadbd.pid"
    if wait_until_ready "$root" "$sock" "$log"; then
      started=1
      break
    fi
    # Retry only when someone took the port between the check and the bind.
    grep -q "Address already in use\|Can't start server: Bind" "$log" ||
      die "the server did not start (attempt $attempt): $(tail -n 10 "$log")"
  done
  [[ $started -eq 1 ]] || die "the server did not start after $kPortAttempts ports: $(tail -n 10 "$log")"

  password=$(random_secret)
  mariadb --no-defaults --socket="$sock" -uroot >/dev/null <<SQL ||
CREATE DATABASE $kDatabase CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER '$kUser'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER '$kUser'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON $kDatabase.* TO '$kUser'@'127.0.0.1';
GRANT ALL PRIVILEGES ON $kDatabase.* TO '$kUser'@'localhost';
SQL
    die "could not create the database and user: $(tail -n 10 "$log")"

  (
    umask 077
    cat >"$dir/endpoint.json.tmp" <<JSON
{"host":"127.0.0.1","port":$port,"socket":"$sock","user":"$kUser","password":"$password","database":"$kDatabase","pid":$(recorded_pid "$root"),"datadir":"$data"}
JSON
  )
  mv -f -- "$dir/endpoint.json.tmp" "$dir/endpoint.json"
  trap - EXIT
  echo "mariadb.sh: MariaDB on 127.0.0.1:$port (socket $sock), database $kDatabase"
}

[[ $# -eq 2 ]] || usage
case "$1" in
  start) start_server "$2" ;;
  stop) stop_server "$2" ;;
  *) usage ;;
esac
