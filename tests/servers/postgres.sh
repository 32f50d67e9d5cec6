#!/usr/bin/env bash
# A private PostgreSQL 15 server for the tests (the ctest fixture `postgres`, see
# tests/servers/CMakeLists.txt).
#
#   postgres.sh start DIR   initdb + pg_ctl start on a free 127.0.0.1 port, data in a fresh
#                           temporary folder; writes DIR/endpoint.json (mode 0600):
#                           {"host","port","socket","user","password","database","datadir"}
#   postgres.sh stop DIR    pg_ctl -m fast stop, removes the temporary folder and DIR's files
#
# The server runs as the `postgres` user because PostgreSQL refuses to run as root. TCP logins
# need a password (scram-sha-256); the Unix socket trusts its users, but lives in a folder
# only `postgres` (and root) can enter. Durability is switched off: the data is thrown away.
set -euo pipefail

readonly kDatabase=sluice_test
readonly kUser=sluice
readonly kPortAttempts=10
# The data is thrown away after the tests: no need to pay for durability.
readonly kThrowawaySettings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

die() {
  echo "postgres.sh: $*" >&2
  exit 1
}

# Debian's binaries by full path: /usr/local/bin may hold other initdb/pg_ctl versions.
pg_bindir() {
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    echo /usr/lib/postgresql/15/bin
  elif command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/pg_ctl" ]]; then
    pg_config --bindir
  else
    die "no PostgreSQL server binaries; install them with: apt-get install postgresql"
  fi
}

# Runs a server command as the `postgres` user when we are root (PostgreSQL refuses root),
# as ourselves otherwise.
as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

random_secret() {
  # 24 alphanumeric characters: no quoting problems anywhere (JSON, connection strings).
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

stop_server() {
  local dir="$1" root bindir
  root=$(recorded_root "$dir")
  if [[ -n $root && -d $root/data ]]; then
    bindir=$(pg_bindir)
    if [[ -f $root/data/postmaster.pid ]]; then
      as_server_user "$bindir/pg_ctl" -D "$root/data" -m fast -w -t 30 stop >/dev/null ||
        echo "postgres.sh: pg_ctl stop failed; see $root/server.log" >&2
    fi
  fi
  # Only ever remove a folder this script made (mktemp's name), never an arbitrary path.
  if [[ -n $root && $root == */sluice-pg.* && -d $root ]]; then
    rm -rf -- "$root"
  fi
  rm -f -- "$dir/endpoint.json" "$dir/server.root"
}

start_server() {
  local dir="$1" bindir root data sock log port password superpass attempt started=0
  bindir=$(pg_bindir)
  mkdir -p -- "$dir"
  stop_server "$dir"  # a leftover server from an interrupted run

  root=$(mktemp -d "${TMPDIR:-/tmp}/sluice-pg.XXXXXX")
  echo "$root" >"$dir/server.root"
  # Until the endpoint is written, any failure stops whatever was started.
  trap 'stop_server "$dir"' EXIT
  data="$root/data"
  sock="$root/sock"
  log="$root/server.log"
  mkdir -m 0700 "$data" "$sock"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres "$root"; fi
  chmod 0711 "$root"  # the server user must reach data/ and sock/

  superpass=$(random_secret)
  password=$(random_secret)
  (umask 077 && echo "$superpass" >"$root/superuser.pw")
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$root/superuser.pw"; fi

  as_server_user "$bindir/initdb" -D "$data" -U postgres --pwfile="$root/superuser.pw" \
    --encoding=UTF8 --no-locale --auth-local=trust --auth-host=scram-sha-256 \
    >"$root/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$root/initdb.log")"
  touch "$log"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$log"; fi

  for attempt in $(seq "$kPortAttempts"); do
    port=$(pick_port)
    if as_server_user "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start \
        -o "-p $port -k $sock -c listen_addresses=127.0.0.1 $kThrowawaySettings" >/dev/null; then
      started=1
      break
    fi
    # Retry only when someone took the port between the check and the bind.
    grep -q "could not bind\|Address already in use" "$log" ||
      die "the server did not start (attempt $attempt): $(tail -n 5 "$log")"
    : >"$log"
  done
  [[ $started -eq 1 ]] || die "the server did not start after $kPortAttempts ports: $(tail -n 5 "$log")"

  # psql quotes :'password' itself, so the password never meets a shell or SQL by hand.
  as_server_user "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres \
    -d postgres -v password="$password" >/dev/null <<SQL
CREATE ROLE $kUser LOGIN PASSWORD :'password';
CREATE DATABASE $kDatabase OWNER $kUser ENCODING 'UTF8' TEMPLATE template0;
SQL

  (
    umask 077
    cat >"$dir/endpoint.json.tmp" <<JSON
{"host":"127.0.0.1","port":$port,"socket":"$sock","user":"$kUser","password":"$password","database":"$kDatabase","datadir":"$data"}
JSON
  )
  mv -f -- "$dir/endpoint.json.tmp" "$dir/endpoint.json"
  trap - EXIT
  echo "postgres.sh: PostgreSQL on 127.0.0.1:$port (socket $sock), database $kDatabase"
}

[[ $# -eq 2 ]] || usage
case "$1" in
  start) start_server "$2" ;;
  stop) stop_server "$2" ;;
  *) usage ;;
esac
