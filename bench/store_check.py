"""What the store's health checks cost: PRAGMA quick_check at open, and the rolling backup
made at each start.

    python bench/store_check.py [--runs 7] [--large 40] [--pad-mb 100]

Builds three stores: the demo workshop (what a classroom laptop holds after a workshop),
one with the demo created `--large` times over (a facilitator's laptop after many
workshops), and that one padded with a table of random bytes to `--pad-mb` MB (the check
reads every page, whatever it holds: this shows how its cost grows with the file). For
each it prints the file size and the median wall time of `quick_check` on a fresh
connection (the file in the OS cache, as at a start-up right after the last one), of the
whole `open_store`, and of one rolling backup. Asserts nothing.

Measured here (2 shared cores, medians of 5): demo 0.2 MB: quick_check 0.7 ms, open_store
3.5 ms, backup 23 ms; 40 demos 3.4 MB: 7.6 / 12.4 / 58 ms; +100 MB: 61 / 68 / 460 ms.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rmdesk.services.demo import create_demo
from rmdesk.store import backups
from rmdesk.store.database import open_store, quick_check


def build(folder: Path, copies: int) -> Path:
    store = open_store(folder)
    try:
        for _ in range(copies):
            create_demo(store)
    finally:
        store.close()
    return folder


def median_ms(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def check_once(path: Path) -> None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert quick_check(con) is None
    finally:
        con.close()


def open_once(folder: Path) -> None:
    open_store(folder).close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--large", type=int, default=40)
    parser.add_argument("--pad-mb", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, copies, pad in (("demo", 1, 0), (f"{args.large} demos", args.large, 0),
                                  (f"+{args.pad_mb} MB", args.large, args.pad_mb)):
            folder = build(Path(tmp) / name.replace(" ", "-"), copies)
            path = folder / "rmdesk.sqlite3"
            if pad:
                con = sqlite3.connect(path)
                con.execute("CREATE TABLE bench_padding (data BLOB)")
                con.executemany("INSERT INTO bench_padding VALUES (randomblob(100000))",
                                [()] * (pad * 10))
                con.commit()
                con.close()
            size_mb = path.stat().st_size / 1e6
            check = median_ms(args.runs, lambda p=path: check_once(p))  # type: ignore[misc]
            opened = median_ms(args.runs, lambda f=folder: open_once(f))  # type: ignore[misc]
            backup = median_ms(args.runs, lambda p=path: backups.make_backup(p, "start"))  # type: ignore[misc]
            print(f"{name:10} {size_mb:6.1f} MB  quick_check {check:7.1f} ms  "
                  f"open_store {opened:7.1f} ms  backup {backup:7.1f} ms")


if __name__ == "__main__":
    main()
