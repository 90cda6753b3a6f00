"""Importing a facilitator's declarations: rows per second and peak memory, CSV and XLSX.

    python bench/data_import.py [--csv-rows 1000000] [--xlsx-rows 200000] [--runs 3]

Writes a CSV file and an XLSX workbook of generated declarations (10 columns: number,
date, HS code, origin, consignment, weight, value, importer, declarant, outcome; the XLSX
with typed date and number cells, written as zip + XML like the tests do), then imports
each `runs` times, every run in a fresh subprocess so its peak resident memory (which
counts the spreadsheet reader's own memory, outside Python's) is its own. Prints medians
of rows per second (preview + import, as the dialog runs them, and the import alone;
wall-clock and per CPU second, the latter steadier on a shared machine) and of peak
memory, against the size of the data set as stored (also counting only what the import
adds to the interpreter with numpy loaded); asserts nothing. Needs python-calamine for
the XLSX part (pip install -e ".[spreadsheets]").
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, timedelta
from pathlib import Path

HEADER = ["Declaration number", "Date", "HS code", "Origin", "Country of export",
          "Gross weight (kg)", "Declared value (USD)", "Importer", "Declarant",
          "Non-compliant"]
ORIGINS = ["CN", "JP", "BR", "FR", "IN", "US", "DE", "VN"]


def rows(count: int):
    start = date(2025, 1, 1)
    for i in range(count):
        yield [f"25VD{i // 3:08d}", start + timedelta(days=i % 365), 640411 + (i % 97) * 100,
               ORIGINS[i % 8], ORIGINS[(i * 7) % 8], 10.5 + i % 1000,
               round(100 + (i * 37) % 100000 / 3, 2), f"IMP{i % 5000:05d}",
               f"AGT{i % 300:03d}", i % 9 == 0]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for row in rows(count):
            row[1] = row[1].isoformat()
            row[-1] = "yes" if row[-1] else "no"
            writer.writerow(row)


def write_xlsx(path: Path, count: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.spreadsheet_files import _xlsx_cell, column_letters
    from tests.spreadsheet_files import write_xlsx as write

    letters = [column_letters(c) for c in range(len(HEADER))]
    parts = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate([HEADER, *rows(count)], start=1):
        parts.append(f'<row r="{r}">' + "".join(
            _xlsx_cell(f"{letters[c]}{r}", v) for c, v in enumerate(row)) + "</row>")
    parts.append("</sheetData></worksheet>")
    write(path, {}, raw_sheets={"Declarations": "".join(parts)})


CHILD = """
import json, resource, sys, time


def peak_bytes():
    # VmHWM starts afresh at exec; ru_maxrss keeps the parent's size at fork (here: the
    # hundreds of MB of the workbook just written), which hid the import's own peak.
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


from rmdesk.services.declaration_import import import_csv, read_csv_header, suggest_mapping
from rmdesk.services.datasets import DatasetService
path, folder = sys.argv[1], sys.argv[2]
base = peak_bytes()  # the interpreter with numpy and rmdesk's services
started, cpu = time.perf_counter(), time.process_time()
mapping = suggest_mapping(read_csv_header(path).headers)
previewed, preview_cpu = time.perf_counter(), time.process_time()
result = import_csv(path, mapping)
seconds = time.perf_counter() - started
import_seconds = time.perf_counter() - previewed
import_cpu = time.process_time() - preview_cpu
info = DatasetService(folder).save_dataset(result.table, "bench", path)
stored = sum(p.stat().st_size for p in DatasetService(folder).folder.iterdir())
peak = peak_bytes()
print(json.dumps({"rows": result.rows_imported, "seconds": seconds, "peak": peak,
                  "stored": stored, "base": base, "import_seconds": import_seconds,
                  "import_cpu": import_cpu, "cpu": time.process_time() - cpu}))
"""


def measure(path: Path, runs: int, folder: Path) -> dict[str, float]:
    results = []
    for run in range(runs):
        out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(folder / str(run))],
                             check=True, capture_output=True, text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    rows = results[0]["rows"]

    def median(key: str) -> float:
        return statistics.median(r[key] for r in results)

    stored = results[0]["stored"]
    return {"rows": rows, "rows_per_s": median_rate(results, rows, "seconds"),
            "import_rows_per_s": median_rate(results, rows, "import_seconds"),
            "import_rows_per_cpu_s": median_rate(results, rows, "import_cpu"),
            "cpu_rows_per_s": median_rate(results, rows, "cpu"),
            "peak_mb": median("peak") / 2**20, "base_mb": median("base") / 2**20,
            "stored_mb": stored / 2**20, "peak_over_stored": median("peak") / stored,
            "added_over_stored": (median("peak") - median("base")) / stored}


def median_rate(results: list[dict[str, float]], rows: int, key: str) -> float:
    return statistics.median(rows / r[key] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for kind, count, writer in (("csv", args.csv_rows, write_csv),
                                    ("xlsx", args.xlsx_rows, write_xlsx)):
            if count <= 0:
                continue
            path = root / f"declarations.{kind}"
            writer(path, count)
            size = path.stat().st_size / 2**20
            if kind == "xlsx":
                with zipfile.ZipFile(path) as archive:
                    size = sum(i.file_size for i in archive.infolist()) / 2**20
            figures = measure(path, args.runs, root / f"data-{kind}")
            print(f"{kind}: {figures['rows']:,} rows ({size:.0f} MB of text), {args.runs} runs, "
                  f"medians:\n"
                  f"  preview + import: {figures['rows_per_s']:,.0f} rows/s wall-clock, "
                  f"{figures['cpu_rows_per_s']:,.0f} rows per CPU second\n"
                  f"  import alone: {figures['import_rows_per_s']:,.0f} rows/s wall-clock, "
                  f"{figures['import_rows_per_cpu_s']:,.0f} rows per CPU second\n"
                  f"  peak memory {figures['peak_mb']:.0f} MB = "
                  f"{figures['peak_over_stored']:.1f} x the stored data set "
                  f"({figures['stored_mb']:.1f} MB); above the interpreter's "
                  f"{figures['base_mb']:.0f} MB: {figures['added_over_stored']:.1f} x")
            # the machine may be shared: the wall-clock figures mean little without this
            print("  load average (1, 5, 15 min) after the runs: "
                  + ", ".join(f"{load:.2f}" for load in os.getloadavg()))

if __name__ == "__main__":
    main()
