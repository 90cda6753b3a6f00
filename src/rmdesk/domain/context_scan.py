"""E1 context scan: PESTLE, SWOT, stakeholders, objectives and risk criteria.

Checks judge structure only: counts per cell, the same text in two cells, and a hint
when a SWOT item's words suggest it belongs on the other side (internal vs external) and
none of its words speak for the side it is on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.answer_json import dict_of, normalised, text_of, texts_of
from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.domain.wording import misplaced_word, signal_word
from rmdesk.i18n import N_, Nn_, translate_message

PESTLE: dict[str, str] = {
    "political": N_("Political"),
    "economic": N_("Economic"),
    "social": N_("Social"),
    "technological": N_("Technological"),
    "legal": N_("Legal"),
    "environmental": N_("Environmental"),
}
SWOT: dict[str, str] = {
    "strengths": N_("Strengths"),
    "weaknesses": N_("Weaknesses"),
    "opportunities": N_("Opportunities"),
    "threats": N_("Threats"),
}
INTERNAL_QUADRANTS = ("strengths", "weaknesses")
EXTERNAL_QUADRANTS = ("opportunities", "threats")
OTHER_CELLS: dict[str, str] = {
    "objectives": N_("Objectives"),
    "stakeholders": N_("Stakeholders"),
}
CELL_LABELS: dict[str, str] = {**PESTLE, **SWOT, **OTHER_CELLS}

PESTLE_MIN, PESTLE_MAX = 2, 4
OBJECTIVES_MIN, OBJECTIVES_MAX = 3, 5

MESSAGES: dict[str, str] = {
    "pestle_too_few": Nn_("{cell}: {count} factor; list at least {minimum}.",
                          "{cell}: {count} factors; list at least {minimum}."),
    "pestle_too_many": N_("{cell}: {count} factors; keep the {maximum} that matter most."),
    "swot_empty": N_("{cell}: add at least one item."),
    "objectives_too_few": N_("Objectives: {count}; set between {minimum} and {maximum}."),
    "objectives_too_many": N_("Objectives: {count}; keep the {maximum} that matter most."),
    "no_stakeholders": N_("Stakeholders: name at least one, with their interests."),
    "stakeholder_no_name": N_("Stakeholders, row {row}: the name is missing."),
    "stakeholder_no_interest": N_("Stakeholder “{name}”: what are their interests?"),
    "no_risk_criteria": N_("Risk criteria: say how your administration will judge whether "
                           "a risk is acceptable."),
    "duplicate": N_("“{text}” appears in {cells}: keep it in the one place it fits best."),
    "looks_internal": N_("{cell}: “{text}” mentions “{word}”, which sounds internal to the "
                         "administration: is it a strength or a weakness instead?"),
    "looks_external": N_("{cell}: “{text}” mentions “{word}”, which sounds external: is it "
                         "an opportunity or a threat instead?"),
    "context_ok": N_("The context scan is complete: every PESTLE heading has {minimum}-"
                     "{maximum} factors, every SWOT quadrant is filled, and there are "
                     "{objectives} objectives."),
}

def placement_word(text: str, internal: bool, language: str | None = None) -> str | None:
    """The first internal (or external) signal word in `text`, as written, or None; the
    word lists are those of the text's language (resources/lexicon)."""
    return signal_word(text, internal, language)


@dataclass
class Stakeholder:
    name: str = ""
    interest: str = ""


@dataclass
class ContextScan:
    pestle: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in PESTLE})
    swot: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in SWOT})
    stakeholders: list[Stakeholder] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    risk_criteria: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> ContextScan:
        data = dict_of(data)
        pestle, swot = dict_of(data.get("pestle")), dict_of(data.get("swot"))
        stakeholders = []
        for item in data.get("stakeholders") if isinstance(data.get("stakeholders"), list) \
                else []:
            if isinstance(item, dict):
                stakeholders.append(Stakeholder(text_of(item.get("name")),
                                                text_of(item.get("interest"))))
        return cls(
            pestle={k: texts_of(pestle.get(k)) for k in PESTLE},
            swot={k: texts_of(swot.get(k)) for k in SWOT},
            stakeholders=stakeholders,
            objectives=texts_of(data.get("objectives")),
            risk_criteria=text_of(data.get("risk_criteria")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "pestle": {k: list(self.pestle.get(k, [])) for k in PESTLE},
            "swot": {k: list(self.swot.get(k, [])) for k in SWOT},
            "stakeholders": [{"name": s.name, "interest": s.interest}
                             for s in self.stakeholders],
            "objectives": list(self.objectives),
            "risk_criteria": self.risk_criteria,
        }

    def is_empty(self) -> bool:
        return not (any(filled(v) for v in self.pestle.values())
                    or any(filled(v) for v in self.swot.values())
                    or any(s.name.strip() or s.interest.strip() for s in self.stakeholders)
                    or filled(self.objectives) or self.risk_criteria.strip())


def filled(items: list[str]) -> list[str]:
    """The items with text, stripped."""
    return [item.strip() for item in items if item.strip()]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_context_scan(scan: ContextScan) -> list[Finding]:
    findings: list[Finding] = []
    for key in PESTLE:
        count = len(filled(scan.pestle.get(key, [])))
        if count < PESTLE_MIN:
            findings.append(Finding("pestle_too_few", ERROR,
                                    {"cell": key, "count": count, "minimum": PESTLE_MIN}))
        elif count > PESTLE_MAX:
            findings.append(Finding("pestle_too_many", WARNING,
                                    {"cell": key, "count": count, "maximum": PESTLE_MAX}))
    for key in SWOT:
        if not filled(scan.swot.get(key, [])):
            findings.append(Finding("swot_empty", ERROR, {"cell": key}))
    objectives = len(filled(scan.objectives))
    if objectives < OBJECTIVES_MIN:
        findings.append(Finding("objectives_too_few", ERROR, {
            "count": objectives, "minimum": OBJECTIVES_MIN, "maximum": OBJECTIVES_MAX}))
    elif objectives > OBJECTIVES_MAX:
        findings.append(Finding("objectives_too_many", WARNING,
                                {"count": objectives, "maximum": OBJECTIVES_MAX}))
    people = [s for s in scan.stakeholders if s.name.strip() or s.interest.strip()]
    if not people:
        findings.append(Finding("no_stakeholders", ERROR))
    for row, person in enumerate(scan.stakeholders, start=1):
        if not person.name.strip() and person.interest.strip():
            findings.append(Finding("stakeholder_no_name", ERROR, {"row": row}))
        elif person.name.strip() and not person.interest.strip():
            findings.append(Finding("stakeholder_no_interest", WARNING,
                                    {"name": _short(person.name)}))
    if not scan.risk_criteria.strip():
        findings.append(Finding("no_risk_criteria", WARNING))
    findings += _duplicates(scan)
    for key in EXTERNAL_QUADRANTS + INTERNAL_QUADRANTS:
        code = "looks_internal" if key in EXTERNAL_QUADRANTS else "looks_external"
        for item in filled(scan.swot.get(key, [])):
            word = misplaced_word(item, internal_quadrant=key in INTERNAL_QUADRANTS)
            if word:
                findings.append(Finding(code, WARNING,
                                        {"cell": key, "text": _short(item), "word": word}))
    if not findings:
        findings.append(Finding("context_ok", GOOD, {
            "minimum": PESTLE_MIN, "maximum": PESTLE_MAX, "objectives": objectives}))
    return findings


def _duplicates(scan: ContextScan) -> list[Finding]:
    """The same text (ignoring case, accents and punctuation) in two cells or twice in one."""
    seen: dict[str, list[str]] = defaultdict(list)
    first: dict[str, str] = {}
    cells = [*((k, scan.pestle.get(k, [])) for k in PESTLE),
             *((k, scan.swot.get(k, [])) for k in SWOT), ("objectives", scan.objectives)]
    for key, items in cells:
        for item in filled(items):
            norm = normalised(item)
            if norm:
                seen[norm].append(key)
                first.setdefault(norm, item)
    return [
        Finding("duplicate", WARNING, {"text": _short(first[norm]), "cells": keys})
        for norm, keys in seen.items() if len(keys) > 1
    ]


def render_context_finding(finding: Finding, translate: Callable[[str], str]) -> str:
    params = dict(finding.params)
    if "cell" in params:
        params["cell"] = translate(CELL_LABELS[str(params["cell"])])
    if "cells" in params:
        keys = list(params["cells"])  # type: ignore[call-overload]
        names = [translate(CELL_LABELS[k]) for k in dict.fromkeys(keys)]
        if len(names) == 1:  # twice in the same cell
            names = [f"{names[0]} (×{len(keys)})"]
        params["cells"] = ", ".join(names)
    return translate_message(MESSAGES[finding.code], translate,
                             params.get("count")).format(**params)
