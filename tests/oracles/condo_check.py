"""Checks examples/condo-reports.yaml's Parquet reports and staging table against SQL
computed by PostgreSQL itself.

    condo_check.py OUTPUT_DIR DATABASE       (libpq environment: PGHOST, PGPORT, PGUSER, PGPASSWORD)

Reads each Parquet file with DuckDB (tests/npm/duckdb_query.js); gets the expected rows from
psql; averages are rounded half-even to 4 places here with exact fractions (PostgreSQL's
round() rounds half away from zero). Values compare as exact decimals; rows as multisets.
Prints "ok CONDOMINIO IMOVEL MES STAGED" (row counts) or the differences; exits 1 on any.
"""
import collections
import decimal
import fractions
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
QUERY = os.path.join(HERE, "..", "npm", "duckdb_query.js")

REPORTS = {
    "por_condominio": (
        "SELECT c.id, c.nome, count(*), sum(t.valor), count(DISTINCT i.id) "
        "FROM transacoes t JOIN imoveis i ON t.imovel_id = i.id "
        "JOIN condominios c ON i.condominio_id = c.id GROUP BY c.id, c.nome",
        "condominio_id, condominio, transacoes, total, media, imoveis_com_transacoes"),
    "por_imovel": (
        "SELECT c.nome, i.id, i.numero, i.tipo, r.n, t.n, t.total FROM imoveis i "
        "JOIN condominios c ON i.condominio_id = c.id "
        "LEFT JOIN (SELECT imovel_id, count(*) n, sum(valor) total FROM transacoes GROUP BY 1) t "
        "  ON t.imovel_id = i.id "
        "LEFT JOIN (SELECT imovel_id, count(*) n FROM moradores GROUP BY 1) r ON r.imovel_id = i.id",
        "condominio, imovel_id, numero, tipo, moradores, transacoes, total"),
    "por_mes": (
        "SELECT c.id, c.nome, to_char(t.data_transacao, 'YYYY-MM'), count(*), sum(t.valor) "
        "FROM transacoes t JOIN imoveis i ON t.imovel_id = i.id "
        "JOIN condominios c ON i.condominio_id = c.id GROUP BY 1, 2, 3",
        "condominio_id, condominio, mes, transacoes, total"),
}


def psql(database, sql):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-P", "null=\\N",
                          "-d", database, "-c", sql],
                         check=True, capture_output=True).stdout.decode("utf-8")
    return [tuple(None if v == "\\N" else v for v in line.split("\t"))
            for line in out.split("\n") if line]


def duckdb(sql):
    out = subprocess.run(["node", QUERY, sql], check=True, capture_output=True).stdout
    return [tuple(row) for row in json.loads(out)[0]["rows"]]


def normal(value):
    """Text of a cell, numbers made exact and scale-free so 1.50 equals 1.5000."""
    if value is None:
        return None
    try:
        return str(decimal.Decimal(value).normalize())
    except decimal.InvalidOperation:
        return value


def expected_condominio(rows):
    out = []
    for cid, nome, count, total, imoveis in rows:
        cents = int(decimal.Decimal(total) * 100)
        average = decimal.Decimal(round(fractions.Fraction(cents * 100, int(count)))) / 10000
        out.append((cid, nome, count, total, str(average), imoveis))
    return out


def main(out_dir, database):
    problems, counts = [], []
    for name, (sql, columns) in REPORTS.items():
        want = psql(database, sql)
        if name == "por_condominio":
            want = expected_condominio(want)
        have = duckdb(f"SELECT {columns} FROM read_parquet('{out_dir}/{name}.parquet')")
        want_c = collections.Counter(tuple(map(normal, r)) for r in want)
        have_c = collections.Counter(tuple(map(normal, r)) for r in have)
        for row in list((want_c - have_c).elements())[:5]:
            problems.append(f"{name}: missing {row}")
        for row in list((have_c - want_c).elements())[:5]:
            problems.append(f"{name}: unexpected {row}")
        counts.append(str(len(have)))
    staged = psql(database, "SELECT count(*), sum(valor) FROM stg_transacoes")[0]
    joined = psql(database, "SELECT count(*), sum(t.valor) FROM transacoes t "
                            "JOIN imoveis i ON t.imovel_id = i.id "
                            "JOIN condominios c ON i.condominio_id = c.id")[0]
    if staged != joined:
        problems.append(f"stg_transacoes holds {staged}, the joined transacoes are {joined}")
    if problems:
        print("\n".join(problems))
        return 1
    print("ok " + " ".join(counts) + " " + staged[0])
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
