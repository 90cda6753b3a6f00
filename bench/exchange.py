"""Importing 30 groups' work on the facilitator's laptop.

    python bench/exchange.py [--groups 30] [--risks 15] [--runs 5]

Builds a workshop with N groups on a facilitator's store, sends the kit to a participant
store, fills every group there (risks, indicator choices, a profile, a targeting run and
framework answers), exports one file per group, then times importing all of them into a
copy of the facilitator's store (fresh copy for each run, so every run does the same
work), and a second import of the same files (nothing to change). Prints medians of wall
time; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from rmdesk.domain.indicators import IndicatorPick
from rmdesk.services import settings
from rmdesk.services.exchange import ExchangeService
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.roles import hash_pin
from rmdesk.services.settings import SettingsService
from rmdesk.services.targeting import TargetingService
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import open_store
from rmdesk.store.models import Profile, TargetingRun


def build(root: Path, groups: int, risks: int) -> list[Path]:
    fac = open_store(root / "facilitator")
    part = open_store(root / "participant")
    try:
        workshops = WorkshopService(fac)
        workshop = workshops.create_workshop(WorkshopInput("Bench workshop"))
        ids = []
        for g in range(groups):
            group = workshops.add_group(workshop.id, f"Group {g + 1}")
            for m in range(4):
                workshops.add_member(group.id, f"Member {m + 1}", "Customs")
            ids.append(group.id)
        SettingsService(fac).set(settings.FACILITATOR_PIN, hash_pin("24681357"))
        kit = root / "kit.rmdx"
        ExchangeService(fac).export_kit(workshop.id, kit)
        ExchangeService(part).import_file(kit)
        register, targeting, work = (RegisterService(part), TargetingService(part),
                                     ExerciseWorkService(part))
        files = []
        for index, group_id in enumerate(ids):
            for r in range(risks):
                register.add_risk(group_id, event=f"Risk {r} of group {index}: " + "x" * 120,
                                  cause="Cause " * 20, consequence="Loss " * 20,
                                  area="revenue", likelihood=1 + r % 5, impact=1 + (r * 3) % 5)
            for i in range(8):
                targeting.choose(group_id, IndicatorPick(f"I{i:02d}", "hs_code", "arrival",
                                                         "Reason " * 10))
            with part.session() as s:
                s.add(Profile(group_id=group_id, title="Profile", criteria_json="{}"))
                s.add(TargetingRun(group_id=group_id, ruleset_json="{}", metrics_json="{}"))
            for exercise in ("E1", "E4", "E5", "E9", "E10", "E11", "E12"):
                work.save(group_id, exercise, {"text": "answer " * 200, "items": list(range(50))})
            # One laptop plays every group's: it is set up for each group in turn (a kit
            # for a group brings that group's signing key and drops the one before).
            group_kit = root / f"kit-{index + 1:02d}.rmdx"
            ExchangeService(fac).export_kit(workshop.id, group_kit, group_id)
            ExchangeService(part).import_file(group_kit)
            path = root / f"group-{index + 1:02d}.rmdx"
            ExchangeService(part).export_group_work(group_id, path)
            files.append(path)
    finally:
        fac.close()
        part.close()
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=30)
    parser.add_argument("--risks", type=int, default=15)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = build(root, args.groups, args.risks)
        size = sum(p.stat().st_size for p in files)
        first, again = [], []
        records = 0
        for run in range(args.runs):
            target = root / f"run-{run}"
            shutil.copytree(root / "facilitator", target)
            store = open_store(target)
            try:
                service = ExchangeService(store)
                start = time.perf_counter()
                reports = service.import_files(files)
                first.append(time.perf_counter() - start)
                assert all(r.error is None for r in reports), [r.error for r in reports]
                records = sum(r.added + r.updated for r in reports)
                start = time.perf_counter()
                reports = service.import_files(files)
                again.append(time.perf_counter() - start)
                assert not any(r.changes_anything for r in reports)
            finally:
                store.close()
        print(f"{len(files)} group files, {size / 1024:.0f} KiB in all, "
              f"{records} records added per import")
        print(f"import into the facilitator's store: median {statistics.median(first):.3f} s "
              f"over {args.runs} runs (min {min(first):.3f}, max {max(first):.3f})")
        print(f"the same files again (nothing to do): median {statistics.median(again):.3f} s")


if __name__ == "__main__":
    main()
