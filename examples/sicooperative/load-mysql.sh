#!/bin/sh
# Loads the example SiCooperative tables into a MySQL/MariaDB database, to try
# examples/sicooperative-mysql.yaml against real data.
#
#   load-mysql.sh SQLITE_DB [MARIADB_CLIENT_ARGS...]
#   e.g.  load-mysql.sh examples/sicooperative/sicooperative.db -h127.0.0.1 -P3306 -usicoop sicooperative
#
# SQLITE_DB comes from make-source-db.sh. The tables are created from schema-mysql.sql (drop
# them first to reload) and filled with LOAD DATA LOCAL INFILE; the client needs the
# password in MYSQL_PWD or an option file, never on the command line.
set -eu

db=${1:?usage: load-mysql.sh SQLITE_DB [MARIADB_CLIENT_ARGS...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mariadb "$@" <"$here/schema-mysql.sql"
for table in associado conta cartao movimento; do
  # Tab-separated in LOAD DATA's own escaping: \N for NULL; backslash, tab, line feed and
  # carriage return escaped inside values.
  columns=$(sqlite3 "$db" "SELECT group_concat(
      'CASE WHEN ' || name || ' IS NULL THEN ''\\N'' ELSE replace(replace(replace(replace('
      || 'CAST(' || name || ' AS TEXT), ''\\'', ''\\\\''), char(9), ''\\t''), '
      || 'char(10), ''\\n''), char(13), ''\\r'') END', ', ')
    FROM pragma_table_info('$table')")
  sqlite3 -separator "$(printf '\t')" "$db" "SELECT $columns FROM $table ORDER BY 1" >"$tmp/$table.tsv"
done
# Option files (--defaults-extra-file) must come first, so the caller's arguments lead.
mariadb "$@" --local-infile=1 <<SQL
LOAD DATA LOCAL INFILE '$tmp/associado.tsv' INTO TABLE associado CHARACTER SET utf8mb4;
LOAD DATA LOCAL INFILE '$tmp/conta.tsv' INTO TABLE conta CHARACTER SET utf8mb4;
LOAD DATA LOCAL INFILE '$tmp/cartao.tsv' INTO TABLE cartao CHARACTER SET utf8mb4;
LOAD DATA LOCAL INFILE '$tmp/movimento.tsv' INTO TABLE movimento CHARACTER SET utf8mb4;
SQL
echo "loaded $(mariadb "$@" -N -e 'SELECT count(*) FROM movimento') movimento rows"
