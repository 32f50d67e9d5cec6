#!/bin/sh
# Creates SiCooperative's source database (SQLite) at DB, unless it is already there.
#
#   make-source-db.sh DB [MOVIMENTOS]     (default 15000 movimentos)
#
# The data is deterministic (see generate.sql): the same MOVIMENTOS always gives the same
# tables. The file appears only when it is complete: it is built beside DB and renamed.
set -eu

db=${1:?usage: make-source-db.sh DB [MOVIMENTOS]}
movimentos=${2:-15000}
here=$(cd "$(dirname "$0")" && pwd)

if [ -s "$db" ]; then
  echo "source database $db is already there; delete it to generate it again"
  exit 0
fi
command -v sqlite3 >/dev/null || {
  echo "sqlite3 is not installed; run ops/dev/install-deps.sh (or apt-get install sqlite3)" >&2
  exit 1
}
case $movimentos in
  ''|*[!0-9]*) echo "MOVIMENTOS must be a whole number, not '$movimentos'" >&2; exit 1 ;;
esac

mkdir -p "$(dirname "$db")"
tmp="$db.tmp.$$"
trap 'rm -f "$tmp"' EXIT
sqlite3 "$tmp" -cmd ".parameter set @movimentos $movimentos" < "$here/generate.sql"
mv "$tmp" "$db"
trap - EXIT
echo "generated $db with $movimentos movimentos"
