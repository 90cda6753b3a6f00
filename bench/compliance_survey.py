"""E13 compliance survey: how long the page waits after each keystroke.

    python bench/compliance_survey.py [--runs 30]

The page recomputes the design, the seeded stratified draw and the estimate after every
edit, and "Check my work" runs the checks: this times both on the model answer's survey
(5 strata by transport mode, 794 declarations drawn from 9,674) and on a survey of 36
HS-chapter strata plus a rest stratum, and prints medians in milliseconds. The first
call, which builds the population from the practice declarations, is timed apart.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.compliance_survey import (
    REST,
    ComplianceSurvey,
    Stratum,
    check_survey,
    estimate,
)
from rmdesk.services.compliance_survey import builtin_population


def median_ms(action, runs: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    start = time.perf_counter()
    population = builtin_population()
    print(f"population of {population.size} declarations built in "
          f"{(time.perf_counter() - start) * 1000:.0f} ms (once per process)")
    model = ComplianceSurvey.from_dict(builtin_pack().model_work_for("e13", "en"))
    chapters = sorted(population.values("hs_chapter"))
    many = ComplianceSurvey(stratify_by="hs_chapter", margin=0.02, anticipated=0.1,
                            drawn=True, strata=[Stratum(c, c, sample=20) for c in chapters]
                            + [Stratum("rest", REST, sample=5)])
    for name, survey in (("model answer (5 strata)", model), ("37 chapter strata", many)):
        edit = median_ms(lambda s=survey: estimate(s, population), args.runs)
        check = median_ms(lambda s=survey: check_survey(s, population, 0.4), args.runs)
        print(f"{name}: estimate after an edit {edit:.1f} ms, check my work {check:.1f} ms "
              f"(medians of {args.runs})")


if __name__ == "__main__":
    main()
