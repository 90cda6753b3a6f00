"""E15 "Check my work" fed from the store, for the page and for `rmdesk check` alike:
the pack's items with the grades it states, the workshop's last day (a profile's review
date must come after it) and the profile run on the built-in declarations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rmdesk.content.pack import Exercise
from rmdesk.domain.checks import Finding
from rmdesk.domain.criteria import render_issue
from rmdesk.domain.intelligence import (
    IntelligenceWork,
    ItemKey,
    check_intelligence,
    renderer,
    run_profile,
)
from rmdesk.store.database import Store
from rmdesk.store.models import WorkGroup, Workshop


def item_keys(exercise: Exercise) -> list[ItemKey]:
    return [ItemKey(i.id, i.expected_source, i.expected_info, i.one_step_ok)
            for i in exercise.intel_items]


def workshop_day(store: Store, group_id: str | None) -> dt.date | None:
    """The workshop's last day (its first when no end is set); None when it has no
    dates, as a self-study workshop may not."""
    if group_id is None:
        return None
    with store.session() as s:
        group = s.get(WorkGroup, group_id)
        workshop = s.get(Workshop, group.workshop_id) if group else None
        return (workshop.end_date or workshop.start_date) if workshop else None


def check(store: Store, exercise: Exercise, group_id: str | None, data: Any, lang: str,
          translate: Callable[[str], str], e7: Exercise | None = None
          ) -> tuple[list[Finding], Callable[[Finding], str]]:
    """The findings on `data` (the stored answer) and how to say them in `lang`; `e7`:
    the pack's profile exercise, whose rules a profile made here meets too."""
    from rmdesk.services.targeting import builtin_table

    work = IntelligenceWork.from_dict(data)
    run = run_profile(work.profile, builtin_table, lang)
    findings = check_intelligence(work, item_keys(exercise), run,
                                  lambda issue: render_issue(issue, translate),
                                  workshop_day(store, group_id),
                                  e7.profile_limits() if e7 is not None else None)
    return findings, renderer(lang, translate)
