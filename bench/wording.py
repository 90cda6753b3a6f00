"""The per-language text heuristics of "Check my work" on a whole register.

    python bench/wording.py [--runs 7]

Times the first call (loading the four word lists, a one-off per process) and then, as
medians over the runs, reading every line of the wording corpora (tests/corpora/wording)
as a risk event (language detection + control test) and as a SWOT item (placement hint).
Prints milliseconds; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rmdesk.domain.checks import looks_like_control
from rmdesk.domain.wording import misplaced_word
from rmdesk.i18n import LANGUAGES

CORPORA = Path(__file__).resolve().parents[1] / "tests" / "corpora" / "wording"


def lines() -> list[str]:
    found = []
    for lang in LANGUAGES:
        for path in sorted((CORPORA / lang).glob("*.txt")):
            found += [line.split("|")[-1].strip() for line in path.read_text("utf-8").splitlines()
                      if line.strip() and not line.startswith("#")]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    texts = lines()
    start = time.perf_counter()
    looks_like_control(texts[0])
    first = time.perf_counter() - start
    events, swot = [], []
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            looks_like_control(text)
        events.append(time.perf_counter() - start)
        start = time.perf_counter()
        for text in texts:
            misplaced_word(text, internal_quadrant=True)
        swot.append(time.perf_counter() - start)
    print(f"first call (loads the word lists): {first * 1000:.1f} ms")
    print(f"{len(texts)} texts as risk events: median {statistics.median(events) * 1000:.1f} ms"
          f" ({statistics.median(events) / len(texts) * 1e6:.0f} µs each)")
    print(f"{len(texts)} texts as SWOT items: median {statistics.median(swot) * 1000:.1f} ms"
          f" ({statistics.median(swot) / len(texts) * 1e6:.0f} µs each)")


if __name__ == "__main__":
    main()
