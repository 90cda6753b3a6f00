"""Scales, risk-level bands, ID numbering and the heat-map grouping."""

from __future__ import annotations

import pytest

from rmdesk.domain.register import RiskEntry, heat_map_cells, next_code
from rmdesk.domain.scales import DEFAULT_BANDS, Band, RiskBands, in_scale, score


@pytest.mark.parametrize(
    ("likelihood", "consequence", "expected"),
    [(1, 1, 1), (2, 3, 6), (5, 5, 25), (4, 4, 16)],
)
def test_score_is_likelihood_times_consequence(
    likelihood: int, consequence: int, expected: int
) -> None:
    assert score(likelihood, consequence) == expected


@pytest.mark.parametrize(
    ("likelihood", "consequence"),
    [(None, 3), (3, None), (None, None), (0, 3), (3, 6), (6, 1), (-1, 2)],
)
def test_score_is_none_unless_both_ratings_are_on_the_scale(
    likelihood: int | None, consequence: int | None
) -> None:
    assert score(likelihood, consequence) is None


@pytest.mark.parametrize(("value", "expected"), [(None, False), (0, False), (1, True),
                                                 (3, True), (5, True), (6, False)])
def test_in_scale_accepts_exactly_one_to_five(value: int | None, expected: bool) -> None:
    assert in_scale(value) is expected


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (1, "low"),
        (4, "low"),
        (5, "medium"),
        (9, "medium"),
        (10, "high"),
        (15, "high"),
        (16, "extreme"),
        (25, "extreme"),
    ],
)
def test_default_bands_at_every_boundary(value: int, level: str) -> None:
    assert DEFAULT_BANDS.level_for(value) == level


@pytest.mark.parametrize("value", [0, 26, -3])
def test_score_outside_every_band_raises(value: int) -> None:
    with pytest.raises(ValueError, match=str(value)):
        DEFAULT_BANDS.level_for(value)


def test_every_product_of_two_ratings_has_a_level() -> None:
    for likelihood in range(1, 6):
        for consequence in range(1, 6):
            assert DEFAULT_BANDS.level_for(likelihood * consequence) in DEFAULT_BANDS.levels()


def test_a_workshop_can_redefine_the_bands() -> None:
    bands = RiskBands((Band("low", 1, 6), Band("high", 7, 25)))
    assert bands.level_for(6) == "low"
    assert bands.level_for(7) == "high"
    assert RiskEntry(likelihood=2, impact=3).level(bands) == "low"
    assert RiskEntry(likelihood=2, impact=3).level() == "medium"


def test_unrated_risk_has_no_score_and_no_level() -> None:
    risk = RiskEntry(code="R1", likelihood=3)
    assert risk.score is None
    assert risk.level() is None


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (["R1", "R3"], "R4"),
        (["R1", "X9"], "R2"),
        (["X9"], "R1"),
        ([], "R1"),
        (["r7", "R2"], "R8"),
        (["R10", "R9"], "R11"),
        (["R", "Rx", "R2b"], "R1"),
    ],
)
def test_next_code_follows_the_highest_r_number(existing: list[str], expected: str) -> None:
    assert next_code(existing) == expected


def test_heat_map_groups_ids_per_cell_and_skips_unrated() -> None:
    risks = [
        RiskEntry(code="R1", likelihood=4, impact=3),
        RiskEntry(code="R2", likelihood=2, impact=5),
        RiskEntry(code="R3", likelihood=4, impact=3),
        RiskEntry(code="R4", likelihood=None, impact=3),
        RiskEntry(code="R5"),
        RiskEntry(code="R6", likelihood=6, impact=1),
    ]
    assert heat_map_cells(risks) == {(4, 3): ["R1", "R3"], (2, 5): ["R2"]}


def test_heat_map_shows_a_placeholder_for_a_rated_risk_without_id() -> None:
    assert heat_map_cells([RiskEntry(likelihood=1, impact=1)]) == {(1, 1): ["?"]}
