"""E14 compliance pyramid: place the pack's trader segments on the pyramid of compliance
behaviour, choose the response that level calls for, concrete measures, and link each
segment to a treatment of the group's E5 plan.

The pyramid follows the compliance management approach of the WCO Compendium, Volume 1:
traders willing to comply are facilitated, those who try but fail are assisted, those who
do not want to comply unless noticed are deterred by detection, and those who have decided
not to comply meet the full force of the law. Segments (names, facts, AEO or not) belong
to the content pack; the answer keeps segment ids and, for the link, the id of the E5
risk whose treatment it points to, so it survives a language switch and a pack update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.answer_json import dict_of, text_of
from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.i18n import N_

FACILITATE, ASSIST, DETER, ENFORCE = "facilitate", "assist", "deter", "enforce"
# The levels from the base of the pyramid to its top: the behaviour, then the response.
LEVELS: tuple[str, ...] = (FACILITATE, ASSIST, DETER, ENFORCE)
BEHAVIOURS: dict[str, str] = {
    FACILITATE: N_("Willing to comply"),
    ASSIST: N_("Try to comply but do not always succeed"),
    DETER: N_("Do not want to comply unless noticed"),
    ENFORCE: N_("Have decided not to comply"),
}
RESPONSES: dict[str, str] = {
    FACILITATE: N_("Facilitate: make it easy"),
    ASSIST: N_("Assist to comply"),
    DETER: N_("Deter by detection"),
    ENFORCE: N_("Enforce: full force of the law"),
}
SHORT_RESPONSES: dict[str, str] = {
    FACILITATE: N_("Facilitate"), ASSIST: N_("Assist"), DETER: N_("Deter"),
    ENFORCE: N_("Enforce"),
}

MESSAGES: dict[str, str] = {
    "no_segments": N_("This exercise has no trader segments to place."),
    "no_treatments": N_(
        "Your E5 plan has no treatment yet: plan the treatments in E5 first, then link each "
        "segment to one."),
    "segment_unplaced": N_("{segment}: place the segment on a level of the pyramid."),
    "reason_missing": N_("{segment}: give the reason for this level, drawn from its facts."),
    "response_missing": N_("{segment}: choose the response to this behaviour."),
    "response_inconsistent": N_(
        "{segment} is placed at “{level}”, but the response is “{response}”: that behaviour "
        "calls for “{expected}”. Change the level or the response."),
    "measures_missing": N_("{segment}: name the concrete measures (what will be done, by "
                           "whom)."),
    "aeo_enforce_unexplained": N_(
        "{segment}: authorised economic operators may sit at “Enforce” only with a stated "
        "reason (for example, the authorisation suspended after a proven fraud)."),
    "link_missing": N_("{segment}: link the segment to the E5 treatment it belongs to."),
    "link_unknown": N_(
        "{segment}: the linked E5 treatment no longer exists in your plan; link it to one "
        "of the treatments in E5."),
    "one_level": N_(
        "Every segment sits on the same level: the pyramid's point is to answer different "
        "behaviours differently. Look at the facts again."),
    "pyramid_ok": N_(
        "All {count} segments are placed, each with a response that fits its level, "
        "measures and a link to E5: {facilitate} facilitate, {assist} assist, {deter} deter, "
        "{enforce} enforce."),
}


@dataclass
class Placement:
    level: str = ""  # one of LEVELS, or "" when not placed
    reason: str = ""  # why this level, from the segment's facts
    response: str = ""  # one of LEVELS (the response named by its level), or ""
    measures: str = ""  # the concrete measures
    treatment: str = ""  # the E5 risk id whose treatment this links to, or ""

    @classmethod
    def from_dict(cls, data: Any) -> Placement:
        data = dict_of(data)
        level, response = data.get("level"), data.get("response")
        return cls(level if level in LEVELS else "", text_of(data.get("reason")),
                   response if response in LEVELS else "", text_of(data.get("measures")),
                   text_of(data.get("treatment"), 200))

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "reason": self.reason, "response": self.response,
                "measures": self.measures, "treatment": self.treatment}

    def is_blank(self) -> bool:
        return self == Placement()


@dataclass
class CompliancePyramid:
    placements: dict[str, Placement] = field(default_factory=dict)  # segment id -> placement

    @classmethod
    def from_dict(cls, data: Any) -> CompliancePyramid:
        raw = dict_of(dict_of(data).get("placements"))
        return cls({str(k): Placement.from_dict(v) for k, v in raw.items()
                    if isinstance(k, str) and k and isinstance(v, dict)})

    def to_dict(self) -> dict[str, Any]:
        return {"placements": {k: p.to_dict() for k, p in self.placements.items()
                               if not p.is_blank()}}

    def placement(self, segment_id: str) -> Placement:
        return self.placements.get(segment_id) or Placement()

    def edit(self, segment_id: str) -> Placement:
        return self.placements.setdefault(segment_id, Placement())

    def by_level(self, segment_ids: list[str]) -> dict[str, list[str]]:
        """The segments on each level, in the pack's order (unplaced ones left out)."""
        return {level: [s for s in segment_ids if self.placement(s).level == level]
                for level in LEVELS}


@dataclass(frozen=True)
class SegmentInfo:
    """What the checks need of a pack's segment."""

    id: str
    aeo: bool = False


@dataclass(frozen=True)
class TreatmentRef:
    """One treatment of the group's E5 plan, as a segment may link to it."""

    risk_id: str
    code: str
    option: str  # the E5 option (rmdesk.domain.treatment.OPTIONS), or ""
    actions: str


def available_treatments(risks: list[Any], evaluation: Any, plan: Any) -> list[TreatmentRef]:
    """The treatments the E5 page shows with something planned: the risks to treat (from
    E4, or every rated risk) whose row in the plan is not blank."""
    from rmdesk.domain.treatment import risks_to_treat

    return [TreatmentRef(r.id, r.code.strip() or "?", plan.row(r.id).option,
                         plan.row(r.id).actions.strip())
            for r in risks_to_treat(risks, evaluation) if not plan.row(r.id).is_blank()]


def with_risk_ids(data: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    """Prepared work (demo, model answer) names E5 treatments by risk code; the store by
    risk id. A code the register does not have is dropped (the check then asks for it)."""
    placements = dict_of(data.get("placements"))
    return {**data, "placements": {
        sid: {**p, "treatment": codes.get(str(p.get("treatment", "")), "")}
        if isinstance(p, dict) else p for sid, p in placements.items()}}


def check_pyramid(pyramid: CompliancePyramid, segments: list[SegmentInfo],
                  treatments: list[TreatmentRef]) -> list[Finding]:
    """Findings name segments by id; render_pyramid_finding shows their names."""
    if not segments:
        return [Finding("no_segments", ERROR)]
    findings: list[Finding] = []
    known = {t.risk_id for t in treatments}
    if not treatments:
        findings.append(Finding("no_treatments", ERROR))
    for segment in segments:
        p = pyramid.placement(segment.id)
        who = {"segment": segment.id}
        aeo_unexplained = segment.aeo and ENFORCE in (p.level, p.response) \
            and not p.reason.strip()
        if not p.level:
            findings.append(Finding("segment_unplaced", ERROR, who))
        elif not p.reason.strip() and not aeo_unexplained:
            findings.append(Finding("reason_missing", WARNING, who))
        if not p.response:
            if p.level:
                findings.append(Finding("response_missing", ERROR, who))
        elif p.level and p.response != p.level:
            findings.append(Finding("response_inconsistent", ERROR, {
                **who, "level": p.level, "response": p.response, "expected": p.level}))
        if aeo_unexplained:
            findings.append(Finding("aeo_enforce_unexplained", ERROR, who))
        if p.level and not p.measures.strip():
            findings.append(Finding("measures_missing", WARNING, who))
        if treatments and p.treatment and p.treatment not in known:
            findings.append(Finding("link_unknown", ERROR, who))
        elif treatments and p.level and not p.treatment:  # placed first, linked next
            findings.append(Finding("link_missing", ERROR, who))
    levels = {pyramid.placement(s.id).level for s in segments}
    if len(segments) > 2 and len(levels) == 1 and "" not in levels:
        findings.append(Finding("one_level", WARNING))
    if not findings:
        counts = {level: sum(pyramid.placement(s.id).level == level for s in segments)
                  for level in LEVELS}
        findings.append(Finding("pyramid_ok", GOOD, {"count": len(segments), **counts}))
    return findings


def render_pyramid_finding(finding: Finding, translate: Callable[[str], str],
                           names: dict[str, str]) -> str:
    """`names`: segment id -> its name in the reader's language."""
    params = dict(finding.params)
    if "segment" in params:
        params["segment"] = names.get(str(params["segment"]), str(params["segment"]))
    for key in ("level",):
        if params.get(key) in BEHAVIOURS:
            params[key] = translate(BEHAVIOURS[str(params[key])])
    for key in ("response", "expected"):
        if params.get(key) in SHORT_RESPONSES:
            params[key] = translate(SHORT_RESPONSES[str(params[key])])
    return translate(MESSAGES[finding.code]).format(**params)
