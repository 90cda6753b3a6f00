"""The consolidated workshop report for 30 groups.

    python bench/facilitator.py [--groups 30] [--runs 3] [--langs en] [--keep DIR]
                                [--exercise e2e3]

Builds a store with N groups, each with 12 rated risks (8 of them shared case risks, so the
overlay has something to compare), a few E6 indicators, two targeting runs, and the
facilitator's feedback and a score; then writes the consolidated PDF `runs` times and
prints the median wall time, the page count and the file size. With --exercise, the same
for the print of that one exercise across the groups. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.indicators import IndicatorPick
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.register import RegisterService
from rmdesk.services.targeting import TargetingService
from rmdesk.services.workshop_reports import (
    parse_languages,
    write_consolidated_pdf,
    write_exercise_pdf,
)
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import Store, open_store
from rmdesk.store.models import TargetingRun

CASE_RISKS = [
    "Undervaluation of footwear from Asia", "Counterfeit medicines in postal parcels",
    "Cocaine concealed in banana containers", "Misdeclared origin of steel to avoid duties",
    "Undeclared chemicals in mixed cargo", "Cigarette smuggling through transit",
    "Misclassification of electronics", "Fake certificates of origin",
]
GOODS = ["Ivory", "Timber", "Fuel", "Sugar", "Textiles", "Tyres", "Rice", "Gold", "Mercury",
         "Pesticides", "Antiques", "Cement", "Fertiliser", "Spirits", "Perfume", "Batteries"]
TRICKS = ["declared as samples", "hidden in personal effects", "split into small parcels",
          "relabelled as spare parts", "shipped under a false consignee",
          "cleared with a forged permit"]
PLACES = ["the northern land border", "the lake ferry", "the free zone", "the airport cargo "
          "terminal", "the rail terminal", "the fishing port"]


def fill(store: Store, groups: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(WorkshopInput("Regional workshop (bench)", "Lomé"))
    register, facilitation = RegisterService(store), FacilitationService(store)
    targeting = TargetingService(store)
    bank = builtin_pack().indicators
    for g in range(groups):
        group = workshops.add_group(workshop.id, f"Group {g + 1:02d}")
        for m in range(3):
            workshops.add_member(group.id, f"Member {g}-{m}", "Customs")
        # Four risks of the group's own, worded apart from the other groups' (the debrief
        # matches risks by their words).
        own = [f"{rng.choice(GOODS)} {rng.choice(TRICKS)} at {rng.choice(PLACES)} "
               f"(post {g * 4 + k})" for k in range(4)]
        events = CASE_RISKS + own
        for event in events:
            register.add_risk(group.id, event=event, cause="Weak controls at the border",
                              consequence="Revenue loss and public harm", area="revenue",
                              controls="Document checks", owner="Risk unit",
                              likelihood=rng.randint(1, 5), impact=rng.randint(1, 5),
                              likelihood_reason="Seizures in the last two years",
                              impact_reason="Large volumes")
        for indicator in rng.sample(bank, min(4, len(bank))):
            targeting.choose(group.id, IndicatorPick(indicator.id, indicator.field,
                                                     indicator.phase, "Seen in the case"))
        with store.session() as s:
            for _run in range(2):
                s.add(TargetingRun(group_id=group.id, metrics_json=json.dumps({
                    "hit_rate": rng.random() / 3, "detection_rate": rng.random(),
                    "selection_rate": rng.uniform(0.03, 0.2), "lift": rng.uniform(1, 4)})))
        facilitation.set_feedback(group.id, "e2e3", "Clear statements; revisit ratings.")
        facilitation.set_score(group.id, "e2e3", rng.randint(40, 95))
    return workshop.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--langs", default="en", help="one language, or two: en,fr")
    parser.add_argument("--keep", type=Path, help="folder to keep the store and PDF in")
    parser.add_argument("--exercise", help="time the print of this exercise (e2e3, e6...)")
    args = parser.parse_args()
    langs = parse_languages(args.langs)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="rmdesk-bench-"))
    store = open_store(folder / "data")
    try:
        start = time.perf_counter()
        workshop_id = fill(store, args.groups)
        print(f"store with {args.groups} groups: {time.perf_counter() - start:.2f} s")
        out = folder / "workshop-report.pdf"
        what = "consolidated PDF"
        if args.exercise:
            out, what = folder / f"{args.exercise}.pdf", f"{args.exercise} print"
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            if args.exercise:
                write_exercise_pdf(store, workshop_id, args.exercise, out, langs)
            else:
                write_consolidated_pdf(store, workshop_id, out, langs)
            times.append(time.perf_counter() - start)
            # CPU time too: on a shared machine the wall time says more about the others.
            cpu.append(time.process_time() - start_cpu)
        from pypdf import PdfReader

        pages = len(PdfReader(out).pages)
        print(f"{what}, {args.groups} groups, {'+'.join(langs)}: "
              f"median {statistics.median(times):.2f} s over {args.runs} runs "
              f"(min {min(times):.2f}, max {max(times):.2f}; CPU median "
              f"{statistics.median(cpu):.2f} s); {pages} pages, "
              f"{out.stat().st_size / 1024:.0f} KiB")
    finally:
        store.close()


if __name__ == "__main__":
    main()
