"""Likelihood and consequence scales and the risk-level bands (ISO 31000 practice)."""

from __future__ import annotations

from dataclasses import dataclass

from rmdesk.i18n import N_

SCALE_MIN, SCALE_MAX = 1, 5

LIKELIHOOD_LABELS: dict[int, str] = {
    1: N_("Rare"),
    2: N_("Unlikely"),
    3: N_("Possible"),
    4: N_("Likely"),
    5: N_("Almost certain"),
}
CONSEQUENCE_LABELS: dict[int, str] = {
    1: N_("Insignificant"),
    2: N_("Minor"),
    3: N_("Moderate"),
    4: N_("Major"),
    5: N_("Severe"),
}

LEVEL_LABELS: dict[str, str] = {
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "extreme": N_("Extreme"),
}


@dataclass(frozen=True)
class Band:
    level: str
    low: int
    high: int


@dataclass(frozen=True)
class RiskBands:
    """Score bands; a workshop may redefine them, so they are data, not constants."""

    bands: tuple[Band, ...] = (
        Band("low", 1, 4),
        Band("medium", 5, 9),
        Band("high", 10, 15),
        Band("extreme", 16, 25),
    )

    def level_for(self, score: int) -> str:
        for band in self.bands:
            if band.low <= score <= band.high:
                return band.level
        raise ValueError(f"score {score} outside every band")

    def levels(self) -> list[str]:
        return [band.level for band in self.bands]


DEFAULT_BANDS = RiskBands()


def in_scale(value: int | None) -> bool:
    return value is not None and SCALE_MIN <= value <= SCALE_MAX


def score(likelihood: int | None, consequence: int | None) -> int | None:
    if in_scale(likelihood) and in_scale(consequence):
        return likelihood * consequence  # type: ignore[operator]
    return None
