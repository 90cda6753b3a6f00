"""E6-E8 use cases: indicator choices, risk profiles and targeting runs, in the store.

The GUI for these exercises is still to come; this is the layer it will call.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlmodel import select

from rmdesk.domain.indicators import IndicatorPick
from rmdesk.store.database import Store
from rmdesk.store.models import IndicatorChoice, Profile, TargetingRun, utcnow

if TYPE_CHECKING:  # numpy and the engine load only when a profile is saved or run
    from rmdesk.domain.criteria import RuleSet
    from rmdesk.domain.declarations import DeclarationTable
    from rmdesk.domain.selectivity import SelectivityRun
    from rmdesk.domain.targeting_metrics import WorkloadSettings

BUILTIN_DATASET = "builtin:20000:2026"
# What a profile is checked against before the data set of a run is known: every
# built-in field, and a data set's own columns ("x:" names) for their form only; the run
# checks them against the data set it uses (a column it lacks is named then).
_ANY_DATA_SET = None
TARGETING_KIND = "targeting"  # the exercise (E8) whose work holds a group's data set


def group_dataset(work: object, pack: object, group_id: str) -> str:
    """The data set the group chose for its runs (E8), the built-in one by default: E7
    offers its columns and previews profiles on it."""
    exercise = pack.exercise(TARGETING_KIND)  # type: ignore[attr-defined]
    if exercise is None:
        return BUILTIN_DATASET
    try:
        chosen = work.load(group_id, exercise.id).data.get("dataset")  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - unreadable work: the built-in data, as E8 does
        return BUILTIN_DATASET
    return chosen if isinstance(chosen, str) and chosen else BUILTIN_DATASET


@lru_cache(maxsize=1)
def builtin_table() -> DeclarationTable:
    """The built-in pack's declarations: generated, deterministic, never stored."""
    from rmdesk.domain.declaration_gen import builtin_dataset

    return builtin_dataset()


# The fields of a profile the group writes (undo/redo restores them all).
PROFILE_FIELDS = ("title", "area", "description", "lane", "action", "instructions",
                  "activation_date", "review_date", "owner", "effectiveness")


class TargetingService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- E6 indicators ------------------------------------------------------------------
    def picks(self, group_id: str) -> list[IndicatorPick]:
        with self.store.session() as s:
            rows = s.exec(select(IndicatorChoice).where(
                IndicatorChoice.group_id == group_id,
                IndicatorChoice.deleted == False,  # noqa: E712
            ).order_by(IndicatorChoice.indicator_id))
            return [IndicatorPick(r.indicator_id, r.field, r.phase, r.reason) for r in rows]

    def choose(self, group_id: str, pick: IndicatorPick) -> None:
        """Select an indicator or update the group's mapping of it."""
        with self.store.session() as s:
            row = s.exec(select(IndicatorChoice).where(
                IndicatorChoice.group_id == group_id,
                IndicatorChoice.indicator_id == pick.indicator_id,
            )).first()
            if row is None:
                row = IndicatorChoice(group_id=group_id, indicator_id=pick.indicator_id)
            else:
                row.revision += 1
            row.field, row.phase, row.reason = pick.field, pick.phase, pick.reason[:2000]
            row.deleted = False
            row.updated_at = utcnow()
            s.add(row)

    def unchoose(self, group_id: str, indicator_id: str) -> None:
        with self.store.session() as s:
            row = s.exec(select(IndicatorChoice).where(
                IndicatorChoice.group_id == group_id,
                IndicatorChoice.indicator_id == indicator_id,
            )).first()
            if row is not None and not row.deleted:
                row.deleted = True  # a tombstone, so a merge knows it was removed
                row.revision += 1
                row.updated_at = utcnow()
                s.add(row)

    def restore_picks(self, group_id: str, picks: list[IndicatorPick]) -> None:
        """Make the group's selection exactly `picks` (undo/redo of E6)."""
        wanted = {p.indicator_id: p for p in picks}
        for current in self.picks(group_id):
            if current.indicator_id not in wanted:
                self.unchoose(group_id, current.indicator_id)
        for pick in picks:
            self.choose(group_id, pick)

    # -- E7 profiles --------------------------------------------------------------------
    def profile_snapshot(self, group_id: str) -> list[dict[str, object]]:
        """Every live profile of the group, all fields (undo/redo of E7)."""
        keep = ("id", "position", "criteria_json", *PROFILE_FIELDS)
        return [{name: getattr(row, name) for name in keep} for row in self.profiles(group_id)]

    def restore_profiles(self, group_id: str, snapshot: list[dict[str, object]]) -> None:
        """Make the group's profiles exactly those of `snapshot`: profiles added since are
        deleted (tombstones), deleted ones come back, edited ones get their fields back."""
        wanted = {str(p["id"]): p for p in snapshot}
        with self.store.session() as s:
            rows = s.exec(select(Profile).where(Profile.group_id == group_id)).all()
            for row in rows:
                saved = wanted.get(row.id)
                if saved is None:
                    if not row.deleted:
                        row.deleted = True
                        row.revision += 1
                        s.add(row)
                    continue
                changed = row.deleted or any(getattr(row, k) != v for k, v in saved.items())
                if changed:
                    for name, value in saved.items():
                        setattr(row, name, value)
                    row.deleted = False
                    row.revision += 1
                    row.updated_at = utcnow()
                    s.add(row)

    def save_profile(self, group_id: str, profile_id: str | None = None, *,
                     criteria: RuleSet | dict | str, draft: bool = False,
                     **fields: object) -> Profile:
        """Create or update a profile; its criteria are validated before anything is saved
        (CriteriaError lists every problem with its path). A `draft` (the editor saving
        as the group types) needs only the right shape: half-written logic is kept, and a
        run leaves the profile out until its logic is complete."""
        from rmdesk.domain.criteria import RuleSet, check_ruleset, parse_ruleset

        if isinstance(criteria, RuleSet):
            ruleset = criteria
            if not draft:
                from rmdesk.domain.criteria import CriteriaError

                issues = check_ruleset(ruleset, _ANY_DATA_SET)
                if issues:
                    raise CriteriaError(issues)
        elif draft:
            ruleset = (RuleSet.model_validate_json(criteria) if isinstance(criteria, str)
                       else RuleSet.model_validate(criteria))
        else:
            ruleset = parse_ruleset(criteria, _ANY_DATA_SET)
        allowed = {name for name in Profile.model_fields
                   if name not in ("id", "group_id", "criteria_json", "revision", "deleted",
                                   "updated_at")}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown profile fields: {sorted(unknown)}")
        with self.store.session() as s:
            row = s.get(Profile, profile_id) if profile_id else None
            if row is None:
                count = len(list(s.exec(select(Profile).where(Profile.group_id == group_id))))
                row = Profile(group_id=group_id, position=count)
            else:
                row.revision += 1
            for name, value in fields.items():
                setattr(row, name, value)
            row.criteria_json = ruleset.model_dump_json()
            row.updated_at = utcnow()
            s.add(row)
        return row

    def profiles(self, group_id: str) -> list[Profile]:
        with self.store.session() as s:
            return list(s.exec(select(Profile).where(
                Profile.group_id == group_id, Profile.deleted == False,  # noqa: E712
            ).order_by(Profile.position)))

    def delete_profile(self, profile_id: str) -> None:
        with self.store.session() as s:
            row = s.get(Profile, profile_id)
            if row is not None:
                row.deleted = True
                row.revision += 1
                s.add(row)

    def combined_ruleset(self, group_id: str,
                         skipped: list[str] | None = None) -> RuleSet:
        """All the group's runnable profiles as one rule set: criteria in profile order,
        watch lists merged (a later profile's list of the same name wins), the highest
        random rates. Profiles whose logic is incomplete are left out and their titles
        appended to `skipped`."""
        from rmdesk.domain.criteria import RuleSet, check_ruleset

        criteria, watch_lists, rates = [], {}, {}
        names: set[str] = set()
        for profile in self.profiles(group_id):
            try:
                ruleset = RuleSet.model_validate_json(profile.criteria_json or "{}")
            except ValueError:
                ruleset = None
            if ruleset is None or not ruleset.criteria or check_ruleset(
                    ruleset, _ANY_DATA_SET):
                if skipped is not None:
                    skipped.append(profile.title)
                continue
            for criterion in ruleset.criteria:
                # Two profiles may share a title; criteria names must stay unique.
                base, n = criterion.name, 2
                while criterion.name in names:
                    criterion = criterion.model_copy(update={"name": f"{base} ({n})"})
                    n += 1
                names.add(criterion.name)
                criteria.append(criterion)
            watch_lists.update(ruleset.watch_lists)
            for lane, rate in ruleset.random_rates.items():
                rates[lane] = max(rate, rates.get(lane, 0.0))
        return RuleSet(criteria=criteria, watch_lists=watch_lists, random_rates=rates)

    # -- E8 runs ------------------------------------------------------------------------
    def prepare_run(self, group_id: str, random_rates: dict[str, float] | None = None,
                    skipped: list[str] | None = None) -> RuleSet:
        """The rule set a run uses: the runnable profiles, with E9's random rates (when
        given) in place of the profiles' own."""
        ruleset = self.combined_ruleset(group_id, skipped)
        if random_rates is not None:
            ruleset = ruleset.model_copy(update={"random_rates": {
                lane: rate for lane, rate in random_rates.items() if rate > 0}})
        return ruleset

    def record_run(self, group_id: str, ruleset: RuleSet, outcome: SelectivityRun,
                   dataset: str = BUILTIN_DATASET) -> str:
        record = TargetingRun(
            group_id=group_id, dataset=dataset, ruleset_json=ruleset.model_dump_json(),
            metrics_json=json.dumps(dataclasses.asdict(outcome.metrics)),
        )
        with self.store.session() as s:
            s.add(record)
        return record.id

    def run(self, group_id: str, *, table: DeclarationTable | None = None,
            dataset: str = BUILTIN_DATASET, workload: WorkloadSettings | None = None,
            random_rates: dict[str, float] | None = None,
            progress: Callable[[int, int], None] | None = None,
            skipped: list[str] | None = None) -> tuple[str, SelectivityRun]:
        """Run the group's profiles over the data and keep the result for comparison.
        (The GUI calls prepare_run, evaluates in a worker thread, then record_run.)"""
        from rmdesk.domain.selectivity import run_selectivity

        ruleset = self.prepare_run(group_id, random_rates, skipped)
        outcome = run_selectivity(table if table is not None else builtin_table(), ruleset,
                                  workload=workload, progress=progress)
        return self.record_run(group_id, ruleset, outcome, dataset), outcome

    def runs(self, group_id: str) -> list[TargetingRun]:
        with self.store.session() as s:
            return list(s.exec(select(TargetingRun).where(
                TargetingRun.group_id == group_id).order_by(TargetingRun.created_at)))
