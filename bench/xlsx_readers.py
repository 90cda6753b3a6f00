"""Could a streaming XLSX reader in Python replace python-calamine? CPU time and memory of
reading one sheet, per approach.

    python bench/xlsx_readers.py [--rows 200000] [--runs 3]

Writes the workbook bench/data_import.py imports (10 columns of declarations: inline
strings, numbers, date cells, booleans) and reads its sheet `runs` times with each
approach, every run in a fresh subprocess so its peak resident memory is its own. Prints
medians of CPU seconds (steadier than wall-clock on a shared machine) and of the memory
each adds to the interpreter at its peak; asserts nothing.

The approaches:
  calamine       what spreadsheets.open_sheet does after the checks: load the sheet whole
                 (python-calamine, Rust), then take its rows as Python objects
  check          spreadsheets.check_archive: the hostile-file scan run before any reader
  etree          xml.etree iterparse, each row's cells collected as text, rows cleared
  expat          pyexpat with the least handlers that still collect each cell's text
  regex_extent   the sheet's columns and rows only (`<c r="..."` matched in C): what a
                 streaming reader must know before its first row, since rows span the
                 sheet's first to last used column
  regex_rows     typed rows from a regular expression that knows only the cell layout this
                 workbook has (no shared strings, entities, namespace prefixes, rich text):
                 a lower bound for any correct streaming reader in Python
  regex_columns  the same, typed a column at a time where a block of rows is dense (every
                 row holds every column, in order: cells[j::width] is column j), so most
                 cells are converted by map() in C rather than one by one
  regex_preview  regex_rows for the first 21 rows only (what the preview needs)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

APPROACHES = ("calamine", "check", "etree", "expat", "regex_extent", "regex_rows",
              "regex_columns", "regex_preview")

CHILD = r"""
import json, re, sys, time, zipfile
from datetime import datetime, timedelta
from pathlib import Path


def peak_bytes():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


import python_calamine  # noqa: F401 - loaded before the baseline, as in the app
from rmdesk.services.spreadsheets import check_archive

approach, path = sys.argv[1], sys.argv[2]
MEMBER = "xl/worksheets/sheet1.xml"
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?>'
                  rb'(?:<f>[^<]*</f>)?(?:<v>([^<]*)</v>|<is><t>([^<]*)</t></is>)?</c>')
EPOCH = datetime(1899, 12, 30)


def typed(style, kind, value, inline):
    if kind == b"inlineStr":
        return inline.decode()
    if kind == b"b":
        return value != b"0"
    if kind == b"":
        cell = float(value)
        if style == b"1":
            moment = EPOCH + timedelta(milliseconds=round(cell * 86400000))
            return moment.date() if cell == int(cell) else moment
        return cell
    return value.decode()


def regex_rows(limit):
    columns, rows, row, current, tail = {}, 0, None, b"", b""
    with zipfile.ZipFile(path) as archive, archive.open(MEMBER) as fh:
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            cut = text.rfind(b"</row>") + 6
            body, tail = text[:cut], text[cut:]
            for letters, number, style, kind, value, inline in CELL.findall(body):
                if number != current:
                    if row is not None:
                        rows += 1
                        if rows >= limit:
                            return rows
                    row, current = [""] * 10, number
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = ord(letters) - 65
                row[column] = typed(style, kind, value, inline)
    return rows + (row is not None)


def regex_columns():
    width, rows, tail = 10, 0, b""
    with zipfile.ZipFile(path) as archive, archive.open(MEMBER) as fh:
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            cut = text.rfind(b"</row>") + 6
            body, tail = text[:cut], text[cut:]
            cells = CELL.findall(body)
            count = len(cells) // width
            if len(cells) != count * width or body.count(b"<row ") != count:
                raise SystemExit("not dense: the per-cell path would take this block")
            columns = []
            for j in range(width):
                block = cells[j::width]
                kinds = {(c[2], c[3]) for c in block}
                if kinds == {(b"", b"inlineStr")}:
                    columns.append([c[5].decode() for c in block])
                elif kinds == {(b"", b"")}:
                    columns.append(list(map(float, [c[4] for c in block])))
                elif kinds == {(b"", b"b")}:
                    columns.append([c[4] != b"0" for c in block])
                else:  # dates, or a column whose kinds are mixed: one by one
                    columns.append([typed(*c[2:]) for c in block])
            rows += len(list(map(list, zip(*columns))))
    return rows


base = peak_bytes()
started = time.process_time()
if approach == "calamine":
    workbook = python_calamine.CalamineWorkbook.from_path(path)
    sheet = workbook.get_sheet_by_name(workbook.sheet_names[0])
    rows = sum(1 for _ in sheet.iter_rows())
elif approach == "check":
    check_archive(Path(path))
    rows = 0
elif approach == "etree":
    from xml.etree.ElementTree import iterparse
    rows = 0
    with zipfile.ZipFile(path) as archive, archive.open(MEMBER) as fh:
        for _event, element in iterparse(fh):
            if element.tag == NS + "row":
                cells = [(c.get("r"), c.get("t"), c.findtext(NS + "v")) for c in element]
                element.clear()
                rows += 1
elif approach == "expat":
    import pyexpat
    parser = pyexpat.ParserCreate()
    parser.buffer_text = True
    state = {"rows": 0, "text": [], "row": []}

    def start(name, attrs):
        if name == "c":
            state["text"] = []

    def end(name):
        if name == "c":
            state["row"].append("".join(state["text"]))
        elif name == "row":
            state["rows"] += 1
            state["row"] = []

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = lambda data: state["text"].append(data)
    with zipfile.ZipFile(path) as archive, archive.open(MEMBER) as fh:
        parser.ParseFile(fh)
    rows = state["rows"]
elif approach == "regex_extent":
    letters, rows = set(), 0
    ref, row_ref = re.compile(rb'<c r="([A-Z]{1,3})'), re.compile(rb'<row r="([0-9]+)"')
    with zipfile.ZipFile(path) as archive, archive.open(MEMBER) as fh:
        while chunk := fh.read(1 << 20):  # a tag cut between chunks: ignored here
            letters.update(ref.findall(chunk))
            rows = max(rows, *map(int, row_ref.findall(chunk) or [b"0"]))
elif approach == "regex_rows":
    rows = regex_rows(10**9)
elif approach == "regex_columns":
    rows = regex_columns()
elif approach == "regex_preview":
    rows = regex_rows(21)
cpu = time.process_time() - started
print(json.dumps({"rows": rows, "cpu": cpu, "added": peak_bytes() - base}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=APPROACHES, default=APPROACHES)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from data_import import write_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "declarations.xlsx"
        write_xlsx(path, args.rows)
        print(f"{args.rows:,} rows x 10 columns, {path.stat().st_size / 2**20:.1f} MB "
              f"file; medians of {args.runs} runs:")
        for approach in args.only:
            results = []
            for _ in range(args.runs):
                out = subprocess.run([sys.executable, "-c", CHILD, approach, str(path)],
                                     check=True, capture_output=True, text=True)
                results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            cpu = statistics.median(r["cpu"] for r in results)
            added = statistics.median(r["added"] for r in results) / 2**20
            print(f"  {approach:14} {cpu:6.2f} CPU s  +{added:5.0f} MB at peak  "
                  f"({results[0]['rows']:,} rows)")
        import os

        print("  load average (1, 5, 15 min) after the runs: "
              + ", ".join(f"{load:.2f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
