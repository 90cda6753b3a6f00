"""The E2 risk register and E3 analysis as plain data."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rmdesk.domain.scales import DEFAULT_BANDS, RiskBands, score
from rmdesk.i18n import N_

RISK_AREAS: dict[str, str] = {
    "revenue": N_("Revenue"),
    "security": N_("Security"),
    "ipr": N_("Intellectual property"),
    "health_safety": N_("Health and safety"),
    "environment": N_("Environment"),
    "prohibited": N_("Prohibited and restricted goods"),
}

# Register fields a group types; the order is the order of the form and the PDF table.
TEXT_FIELDS: tuple[str, ...] = (
    "code",
    "event",
    "cause",
    "consequence",
    "area",
    "controls",
    "owner",
    "likelihood_reason",
    "impact_reason",
)
RATING_FIELDS: tuple[str, ...] = ("likelihood", "impact")
EDITABLE_FIELDS: tuple[str, ...] = TEXT_FIELDS + RATING_FIELDS

FIELD_LABELS: dict[str, str] = {
    "code": N_("ID"),
    "event": N_("Event"),
    "cause": N_("Cause"),
    "consequence": N_("Consequence"),
    "area": N_("Risk area"),
    "controls": N_("Existing controls"),
    "owner": N_("Owner"),
    "likelihood": N_("Likelihood"),
    "likelihood_reason": N_("Reason for likelihood"),
    "impact": N_("Consequence rating"),
    "impact_reason": N_("Reason for consequence rating"),
    "score": N_("Score"),
    "level": N_("Level"),
}

# Generous limits: long enough for any real answer, short enough to keep a PDF cell sane.
MAX_TEXT_LENGTH = 2000
MAX_CODE_LENGTH = 12


@dataclass
class RiskEntry:
    code: str = ""
    event: str = ""
    cause: str = ""
    consequence: str = ""
    area: str = ""
    controls: str = ""
    owner: str = ""
    likelihood: int | None = None
    likelihood_reason: str = ""
    impact: int | None = None
    impact_reason: str = ""
    id: str = ""

    @property
    def score(self) -> int | None:
        return score(self.likelihood, self.impact)

    def level(self, bands: RiskBands = DEFAULT_BANDS) -> str | None:
        value = self.score
        return bands.level_for(value) if value is not None else None


def next_code(existing: list[str]) -> str:
    """The first free 'R<n>' after the highest one in use."""
    highest = 0
    for code in existing:
        if code[:1].upper() == "R" and code[1:].isdigit():
            highest = max(highest, int(code[1:]))
    return f"R{highest + 1}"


def heat_map_cells(risks: list[RiskEntry]) -> dict[tuple[int, int], list[str]]:
    """Risk IDs per (likelihood, consequence) cell; unrated risks are left out."""
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for risk in risks:
        if risk.score is not None:
            cells[(risk.likelihood, risk.impact)].append(risk.code or "?")  # type: ignore[index]
    return dict(cells)
