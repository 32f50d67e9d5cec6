"""Checks that every tool's outputs agree: row counts of both files, and the exact sums of
the flat file's amounts and the aggregates' totals and counts.

    /usr/bin/python3 check.py OUT_DIR...     prints one line per folder, exits 1 on a mismatch
"""
import csv
import decimal
import sys


def summary(folder):
    with open(f"{folder}/movimento_flat.csv", newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        flat_rows, flat_sum = 0, decimal.Decimal(0)
        for r in rows:
            flat_rows += 1
            flat_sum += decimal.Decimal(r["vlr_transacao_movimento"])
    with open(f"{folder}/movimento_mensal.csv", newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        mensal_rows, total, count = 0, decimal.Decimal(0), 0
        for r in rows:
            mensal_rows += 1
            total += decimal.Decimal(r["vlr_total"]).quantize(decimal.Decimal("0.01"))
            count += int(r["qtd_transacoes"])
    return (flat_rows, flat_sum, mensal_rows, total, count)


def main(folders):
    results = {folder: summary(folder) for folder in folders}
    for folder, (fr, fs, mr, mt, mc) in results.items():
        print(f"  {folder}: flat {fr} rows, sum {fs}; mensal {mr} rows, total {mt}, count {mc}")
    if len(set(results.values())) != 1:
        print("  MISMATCH: the tools disagree")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
