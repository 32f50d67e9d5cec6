"""Checks examples/medallion.yaml's CSV layers against the raw source, recomputed here.

    medallion_check.py SOURCE_CSV LAKE_DIR DS

bronze must hold the source's cells unchanged; silver the distinct rows with a valor above
zero, plus data_processamento = DS; gold, per categoria and regiao, the count, exact total,
average (half-even to 4 places) and largest valor of silver. Rows compare as multisets.
Prints "ok BRONZE SILVER GOLD" (row counts) or the differences; exits 1 on any.
"""
import collections
import csv
import decimal
import fractions
import sys


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [tuple(r) for r in csv.reader(f)]
    return rows[0], rows[1:]


def money(units, places):
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def expected(source, ds):
    header, rows = read(source)
    seen, silver = set(), []
    for row in rows:
        if row in seen:
            continue
        seen.add(row)
        record = dict(zip(header, row))
        if record["valor"] == "" or decimal.Decimal(record["valor"]) <= 0:
            continue
        silver.append(row + (ds,))
    groups = collections.defaultdict(list)
    index = {name: i for i, name in enumerate(header)}
    for row in silver:
        cents = int(decimal.Decimal(row[index["valor"]]) * 100)
        groups[(row[index["categoria"]], row[index["regiao"]])].append(cents)
    gold = []
    for (categoria, regiao), values in groups.items():
        total = sum(values)
        average = round(fractions.Fraction(total * 100, len(values)))  # half-even, exact
        gold.append((categoria, regiao, str(len(values)), money(total, 2), money(average, 4),
                     money(max(values), 2)))
    # Silver's valor is decimal(12,2): "7" in the source becomes "7.00".
    silver = [tuple(money(int(decimal.Decimal(v) * 100), 2) if i == index["valor"] else v
                    for i, v in enumerate(row)) for row in silver]
    return (header, rows), (header + ("data_processamento",), silver), (
        ("categoria", "regiao", "qtd_vendas", "valor_total", "valor_medio", "maior_venda"), gold)


def compare(name, path, want_header, want_rows):
    header, rows = read(path)
    problems = []
    if header != want_header:
        problems.append(f"{name}: header {header} != {want_header}")
    want, have = collections.Counter(want_rows), collections.Counter(rows)
    for row in list((want - have).elements())[:5]:
        problems.append(f"{name}: missing {row}")
    for row in list((have - want).elements())[:5]:
        problems.append(f"{name}: unexpected {row}")
    return problems, len(rows)


def main(source, lake, ds):
    bronze, silver, gold = expected(source, ds)
    problems, counts = [], []
    for name, path, (header, rows) in [
            ("bronze", f"{lake}/bronze/vendas_{ds}.csv", bronze),
            ("silver", f"{lake}/silver/vendas.csv", silver),
            ("gold", f"{lake}/gold/vendas_por_categoria_regiao.csv", gold)]:
        found, count = compare(name, path, tuple(header), rows)
        problems += found
        counts.append(str(count))
    if problems:
        print("\n".join(problems))
        return 1
    print("ok " + " ".join(counts))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
