"""E15 "Check my work" and the profile preview: how long a trainee waits.

    python bench/intelligence_check.py [--runs 21]

The E15 page runs the group's profile on the 20,000 practice items at every edit of its
conditions (the preview) and again on F5 with every other check. Times, as medians over
`runs`: the preview (the model profile through the criteria checks and the selectivity
engine) and the whole check of the model answer; the practice table is generated once
first, as the app caches it. Prints the medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.criteria import render_issue
from rmdesk.domain.intelligence import IntelligenceWork, check_intelligence, run_profile
from rmdesk.services.intelligence import item_keys
from rmdesk.services.targeting import builtin_table


def median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    pack = builtin_pack()
    exercise = pack.exercise("intelligence")
    work = IntelligenceWork.from_dict(pack.model_work_for(exercise.id, "en"))
    start = time.perf_counter()
    table = builtin_table()
    print(f"practice table generated once: {(time.perf_counter() - start) * 1000:.0f} ms "
          f"({len(table)} items)")
    preview = median_ms(lambda: run_profile(work.profile, table), args.runs)
    print(f"profile preview (criteria checks + engine), median: {preview:.1f} ms")
    keys = item_keys(exercise)

    def whole() -> None:
        check_intelligence(work, keys, run_profile(work.profile, table),
                           lambda issue: render_issue(issue, str), None,
                           pack.exercise("profile").profile_limits())
    print(f"whole E15 check, median: {median_ms(whole, args.runs):.1f} ms")


if __name__ == "__main__":
    main()
