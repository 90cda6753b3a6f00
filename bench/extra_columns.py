"""What a data set's own columns cost: import time with and without them kept, and the
time of criteria on own columns against the same tests on built-in fields.

    python bench/extra_columns.py [--rows 200000] [--runs 3]

Writes a CSV file of generated declarations with 6 built-in columns and 4 other columns
(office code, tax rate, payment date, prepaid flag), imports it `runs` times without and
with the 4 columns kept, then runs 8 criteria (2 per kind) on the kept columns and 8 of
the same kinds on built-in fields. Prints medians of the wall times and their ratios;
asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

HEADER = ["Declaration number", "Date", "HS code", "Origin", "Declared value (USD)",
          "Non-compliant", "Office", "Tax rate", "Payment date", "Prepaid"]
KEEP = {"Office": "category", "Tax rate": "number", "Payment date": "date",
        "Prepaid": "flag"}


def write(path: Path, count: int) -> None:
    start = date(2025, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(count):
            day = (start + timedelta(days=i % 365)).isoformat()
            writer.writerow([f"25VD{i // 3:08d}", day, 640411 + (i % 97) * 100,
                             ("CN", "JP", "BR", "FR")[i % 4], round(100 + i % 9000 / 3, 2),
                             "yes" if i % 9 == 0 else "no", f"{i % 40:04d}",
                             (0, 5.5, 12, 20)[i % 4], day if i % 7 else "",
                             "yes" if i % 3 else "no"])


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from rmdesk.domain.criteria import RuleSet
    from rmdesk.domain.selectivity import run_selectivity
    from rmdesk.services.declaration_import import import_csv, suggest_mapping

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extract.csv"
        write(path, args.rows)
        mapping = suggest_mapping(HEADER)
        plain = [timed(lambda: import_csv(path, mapping)) for _ in range(args.runs)]
        kept = [timed(lambda: import_csv(path, mapping, keep=KEEP))
                for _ in range(args.runs)]
        table = import_csv(path, mapping, keep=KEEP).table
        assert table is not None

    def rules(tests: list[dict]) -> RuleSet:
        return RuleSet.model_validate({"criteria": [
            {"name": f"c{i}", "lane": "red", "condition": t} for i, t in enumerate(tests)]})

    own = rules([
        {"op": "in", "field": "x:office", "value": ["0001", "0017"]},
        {"op": "starts_with", "field": "x:office", "value": "00"},
        {"op": "gt", "field": "x:tax_rate", "value": 10},
        {"op": "between", "field": "x:tax_rate", "min": 5, "max": 15},
        {"op": "lt", "field": "x:payment_date", "value": "2025-06-01"},
        {"op": "is_empty", "field": "x:payment_date"},
        {"op": "is_true", "field": "x:prepaid"}, {"op": "is_false", "field": "x:prepaid"}])
    builtin = rules([
        {"op": "in", "field": "origin", "value": ["CN", "JP"]},
        {"op": "starts_with", "field": "hs_code", "value": "64"},
        {"op": "gt", "field": "declared_value", "value": 1000},
        {"op": "between", "field": "declared_value", "min": 500, "max": 1500},
        {"op": "lt", "field": "date", "value": "2025-06-01"},
        {"op": "is_empty", "field": "date"},
        {"op": "is_true", "field": "transhipment"},
        {"op": "is_false", "field": "transhipment"}])
    import numpy as np

    table.columns["transhipment"] = np.zeros(len(table), dtype=bool)  # a flag to test
    own_runs = [timed(lambda: run_selectivity(table, own)) for _ in range(args.runs)]
    builtin_runs = [timed(lambda: run_selectivity(table, builtin)) for _ in range(args.runs)]

    def line(label: str, times: list[float]) -> float:
        median = statistics.median(times)
        print(f"{label:<44} {median:8.3f} s  ({args.rows / median:,.0f} rows/s)")
        return median

    print(f"{args.rows:,} rows, medians of {args.runs} runs")
    a = line("import, other columns left out", plain)
    b = line("import, 4 other columns kept", kept)
    print(f"{'  ratio kept / left out':<44} {b / a:8.2f}")
    c = line("8 criteria on built-in fields", builtin_runs)
    d = line("8 criteria on own columns", own_runs)
    print(f"{'  ratio own / built-in':<44} {d / c:8.2f}")


if __name__ == "__main__":
    main()
