"""Comparing groups as plain data: answer summaries, the overlay of every group's
likelihood x consequence ratings of the same risks, the targeting leaderboard, and the
facilitator's groups x exercises overview. No Qt, no store; texts are built with the
translate function passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.register import RiskEntry
from rmdesk.domain.risk_matching import (
    Candidate,
    MatchDecisions,
    cluster,
    match_key,
    words,
)
from rmdesk.domain.scales import DEFAULT_BANDS, RiskBands
from rmdesk.i18n import N_

Translate = Callable[[str], str]

NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"
STATUSES = (NOT_STARTED, IN_PROGRESS, SUBMITTED)
STATUS_LABELS: dict[str, str] = {
    NOT_STARTED: N_("Not started"),
    IN_PROGRESS: N_("In progress"),
    SUBMITTED: N_("Submitted"),
}
# One character per status for dense grids; readable in black and white.
STATUS_MARKS: dict[str, str] = {NOT_STARTED: "○", IN_PROGRESS: "◐", SUBMITTED: "●"}

MATCH_EVENT, MATCH_CODE = "event", "code"
# By meaning unless the facilitator asks for IDs: one ID often names different risks in
# different groups, so an ID match is never made silently (and the report says it is one).
MATCH_AUTO = "auto"
MATCH_LABELS: dict[str, str] = {
    MATCH_EVENT: N_("Match risks by meaning (same area, similar event)"),
    MATCH_CODE: N_("Match risks by ID"),
}
BEST, LATEST = "best", "latest"
RUN_CHOICE_LABELS: dict[str, str] = {
    BEST: N_("Best run of each group"),
    LATEST: N_("Latest run of each group"),
}


# -- overview ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PhaseState:
    exercise_id: str
    locked: bool = False
    model_revealed: bool = False
    revision: int = 0


@dataclass(frozen=True)
class Cell:
    status: str = NOT_STARTED
    feedback: str = ""
    score: int | None = None


@dataclass
class Overview:
    """Groups x exercises of one workshop, in group order and the pack's order."""

    groups: list[tuple[str, str]]  # (group id, name)
    exercise_ids: list[str]
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    phases: dict[str, PhaseState] = field(default_factory=dict)

    def cell(self, group_id: str, exercise_id: str) -> Cell:
        return self.cells.get((group_id, exercise_id), Cell())

    def phase(self, exercise_id: str) -> PhaseState:
        return self.phases.get(exercise_id, PhaseState(exercise_id))

    def counts(self, exercise_id: str) -> dict[str, int]:
        """How many groups are at each status for one exercise."""
        counts = dict.fromkeys(STATUSES, 0)
        for group_id, _name in self.groups:
            counts[self.cell(group_id, exercise_id).status] += 1
        return counts


# -- answer summaries ---------------------------------------------------------------------------
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


def short_event(text: str, limit: int = 60) -> str:
    """An event as a label: whole words, cut with … after about `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-–") + "…"


@dataclass(frozen=True)
class GroupRating:
    group_id: str
    group_name: str
    code: str
    likelihood: int | None
    impact: int | None
    risk_id: str = ""
    event: str = ""

    @property
    def score(self) -> int | None:
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact


@dataclass
class OverlayRisk:
    number: int
    key: str  # the match's members (risk_matching.match_key): what a confirmation names
    label: str  # a short event text: the wording most of its groups gave
    ratings: list[GroupRating]
    confirmed: bool = False  # the facilitator confirmed this match
    area: str = ""

    @property
    def codes(self) -> list[str]:
        """The IDs the groups gave it, most used first ("R6", "R2")."""
        counts = Counter(r.code.strip() for r in self.ratings if r.code.strip())
        return [code for code, _n in counts.most_common()]

    @property
    def rated(self) -> list[GroupRating]:
        return [r for r in self.ratings if r.score is not None]

    @property
    def scores(self) -> list[int]:
        return sorted(r.score for r in self.rated)  # type: ignore[type-var]

    @property
    def spread(self) -> int | None:
        """Highest minus lowest score among the groups that rated it."""
        scores = self.scores
        return scores[-1] - scores[0] if scores else None

    @property
    def median(self) -> float | None:
        import statistics

        return statistics.median(self.scores) if self.scores else None

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

    def level_counts(self, bands: RiskBands = DEFAULT_BANDS) -> list[tuple[str, int]]:
        """How many groups put it at each level, highest level first, levels with none
        left out: one cell that reads the same at 3 groups as at 30."""
        found = Counter(bands.level_for(r.score) for r in self.rated)  # type: ignore[arg-type]
        return [(band.level, found[band.level]) for band in reversed(bands.bands)
                if found[band.level]]


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

    def cell_counts(self) -> dict[tuple[int, int], tuple[int, int]]:
        """(likelihood, consequence) -> (ratings there, distinct risks there): what a
        heat map of 30 groups can show in a cell and still be read."""
        return {cell: (sum(n for _r, n in entries), len(entries))
                for cell, entries in self.cells().items()}

    def risk(self, number: int) -> OverlayRisk | None:
        return next((r for r in self.risks if r.number == number), None)


def _matches(groups: dict[str, tuple[str, list[RiskEntry]]], match_by: str,
             apart: frozenset[str]) -> list[list[tuple[str, str, RiskEntry]]]:
    """The groups' risks in matches: lists of (group id, group name, risk)."""
    if match_by == MATCH_CODE:
        by_key: dict[str, list[tuple[str, str, RiskEntry]]] = defaultdict(list)
        result: list[list[tuple[str, str, RiskEntry]]] = []
        for group_id, (name, risks) in groups.items():
            seen: set[str] = set()
            for risk in risks:
                key = risk_key(risk, match_by)
                if key in ("event:", "code:") or key in seen:
                    continue
                seen.add(key)
                if risk.id and risk.id in apart:
                    result.append([(group_id, name, risk)])
                else:
                    by_key[key].append((group_id, name, risk))
        return list(by_key.values()) + result
    candidates = [Candidate(group_id, risk.id or f"{group_id}:{index}", risk.area,
                            words(risk.event), (group_id, name, risk))
                  for group_id, (name, risks) in groups.items()
                  for index, risk in enumerate(risks) if risk.event.strip()]
    return [[m.payload for m in found.members]  # type: ignore[misc]
            for found in cluster(candidates, apart)]


def build_overlay(groups: dict[str, tuple[str, list[RiskEntry]]], match_by: str = MATCH_EVENT,
                  min_groups: int | None = None, bands: RiskBands = DEFAULT_BANDS,
                  decisions: MatchDecisions | None = None) -> Overlay:
    """Match the groups' risks and collect their ratings.

    groups: group id -> (name, risks). MATCH_EVENT matches by meaning (same area, similar
    event text: domain/risk_matching); MATCH_CODE by ID, which the report says, since one
    ID often names different risks. A group counts once per match. min_groups (default:
    2, or 1 with a single group) leaves out risks fewer groups rated, so one group's
    private risks do not crowd the map. decisions: the facilitator's confirmations and
    separations."""
    decisions = decisions or MatchDecisions()
    if min_groups is None:
        min_groups = 2 if len(groups) > 1 else 1
    chosen = []
    for members in _matches(groups, match_by, decisions.apart):
        ratings = [GroupRating(gid, name, r.code, r.likelihood, r.impact, r.id, r.event)
                   for gid, name, r in members]
        if len([r for r in ratings if r.score is not None]) < min_groups:
            continue
        texts = Counter(normalise(r.event) for _g, _n, r in members if r.event.strip())
        common = texts.most_common(1)[0][0] if texts else ""
        wording = next((r.event for _g, _n, r in members if normalise(r.event) == common),
                       "") or members[0][2].code
        key = match_key(r.id for _g, _n, r in members if r.id)
        area = next((r.area for _g, _n, r in members if r.area), "")
        chosen.append((ratings, short_event(wording), key, area))

    def spread(ratings: list[GroupRating]) -> int:
        scores = [r.score for r in ratings if r.score is not None]
        return max(scores) - min(scores) if scores else -1  # type: ignore[type-var,operator]

    def rated(ratings: list[GroupRating]) -> int:
        return len([r for r in ratings if r.score is not None])

    # Risks most groups rated first, the most disputed of those first, then by name.
    chosen.sort(key=lambda item: (-rated(item[0]), -spread(item[0]), item[1].casefold()))
    risks = [OverlayRisk(n, key, label, ratings, bool(key) and key in decisions.confirmed,
                         area)
             for n, (ratings, label, key, area) in enumerate(chosen, 1)]
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


@dataclass(frozen=True)
class RunInfo:
    """A targeting run as the leaderboard needs it: its metrics as a plain dict."""

    id: str
    created_at: object
    metrics: dict[str, Any]


def build_leaderboard(groups: list[tuple[str, str]],
                      runs: dict[str, list[RunInfo]], which: str = BEST
                      ) -> list[LeaderRow]:
    """One row per group: its best run (highest balance of hit and detection rate, the
    later one on a tie) or its latest; ranked by that balance, groups without a run last."""
    rows: list[LeaderRow] = []
    for group_id, name in groups:
        group_runs = runs.get(group_id, [])
        if not group_runs:
            rows.append(LeaderRow(None, group_id, name, 0))
            continue
        candidates = [(run, run.metrics) for run in group_runs]
        if which == LATEST:
            run, data = candidates[-1]
        else:
            def balance(item: tuple[RunInfo, dict[str, Any]]) -> float:
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
