"""E12 maturity self-assessment: a level 1-5 per dimension of the pack, evidence, next step.

The dimensions (their names and level descriptors) belong to the content pack; the answer
keeps only the dimension ids, so it survives a language switch and a pack update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.i18n import N_

LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
EVIDENCE_FROM_LEVEL = 3  # a claim of level 3 or more needs evidence
MAX_TEXT = 4000

MESSAGES: dict[str, str] = {
    "no_dimensions": N_("This exercise has no maturity dimensions to rate."),
    "dimension_unrated": N_("{dimension}: choose the level from 1 to 5 that fits today."),
    "evidence_missing": N_(
        "{dimension}: level {level} needs evidence (a document, a figure, a practice you can "
        "show)."
    ),
    "next_step_missing": N_("{dimension}: name the next step towards the level above."),
    "next_step_top": N_("{dimension}: even at level 5, name how the group will keep that "
                        "level."),
    "maturity_ok": N_(
        "All {count} dimensions are rated (average level {average}), with evidence where "
        "needed and a next step for each. Weakest: {weakest}."
    ),
}


def _text(data: Any, key: str) -> str:
    value = data.get(key, "") if isinstance(data, dict) else ""
    return value[:MAX_TEXT] if isinstance(value, str) else ""


@dataclass
class Rating:
    level: int | None = None
    evidence: str = ""
    next_step: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> Rating:
        level = data.get("level") if isinstance(data, dict) else None
        if isinstance(level, str) and level.strip().isdigit():
            level = int(level.strip())
        if not isinstance(level, int) or isinstance(level, bool) or level not in LEVELS:
            level = None
        return cls(level, _text(data, "evidence"), _text(data, "next_step"))

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "evidence": self.evidence, "next_step": self.next_step}

    def is_empty(self) -> bool:
        return self.level is None and not self.evidence.strip() and not self.next_step.strip()


@dataclass
class MaturityAssessment:
    ratings: dict[str, Rating] = field(default_factory=dict)  # dimension id -> rating

    @classmethod
    def from_dict(cls, data: Any) -> MaturityAssessment:
        ratings = data.get("ratings") if isinstance(data, dict) else None
        if not isinstance(ratings, dict):
            return cls()
        return cls({str(k): Rating.from_dict(v) for k, v in ratings.items()
                    if isinstance(v, dict)})

    def to_dict(self) -> dict[str, Any]:
        return {"ratings": {k: r.to_dict() for k, r in self.ratings.items()
                            if not r.is_empty()}}

    def rating(self, dimension_id: str) -> Rating:
        return self.ratings.setdefault(dimension_id, Rating())

    def level(self, dimension_id: str) -> int | None:
        rating = self.ratings.get(dimension_id)
        return rating.level if rating else None


def check_maturity(assessment: MaturityAssessment, dimension_ids: list[str]) -> list[Finding]:
    """Findings name dimensions by id; render_maturity_finding shows their names."""
    if not dimension_ids:
        return [Finding("no_dimensions", ERROR)]
    findings: list[Finding] = []
    for dim in dimension_ids:
        rating = assessment.ratings.get(dim, Rating())
        who = {"dimension": dim}
        if rating.level is None:
            findings.append(Finding("dimension_unrated", ERROR, who))
        elif rating.level >= EVIDENCE_FROM_LEVEL and not rating.evidence.strip():
            findings.append(Finding("evidence_missing", ERROR, {**who, "level": rating.level}))
        if not rating.next_step.strip():
            code = "next_step_top" if rating.level == LEVELS[-1] else "next_step_missing"
            findings.append(Finding(code, WARNING, who))
    if not findings:
        levels = [assessment.ratings[d].level or 0 for d in dimension_ids]
        lowest = min(levels)
        findings.append(Finding("maturity_ok", GOOD, {
            "count": len(dimension_ids),
            "average": sum(levels) / len(levels),
            "weakest": [d for d, lvl in zip(dimension_ids, levels, strict=True)
                        if lvl == lowest],
        }))
    return findings


def render_maturity_finding(
    finding: Finding,
    translate: Callable[[str], str],
    names: dict[str, str],
    format_number: Callable[[float], str] | None = None,
) -> str:
    """`names`: dimension id -> its name in the reader's language."""
    params = dict(finding.params)
    if "dimension" in params:
        params["dimension"] = names.get(str(params["dimension"]), str(params["dimension"]))
    if "weakest" in params:
        params["weakest"] = ", ".join(names.get(d, d) for d in params["weakest"])  # type: ignore[attr-defined]
    if "average" in params:
        average = round(float(params["average"]), 1)  # type: ignore[arg-type]
        params["average"] = format_number(average) if format_number else f"{average:g}"
    return translate(MESSAGES[finding.code]).format(**params)
