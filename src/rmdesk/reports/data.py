"""What a group output PDF shows, gathered by services/reports.py (plain data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rmdesk.content.pack import ContentPack
from rmdesk.domain.checks import Finding
from rmdesk.domain.indicators import IndicatorPick
from rmdesk.domain.register import RiskEntry
from rmdesk.domain.scales import DEFAULT_BANDS, RiskBands


@dataclass
class MemberLine:
    name: str
    administration: str


@dataclass
class FacilitatorNote:
    """The facilitator's score (out of 100) and feedback on one exercise of a group."""

    score: int | None = None
    feedback: str = ""


@dataclass
class GroupReport:
    workshop_title: str
    venue: str
    start_date: dt.date | None
    end_date: dt.date | None
    group_name: str
    members: list[MemberLine]
    printed_on: dt.date
    pack: ContentPack
    risks: list[RiskEntry]
    register_findings: list[Finding]
    analysis_findings: list[Finding]
    bands: RiskBands = field(default=DEFAULT_BANDS)
    app_version: str = ""
    # E6: the indicators the group chose, and their feedback (empty: section left out).
    indicator_picks: list[IndicatorPick] = field(default_factory=list)
    indicator_findings: list[Finding] = field(default_factory=list)
    # Framework exercises (E1, E4, E5, E9-E12): exercise id -> the group's answer (JSON
    # object) and status; the section modules read what they need from these.
    exercise_work: dict[str, dict[str, Any]] = field(default_factory=dict)
    exercise_status: dict[str, str] = field(default_factory=dict)
    # E7-E8: the group's profiles (field name -> value, criteria as a RuleSet dict) and
    # its targeting runs' metrics, oldest first.
    profiles: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    # E7: the own columns of the group's data set (name -> FieldSpec), named in the logic
    # by their headers, and a function giving that data set for the feedback's counts
    # (None: the built-in sample).
    extra_fields: dict[str, Any] = field(default_factory=dict)
    profile_data: Any = None
    profile_dataset: str | None = None  # that data set's name (None: the built-in sample)
    # The facilitator's voice: per exercise id, and an overall comment for the group.
    # Printed in the group output only when released (the print dialog, --with-feedback).
    facilitator: dict[str, FacilitatorNote] = field(default_factory=dict)
    overall_comment: str = ""
    release_feedback: bool = False
