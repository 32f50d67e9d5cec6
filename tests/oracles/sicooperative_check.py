"""Checks the SiCooperative job's two CSV outputs against the source database itself.

    sicooperative_check.py sqlite DB OUTPUT_DIR
    sicooperative_check.py csv SOURCE_DIR OUTPUT_DIR      (the four tables as CSV files)
    sicooperative_check.py mysql DEFAULTS_FILE DATABASE OUTPUT_DIR

The expected rows are computed by SQL in the source database (joins, grouping, sums and
extremes in exact integer cents); the averages are rounded half-even to 4 places here, with
exact fractions. The output files are read with Python's csv module. Rows are compared as
multisets (order-insensitive), every cell as text. Prints "ok FLAT MENSAL" (the data row
counts) or the differences, and exits 1 on any difference.
"""
import collections
import csv
import fractions
import subprocess
import sys

FLAT_HEADER = ["nome_associado", "sobrenome_associado", "idade_associado",
               "vlr_transacao_movimento", "des_transacao_movimento", "data_movimento",
               "numero_cartao", "nome_impresso_cartao", "data_criacao_cartao", "tipo_conta",
               "data_criacao_conta"]
MENSAL_HEADER = ["id_associado", "mes", "qtd_transacoes", "vlr_total", "vlr_medio", "vlr_min",
                 "vlr_max"]

JOINS = """FROM movimento m
  JOIN cartao c ON m.id_cartao = c.id
  JOIN conta co ON c.id_conta = co.id
  JOIN associado a ON co.id_associado = a.id AND c.id_associado = a.id"""

# Per dialect: the amount in integer cents, and the flat columns in output order.
DIALECTS = {
    "sqlite": {"cents": "CAST(ROUND(m.vlr_transacao * 100) AS INTEGER)",
               "month": "substr(m.data_movimento, 1, 7)"},
    "mysql": {"cents": "CAST(m.vlr_transacao * 100 AS SIGNED)",
              "month": "DATE_FORMAT(m.data_movimento, '%Y-%m')"},
}


def flat_sql(d):
    return f"""SELECT a.nome, a.sobrenome, a.idade, {d['cents']}, m.des_transacao,
  m.data_movimento, c.num_cartao, c.nom_impresso, c.data_criacao, co.tipo, co.data_criacao
{JOINS}"""


def mensal_sql(d):
    return f"""SELECT a.id, {d['month']}, COUNT(*), SUM({d['cents']}), MIN({d['cents']}),
  MAX({d['cents']})
{JOINS}
GROUP BY a.id, {d['month']}"""


def money(cents, places=2):
    """Integer hundredths (or ten-thousandths with places=4) as exact decimal text."""
    sign = "-" if cents < 0 else ""
    digits = str(abs(cents)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def text(value):
    return "" if value is None else str(value)


def expected_rows(rows_flat, rows_mensal):
    flat = []
    for (nome, sobrenome, idade, cents, des, data_mov, num, impresso, criacao_cartao, tipo,
         criacao_conta) in rows_flat:
        flat.append((text(nome), text(sobrenome), text(idade), money(int(cents)), text(des),
                     text(data_mov), text(num), text(impresso), text(criacao_cartao), text(tipo),
                     text(criacao_conta)))
    mensal = []
    for (assoc, month, count, total, lowest, highest) in rows_mensal:
        count, total = int(count), int(total)
        # Exact: round() of a Fraction rounds half to even.
        average = round(fractions.Fraction(total * 100, count))
        mensal.append((text(assoc), text(month), str(count), money(total), money(average, 4),
                       money(int(lowest)), money(int(highest))))
    return flat, mensal


def from_sqlite_connection(db):
    d = DIALECTS["sqlite"]
    return expected_rows(db.execute(flat_sql(d)).fetchall(), db.execute(mensal_sql(d)).fetchall())


def from_sqlite(path):
    import sqlite3
    return from_sqlite_connection(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


# The source schema (seed 003), for loading CSV exports into an in-memory SQLite database.
CSV_TABLES = {
    "associado": "id INTEGER, nome TEXT, sobrenome TEXT, idade INTEGER, email TEXT",
    "conta": "id INTEGER, tipo TEXT, data_criacao TEXT, id_associado INTEGER",
    "cartao": "id INTEGER, num_cartao INTEGER, nom_impresso TEXT, id_conta INTEGER, "
              "id_associado INTEGER, data_criacao TEXT",
    "movimento": "id INTEGER, vlr_transacao DECIMAL(10,2), des_transacao TEXT, "
                 "data_movimento TEXT, id_cartao INTEGER",
}


def from_csv_dir(source_dir):
    import sqlite3
    db = sqlite3.connect(":memory:")
    for table, columns in CSV_TABLES.items():
        db.execute(f"CREATE TABLE {table} ({columns})")
        _, rows = read_csv(f"{source_dir}/{table}.csv")
        if rows:
            marks = ",".join("?" * len(rows[0]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})",
                           [tuple(None if v == "" else v for v in r) for r in rows])
    return from_sqlite_connection(db)


def mysql_rows(defaults_file, database, sql):
    """Rows from the mariadb client in --batch mode (tab-separated, escaped, NULL as NULL)."""
    out = subprocess.run(["mariadb", f"--defaults-extra-file={defaults_file}", "--batch",
                          "--skip-column-names", database, "-e", sql],
                         check=True, capture_output=True).stdout.decode("utf-8")
    unescape = {"n": "\n", "t": "\t", "\\": "\\", "0": "\0"}
    rows = []
    for line in out.split("\n"):
        if not line:
            continue
        row = []
        for field in line.split("\t"):
            if field == "NULL":
                row.append(None)
                continue
            value, i = [], 0
            while i < len(field):
                if field[i] == "\\" and i + 1 < len(field):
                    value.append(unescape.get(field[i + 1], field[i + 1]))
                    i += 2
                else:
                    value.append(field[i])
                    i += 1
            row.append("".join(value))
        rows.append(tuple(row))
    return rows


def from_mysql(defaults_file, database):
    d = DIALECTS["mysql"]
    return expected_rows(mysql_rows(defaults_file, database, flat_sql(d)),
                         mysql_rows(defaults_file, database, mensal_sql(d)))


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [tuple(r) for r in csv.reader(f)]
    return (list(rows[0]) if rows else []), rows[1:]


def compare(name, path, header, expected):
    problems = []
    got_header, got = read_csv(path)
    if got_header != header:
        problems.append(f"{name}: header {got_header} != {header}")
    want, have = collections.Counter(expected), collections.Counter(got)
    for row in list((want - have).elements())[:5]:
        problems.append(f"{name}: missing {row}")
    for row in list((have - want).elements())[:5]:
        problems.append(f"{name}: unexpected {row}")
    if len(got) != len(expected):
        problems.append(f"{name}: {len(got)} rows, expected {len(expected)}")
    return problems


def main(argv):
    if len(argv) == 3 and argv[0] == "sqlite":
        flat, mensal = from_sqlite(argv[1])
        out_dir = argv[2]
    elif len(argv) == 3 and argv[0] == "csv":
        flat, mensal = from_csv_dir(argv[1])
        out_dir = argv[2]
    elif len(argv) == 4 and argv[0] == "mysql":
        flat, mensal = from_mysql(argv[1], argv[2])
        out_dir = argv[3]
    else:
        print(__doc__)
        return 2
    problems = compare("movimento_flat.csv", f"{out_dir}/movimento_flat.csv", FLAT_HEADER, flat)
    problems += compare("movimento_mensal.csv", f"{out_dir}/movimento_mensal.csv", MENSAL_HEADER,
                        mensal)
    if problems:
        print("\n".join(problems))
        return 1
    print(f"ok {len(flat)} {len(mensal)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
