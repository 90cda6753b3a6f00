"""Comparing groups: one exercise side by side, the overlay of every group's ratings of the
same risks, and the leaderboard of the targeting runs. Plain data for the dashboard and
the workshop report alike; texts are built with the translate function passed in, so a
PDF can be in another language than the screen.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from rmdesk.content.pack import ContentPack, Exercise
from rmdesk.domain.declaration_fields import FIELD_BY_NAME
from rmdesk.domain.indicators import PHASE_LABELS
from rmdesk.domain.register import RISK_AREAS, RiskEntry
from rmdesk.domain.scales import DEFAULT_BANDS, LEVEL_LABELS, RiskBands
from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_
from rmdesk.i18n.formatting import format_percent
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.targeting import TargetingService
from rmdesk.store.database import Store
from rmdesk.store.models import TargetingRun, WorkGroup

Translate = Callable[[str], str]

MATCH_EVENT, MATCH_CODE = "event", "code"
MATCH_LABELS: dict[str, str] = {
    MATCH_EVENT: N_("Match risks by event text"),
    MATCH_CODE: N_("Match risks by ID"),
}
BEST, LATEST = "best", "latest"
RUN_CHOICE_LABELS: dict[str, str] = {
    BEST: N_("Best run of each group"),
    LATEST: N_("Latest run of each group"),
}
LANE_LABELS: dict[str, str] = {
    "red": N_("Red"), "orange": N_("Orange"), "yellow": N_("Yellow"), "blue": N_("Blue"),
    "green": N_("Green"), "grey": N_("Grey"),
}


def _groups(store: Store, workshop_id: str) -> list[tuple[str, str]]:
    with store.session() as s:
        return [(g.id, g.name) for g in s.exec(
            select(WorkGroup).where(WorkGroup.workshop_id == workshop_id)
            .order_by(WorkGroup.position, WorkGroup.name))]


def exercise_by_id(pack: ContentPack, exercise_id: str) -> Exercise:
    for exercise in pack.exercises:
        if exercise.id == exercise_id:
            return exercise
    raise RmdeskError("unknown_exercise", exercise=exercise_id)


# -- side by side ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """One line of an answer summary: level 0 is an item's title, 1 a detail under it."""

    text: str
    level: int = 1


@dataclass
class GroupAnswer:
    group_id: str
    group_name: str
    lines: list[Line]

    @property
    def empty(self) -> bool:
        return not self.lines

    def text(self) -> str:
        return "\n".join(("" if ln.level == 0 else "    ") + ln.text for ln in self.lines)


@dataclass
class SideBySide:
    exercise: Exercise
    model_answer: str  # "" when the pack has none
    answers: list[GroupAnswer]


def _pct(value: object, lang: str) -> str:
    return format_percent(value, lang, digits=1) if isinstance(value, int | float) else "—"


def _risk_lines(risks: list[RiskEntry], _: Translate, bands: RiskBands) -> list[Line]:
    lines: list[Line] = []
    for risk in risks:
        rating = "—"
        if risk.score is not None:
            level = bands.level_for(risk.score)
            rating = _("L{likelihood} × C{consequence} = {score} ({level})").format(
                likelihood=risk.likelihood, consequence=risk.impact, score=risk.score,
                level=_(LEVEL_LABELS[level]) if level in LEVEL_LABELS else level)
        lines.append(Line(f"{risk.code or '?'} · {risk.event.strip() or '—'} · {rating}", 0))
        for label, value in ((N_("Cause"), risk.cause), (N_("Consequence"), risk.consequence),
                             (N_("Existing controls"), risk.controls),
                             (N_("Owner"), risk.owner)):
            if value.strip():
                lines.append(Line(_("{label}: {value}").format(label=_(label),
                                                                value=value.strip())))
        if risk.area in RISK_AREAS:
            lines.append(Line(_("{label}: {value}").format(label=_("Risk area"),
                                                           value=_(RISK_AREAS[risk.area]))))
    return lines


def _humanise(key: str) -> str:
    text = re.sub(r"[_\-]+", " ", str(key)).strip()
    return text[:1].upper() + text[1:]


def _scalar(value: object, _: Translate) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None:
        return ""
    return str(value).strip()


def json_lines(data: object, _: Translate, depth: int = 0) -> list[Line]:
    """A readable outline of any JSON answer: keys humanised, empty values left out."""
    lines: list[Line] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict | list):
                inner = json_lines(value, _, depth + 1)
                if inner:
                    lines.append(Line(_humanise(key), 0))
                    lines.extend(inner)
            else:
                text = _scalar(value, _)
                if text:
                    lines.append(Line(_("{label}: {value}").format(label=_humanise(key),
                                                                   value=text),
                                      0 if depth == 0 else 1))
    elif isinstance(data, list):
        for number, item in enumerate(data, 1):
            if isinstance(item, dict):
                parts = [f"{_humanise(k)}: {_scalar(v, _)}" for k, v in item.items()
                         if not isinstance(v, dict | list) and _scalar(v, _)]
                nested = [ln for k, v in item.items() if isinstance(v, dict | list)
                          for ln in json_lines({k: v}, _, depth + 1)]
                if parts or nested:
                    lines.append(Line(f"{number}. " + " · ".join(parts), 1))
                    lines.extend(Line(ln.text, 1) for ln in nested)
            elif isinstance(item, list):
                lines.extend(json_lines(item, _, depth + 1))
            else:
                text = _scalar(item, _)
                if text:
                    lines.append(Line(f"• {text}", 1))
    else:
        text = _scalar(data, _)
        if text:
            lines.append(Line(text, 1))
    return lines


def _metrics(run: TargetingRun) -> dict[str, Any]:
    try:
        data = json.loads(run.metrics_json or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class ComparisonService:
    def __init__(self, store: Store, pack: ContentPack, bands: RiskBands = DEFAULT_BANDS
                 ) -> None:
        self.store = store
        self.pack = pack
        self.bands = bands
        self.register = RegisterService(store)
        self.targeting = TargetingService(store)
        self.work = ExerciseWorkService(store)

    # -- one exercise, every group ----------------------------------------------------------
    def answer_lines(self, group_id: str, exercise: Exercise, _: Translate, lang: str
                     ) -> list[Line]:
        kind = exercise.kind
        if kind == "register_analysis":
            return _risk_lines(self.register.list_risks(group_id), _, self.bands)
        if kind == "indicator_selection":
            bank = {i.id: i for i in self.pack.indicators}
            lines = []
            for pick in self.targeting.picks(group_id):
                indicator = bank.get(pick.indicator_id)
                lines.append(Line(f"{pick.indicator_id} · "
                                  f"{indicator.text.get(lang) if indicator else ''}", 0))
                spec = FIELD_BY_NAME.get(pick.field)
                details = [
                    (_("Data element tested"), _(spec.label) if spec else "—"),
                    (_("Phase"), _(PHASE_LABELS[pick.phase]) if pick.phase in PHASE_LABELS
                     else "—"),
                    (_("Why"), pick.reason.strip()),
                ]
                lines += [Line(_("{label}: {value}").format(label=k, value=v))
                          for k, v in details if v]
            return lines
        if kind == "profile":
            lines = []
            for profile in self.targeting.profiles(group_id):
                lane = _(LANE_LABELS[profile.lane]) if profile.lane in LANE_LABELS \
                    else profile.lane
                lines.append(Line(f"{profile.title.strip() or '—'} · {lane}", 0))
                try:
                    count = len(json.loads(profile.criteria_json or "{}").get("criteria", []))
                except (ValueError, AttributeError):
                    count = 0
                for label, value in ((_("Risk area"), _(RISK_AREAS[profile.area])
                                      if profile.area in RISK_AREAS else profile.area),
                                     (_("Description"), profile.description.strip()),
                                     (_("Criteria"), str(count)),
                                     (_("Action"), profile.action.strip()),
                                     (_("Owner"), profile.owner.strip())):
                    if value:
                        lines.append(Line(_("{label}: {value}").format(label=label,
                                                                       value=value)))
            return lines
        if kind == "targeting":
            runs = self.targeting.runs(group_id)
            if not runs:
                return []
            latest = _metrics(runs[-1])
            return [
                Line(_("{count} runs; the latest:").format(count=len(runs)), 0),
                Line(_("Hit rate: {value}").format(value=_pct(latest.get("hit_rate"), lang))),
                Line(_("Detection rate: {value}").format(
                    value=_pct(latest.get("detection_rate"), lang))),
                Line(_("Selection rate: {value}").format(
                    value=_pct(latest.get("selection_rate"), lang))),
            ]
        return json_lines(self.work.load(group_id, exercise.id).data, _)

    def side_by_side(self, workshop_id: str, exercise_id: str, _: Translate, lang: str
                     ) -> SideBySide:
        exercise = exercise_by_id(self.pack, exercise_id)
        answers = [GroupAnswer(gid, name, self.answer_lines(gid, exercise, _, lang))
                   for gid, name in _groups(self.store, workshop_id)]
        model = exercise.model_answer.get(lang) if exercise.model_answer else ""
        return SideBySide(exercise, model, answers)

    # -- overlay ----------------------------------------------------------------------------
    def overlay(self, workshop_id: str, match_by: str = MATCH_EVENT,
                min_groups: int | None = None) -> Overlay:
        ratings = {gid: (name, self.register.list_risks(gid))
                   for gid, name in _groups(self.store, workshop_id)}
        return build_overlay(ratings, match_by, min_groups, self.bands)

    # -- leaderboard ------------------------------------------------------------------------
    def leaderboard(self, workshop_id: str, which: str = BEST) -> list[LeaderRow]:
        groups = _groups(self.store, workshop_id)
        by_group: dict[str, list[TargetingRun]] = defaultdict(list)
        ids = [gid for gid, _n in groups]
        if ids:
            with self.store.session() as s:
                for run in s.exec(select(TargetingRun).where(col(TargetingRun.group_id)
                                                             .in_(ids))
                                  .order_by(TargetingRun.created_at)):
                    by_group[run.group_id].append(run)
        return build_leaderboard(groups, by_group, which)


# -- overlay computation (pure) -------------------------------------------------------------
def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing do not make two risks different."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def risk_key(risk: RiskEntry, match_by: str) -> str:
    event, code = normalise(risk.event), normalise(risk.code).replace(" ", "")
    if match_by == MATCH_CODE:
        return f"code:{code}" if code else f"event:{event}"
    return f"event:{event}" if event else f"code:{code}"


@dataclass(frozen=True)
class GroupRating:
    group_id: str
    group_name: str
    code: str
    likelihood: int | None
    impact: int | None

    @property
    def score(self) -> int | None:
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact


@dataclass
class OverlayRisk:
    number: int
    key: str
    label: str  # the most common event text (or ID) the groups gave it
    ratings: list[GroupRating]

    @property
    def rated(self) -> list[GroupRating]:
        return [r for r in self.ratings if r.score is not None]

    @property
    def spread(self) -> int | None:
        """Highest minus lowest score among the groups that rated it."""
        scores = [r.score for r in self.rated]
        return max(scores) - min(scores) if scores else None  # type: ignore[type-var,operator]

    @property
    def likelihood_range(self) -> tuple[int, int] | None:
        values = [r.likelihood for r in self.rated]
        return (min(values), max(values)) if values else None  # type: ignore[type-var]

    @property
    def impact_range(self) -> tuple[int, int] | None:
        values = [r.impact for r in self.rated]
        return (min(values), max(values)) if values else None  # type: ignore[type-var]

    def levels(self, bands: RiskBands) -> set[str]:
        return {bands.level_for(r.score) for r in self.rated}  # type: ignore[arg-type]

    def disagree(self, bands: RiskBands = DEFAULT_BANDS) -> bool:
        """The groups put it in different risk levels."""
        return len(self.levels(bands)) > 1


@dataclass
class Overlay:
    risks: list[OverlayRisk]
    group_count: int
    match_by: str
    bands: RiskBands = field(default=DEFAULT_BANDS)

    def cells(self) -> dict[tuple[int, int], list[tuple[int, int]]]:
        """(likelihood, consequence) -> [(risk number, how many groups put it there)]."""
        found: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
        for risk in self.risks:
            for rating in risk.rated:
                found[(rating.likelihood, rating.impact)][risk.number] += 1  # type: ignore[index]
        return {cell: sorted(counter.items()) for cell, counter in found.items()}

    def risk(self, number: int) -> OverlayRisk | None:
        return next((r for r in self.risks if r.number == number), None)


def build_overlay(groups: dict[str, tuple[str, list[RiskEntry]]], match_by: str = MATCH_EVENT,
                  min_groups: int | None = None, bands: RiskBands = DEFAULT_BANDS) -> Overlay:
    """Match the groups' risks and collect their ratings.

    groups: group id -> (name, risks). A risk two groups share is one whose key (normalised
    event text, or ID) is the same; a group with two risks of one key counts once, with
    its first. min_groups (default: 2, or 1 with a single group) leaves out risks fewer
    groups rated, so one group's private risks do not crowd the map."""
    if min_groups is None:
        min_groups = 2 if len(groups) > 1 else 1
    members: dict[str, list[GroupRating]] = defaultdict(list)
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for group_id, (name, risks) in groups.items():
        seen: set[str] = set()
        for risk in risks:
            key = risk_key(risk, match_by)
            if key in ("event:", "code:") or key in seen:
                continue
            seen.add(key)
            members[key].append(GroupRating(group_id, name, risk.code, risk.likelihood,
                                            risk.impact))
            text = risk.event.strip() if match_by == MATCH_EVENT else risk.code.strip()
            labels[key][text or risk.code.strip() or risk.event.strip()] += 1
    def rated(ratings: list[GroupRating]) -> int:
        return len([r for r in ratings if r.score is not None])

    chosen = [(key, ratings) for key, ratings in members.items() if rated(ratings) >= min_groups]

    def spread(ratings: list[GroupRating]) -> int:
        scores = [r.score for r in ratings if r.score is not None]
        return max(scores) - min(scores) if scores else -1  # type: ignore[type-var,operator]

    # Risks most groups rated first, the most disputed of those first, then by name.
    chosen.sort(key=lambda item: (-rated(item[1]), -spread(item[1]),
                                  labels[item[0]].most_common(1)[0][0].casefold()))
    risks = [OverlayRisk(n, key, labels[key].most_common(1)[0][0], ratings)
             for n, (key, ratings) in enumerate(chosen, 1)]
    return Overlay(risks, len(groups), match_by, bands)


# -- leaderboard (pure) -----------------------------------------------------------------------
@dataclass(frozen=True)
class LeaderRow:
    rank: int | None  # None: the group has no run yet
    group_id: str
    group_name: str
    runs: int
    run_id: str | None = None
    created_at: object = None
    hit_rate: float | None = None
    detection_rate: float | None = None
    selection_rate: float | None = None
    lift: float | None = None

    @property
    def balance(self) -> float | None:
        """The harmonic mean of hit rate and detection rate: what 'best' ranks by."""
        return f1(self.hit_rate, self.detection_rate)


def f1(hit_rate: float | None, detection_rate: float | None) -> float | None:
    if hit_rate is None or detection_rate is None:
        return None
    if hit_rate + detection_rate == 0:
        return 0.0
    return 2 * hit_rate * detection_rate / (hit_rate + detection_rate)


def _rate(data: dict[str, Any], name: str) -> float | None:
    value = data.get(name)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def build_leaderboard(groups: list[tuple[str, str]],
                      runs: dict[str, list[TargetingRun]], which: str = BEST
                      ) -> list[LeaderRow]:
    """One row per group: its best run (highest balance of hit and detection rate, the
    later one on a tie) or its latest; ranked by that balance, groups without a run last."""
    rows: list[LeaderRow] = []
    for group_id, name in groups:
        group_runs = runs.get(group_id, [])
        if not group_runs:
            rows.append(LeaderRow(None, group_id, name, 0))
            continue
        candidates = [(run, _metrics(run)) for run in group_runs]
        if which == LATEST:
            run, data = candidates[-1]
        else:
            def balance(item: tuple[TargetingRun, dict[str, Any]]) -> float:
                value = f1(_rate(item[1], "hit_rate"), _rate(item[1], "detection_rate"))
                return -1.0 if value is None else value

            run, data = max(reversed(candidates), key=balance)
        rows.append(LeaderRow(
            None, group_id, name, len(group_runs), run.id, run.created_at,
            _rate(data, "hit_rate"), _rate(data, "detection_rate"),
            _rate(data, "selection_rate"), _rate(data, "lift")))
    ranked = sorted((r for r in rows if r.runs), key=lambda r: (
        r.balance is None, -(r.balance or 0.0), -(r.detection_rate or 0.0),
        r.group_name.casefold()))
    result: list[LeaderRow] = []
    previous: tuple[object, ...] | None = None
    rank = 0
    for position, row in enumerate(ranked, 1):
        key = (row.balance, row.detection_rate)
        if key != previous:
            rank = position  # equal results share a rank
            previous = key
        result.append(LeaderRow(rank, *[getattr(row, f) for f in (
            "group_id", "group_name", "runs", "run_id", "created_at", "hit_rate",
            "detection_rate", "selection_rate", "lift")]))
    return result + sorted((r for r in rows if not r.runs),
                           key=lambda r: r.group_name.casefold())
