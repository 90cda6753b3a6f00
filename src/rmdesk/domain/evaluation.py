"""E4 evaluation against risk appetite: rank the register's risks, accept or treat each.

The risks and their scores come from the group's E2/E3 register, never typed again; the
answer stores only the order of risk ids and one decision per risk id. Risks deleted
from the register drop out of the list; new ones appear at its end, undecided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.answer_json import dict_of, text_of
from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.domain.register import RISK_AREAS, RiskEntry
from rmdesk.i18n import N_, Nn_, ngettext_matching, translate_message

ACCEPT, TREAT = "accept", "treat"
DECISIONS: dict[str, str] = {ACCEPT: N_("Accept"), TREAT: N_("Treat")}

MESSAGES: dict[str, str] = {
    "no_risks": N_("The register has no risks yet: identify and rate them in E2–E3 first."),
    "unrated": N_("Risk {code} has no score yet: rate it in E2–E3 before deciding."),
    "undecided": N_("Risk {code}: decide whether to accept or treat it."),
    "accepted_above_appetite": N_(
        "Risk {code} scores {score}, above the appetite (at most {maximum} may be "
        "accepted): treat it, or escalate it to someone who may accept it."),
    "reason_missing": N_("Risk {code}: give the reason for your decision."),
    "escalation_missing": N_("Risk {code} exceeds the appetite: to whom is it escalated?"),
    "order_unexplained": N_(
        "Risk {code} (score {score}) is ranked above {others}, which score higher: give "
        "the reason for this order in “Why this rank”."),
    "accepted_above_area_tolerance": N_(
        "Risk {code} scores {score}, above the tolerance for “{area}” (at most {maximum} may "
        "be accepted in that area): treat it, or escalate it to someone who may accept it."),
    "accepted_severe": N_(
        "Risk {code} has a severe consequence ({impact}) in an area where the appetite "
        "accepts none, whatever the score: treat it, or escalate it."),
    "evaluation_ok": Nn_(
        "The {count} risk is ranked and decided: {treat}, {accept}; {above}.",
        "All {count} risks are ranked and decided: {treat}, {accept}; {above}."),
}
# The counts inside evaluation_ok, each in its own plural form ("1 accepted", "2 acceptés").
COUNTS: dict[str, str] = {
    "treat": Nn_("{count} to treat", "{count} to treat"),
    "accept": Nn_("{count} accepted", "{count} accepted"),
    "above": Nn_("{count} exceeds the appetite", "{count} exceed the appetite"),
}


@dataclass(frozen=True)
class AppetiteRule:
    """What the pack's appetite allows: scores up to `max_accepted` may be accepted (up to
    the area's own tolerance where `area_max` gives one), and no consequence of
    `severe_impact` or more in `severe_areas`, whatever the score."""

    max_accepted: int = 9
    severe_areas: tuple[str, ...] = ()
    severe_impact: int = 5
    area_max: tuple[tuple[str, int], ...] = ()  # (risk area, highest accepted score)

    def max_for(self, area: str) -> int:
        """The highest score that may be accepted in `area`."""
        return dict(self.area_max).get(area, self.max_accepted)

    def by_area(self) -> bool:
        """Does any area have a tolerance of its own (other than the general one)?"""
        return any(limit != self.max_accepted for _area, limit in self.area_max)

    def above(self, score: int | None, area: str) -> bool:
        return score is not None and score > self.max_for(area)

    def exceeds(self, likelihood: int | None, impact: int | None, area: str) -> bool:
        if likelihood is None or impact is None:
            return False
        return self.above(likelihood * impact, area) or self.severe(impact, area)

    def severe(self, impact: int | None, area: str) -> bool:
        return impact is not None and impact >= self.severe_impact \
            and area in self.severe_areas


@dataclass
class RiskDecision:
    decision: str = ""  # "", ACCEPT or TREAT
    reason: str = ""  # why accept or treat
    escalation: str = ""
    order_reason: str = ""  # why this rank, when it differs from the scores' order

    def is_blank(self) -> bool:
        return not (self.decision or self.reason.strip() or self.escalation.strip()
                    or self.order_reason.strip())


@dataclass
class Evaluation:
    order: list[str] = field(default_factory=list)  # risk ids, highest priority first
    decisions: dict[str, RiskDecision] = field(default_factory=dict)  # risk id -> decision

    @classmethod
    def from_dict(cls, data: Any) -> Evaluation:
        data = dict_of(data)
        raw_order = data.get("order") if isinstance(data.get("order"), list) else []
        order = list(dict.fromkeys(i for i in raw_order if isinstance(i, str) and i))
        decisions = {}
        for risk_id, raw in dict_of(data.get("decisions")).items():
            raw = dict_of(raw)
            decision = raw.get("decision")
            decisions[risk_id] = RiskDecision(
                decision if decision in DECISIONS else "",
                text_of(raw.get("reason")), text_of(raw.get("escalation")),
                text_of(raw.get("order_reason")))
        return cls(order, decisions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "order": list(self.order),
            "decisions": {
                risk_id: {"decision": d.decision, "reason": d.reason,
                          "escalation": d.escalation, "order_reason": d.order_reason}
                for risk_id, d in self.decisions.items() if not d.is_blank()
            },
        }

    def decision(self, risk_id: str) -> RiskDecision:
        return self.decisions.get(risk_id) or RiskDecision()

    def has_decisions(self, risks: list[RiskEntry]) -> bool:
        """Has the group decided anything about the register's current risks?"""
        return any(self.decision(r.id).decision for r in risks)


@dataclass(frozen=True)
class RankedRisk:
    risk: RiskEntry
    decision: RiskDecision

    @property
    def id(self) -> str:
        return self.risk.id

    @property
    def code(self) -> str:
        return self.risk.code.strip() or "?"

    @property
    def score(self) -> int | None:
        return self.risk.score

    def above(self, max_accepted: int) -> bool:
        return self.score is not None and self.score > max_accepted


def default_order(risks: list[RiskEntry]) -> list[RiskEntry]:
    """Highest score first, unrated last; ties keep the register's order."""
    return sorted(risks, key=lambda r: (r.score is None, -(r.score or 0)))


def ranked(evaluation: Evaluation, risks: list[RiskEntry]) -> list[RankedRisk]:
    """The register's risks in the group's order; risks new to E4 follow, by score."""
    by_id = {r.id: r for r in risks}
    kept = [by_id[i] for i in evaluation.order if i in by_id]
    known = {r.id for r in kept}
    new = default_order([r for r in risks if r.id not in known])
    return [RankedRisk(r, evaluation.decision(r.id)) for r in kept + new]


def appetite_line(rows: list[RankedRisk], max_accepted: int,
                  rule: AppetiteRule | None = None) -> int:
    """Rows before this index are above the line: the last one exceeding appetite ends it
    (its area's tolerance, when `rule` gives areas their own)."""
    rule = rule or AppetiteRule(max_accepted)
    line = 0
    for index, row in enumerate(rows):
        if rule.above(row.score, row.risk.area):
            line = index + 1
    return line


def moved(order: list[str], risk_id: str, delta: int) -> list[str]:
    """The order with `risk_id` moved `delta` places (clamped to the list)."""
    if risk_id not in order:
        return list(order)
    result = list(order)
    index = result.index(risk_id)
    target = max(0, min(len(result) - 1, index + delta))
    result.insert(target, result.pop(index))
    return result


def check_evaluation(rows: list[RankedRisk], max_accepted: int,
                     rule: AppetiteRule | None = None) -> list[Finding]:
    """`rule` adds the appetite's rules beyond the score (severe consequences)."""
    rule = rule or AppetiteRule(max_accepted)
    if not rows:
        return [Finding("no_risks", ERROR)]
    findings: list[Finding] = []
    for row in rows:
        who = {"code": row.code}
        d = row.decision
        area = row.risk.area
        limit = rule.max_for(area)
        if row.score is None:
            findings.append(Finding("unrated", WARNING, who))
        if not d.decision:
            findings.append(Finding("undecided", ERROR, who))
        elif d.decision == ACCEPT and row.above(limit):
            if limit != rule.max_accepted:  # the area's own tolerance
                findings.append(Finding("accepted_above_area_tolerance", ERROR, {
                    **who, "score": row.score, "maximum": limit, "area": area}))
            else:
                findings.append(Finding("accepted_above_appetite", ERROR,
                                        {**who, "score": row.score, "maximum": limit}))
        elif d.decision == ACCEPT and rule.severe(row.risk.impact, row.risk.area):
            findings.append(Finding("accepted_severe", ERROR,
                                    {**who, "impact": row.risk.impact}))
        if d.decision and not d.reason.strip():
            findings.append(Finding("reason_missing", WARNING, who))
        exceeds = row.above(limit) or rule.severe(row.risk.impact, area)
        if exceeds and not d.escalation.strip():
            findings.append(Finding("escalation_missing", WARNING, who))
    # The order follows the scores unless the group says why: only a reason for the
    # rank itself counts (the reason for accepting or treating is another question).
    for index, row in enumerate(rows):
        if row.score is None or row.decision.order_reason.strip():
            continue
        higher = [
            other for other in rows[index + 1:]
            if other.score is not None and other.score > row.score
            and not other.decision.order_reason.strip()
        ]
        if higher:
            findings.append(Finding("order_unexplained", WARNING, {
                "code": row.code, "score": row.score,
                "others": [(o.code, o.score) for o in higher]}))
    if not findings:
        findings.append(Finding("evaluation_ok", GOOD, {
            "count": len(rows),
            "treat": sum(r.decision.decision == TREAT for r in rows),
            "accept": sum(r.decision.decision == ACCEPT for r in rows),
            "above": sum(rule.above(r.score, r.risk.area) for r in rows),
        }))
    return findings


TOLERANCE_PART = N_("{area}: up to {maximum}")
TOLERANCE_TEXT = N_("Tolerance by area (the highest score that may be accepted): {areas}; "
                    "every other area: up to {maximum}.")


def tolerance_text(rule: AppetiteRule, translate: Callable[[str], str]) -> str:
    """The appetite by area in one sentence, for the E4 page and its PDF section."""
    parts = [translate(TOLERANCE_PART).format(
        area=translate(RISK_AREAS[area]) if area in RISK_AREAS else area, maximum=limit)
        for area, limit in rule.area_max]
    return translate(TOLERANCE_TEXT).format(areas="; ".join(parts),
                                            maximum=rule.max_accepted)


def render_evaluation_finding(finding: Finding, translate: Callable[[str], str]) -> str:
    params = dict(finding.params)
    if params.get("area") in RISK_AREAS:
        params["area"] = translate(RISK_AREAS[str(params["area"])])
    if "others" in params:
        params["others"] = ", ".join(
            f"{code} ({score})" for code, score in params["others"])  # type: ignore[attr-defined]
    if finding.code == "evaluation_ok":
        plural = ngettext_matching(translate)
        for name, message in COUNTS.items():
            n = int(params.get(name, 0))  # type: ignore[call-overload]
            params[name] = plural(message, message.plural, n).format(count=n)  # type: ignore[attr-defined]
    return translate_message(MESSAGES[finding.code], translate,
                             params.get("count")).format(**params)
