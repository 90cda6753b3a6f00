"""Building the group output PDF of the demo's complete Group 1, in each language.

    python bench/group_pdf.py [--runs 5]

Creates the demo workshop in a throw-away folder, gathers Group 1's report once (as the
print dialog does), then times write_group_pdf for each language. The first build of the
process (fonts registered, reportlab and the section modules imported) is done before
timing and reported on its own. Prints the median wall time, the pages and the file size
per language; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from rmdesk.content.pack import builtin_pack
from rmdesk.i18n import LANGUAGES
from rmdesk.services.demo import create_demo
from rmdesk.services.reports import gather_group_report, write_group_pdf
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import open_store


def pages(path: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(path).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = open_store(root / "data")
        try:
            workshop = create_demo(store)
            group = WorkshopService(store).list_groups(workshop.id)[0]
            start = time.perf_counter()
            report = gather_group_report(store, workshop.id, group.id, builtin_pack())
            gather = time.perf_counter() - start
        finally:
            store.close()
        start = time.perf_counter()
        write_group_pdf(report, "en", root / "warm-up.pdf")
        first = time.perf_counter() - start
        print(f"The demo's {report.group_name}, every exercise done: gathering the report "
              f"{gather * 1000:.0f} ms; first build of the process {first * 1000:.0f} ms.")
        print(f"{'language':<9}{'median':>10}{'min':>10}{'CPU':>10}{'pages':>7}{'size':>10}")
        for lang in LANGUAGES:
            out = root / f"group-1-{lang}.pdf"
            times, cpu = [], []
            for _ in range(args.runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                write_group_pdf(report, lang, out)
                times.append(time.perf_counter() - start)
                # CPU time: on a shared machine the wall time says more about the others.
                cpu.append(time.process_time() - start_cpu)
            count = pages(out)
            print(f"{lang:<9}{statistics.median(times) * 1000:>8.0f} ms"
                  f"{min(times) * 1000:>7.0f} ms{statistics.median(cpu) * 1000:>7.0f} ms"
                  f"{count if count is not None else '?':>7}"
                  f"{out.stat().st_size / 1024:>7.0f} KiB")


if __name__ == "__main__":
    main()
