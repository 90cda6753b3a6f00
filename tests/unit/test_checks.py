"""'Check my work': structural checks of the register (E2) and the analysis (E3)."""

from __future__ import annotations

import dataclasses
import functools

import pytest

from rmdesk.domain.checks import (
    ERROR,
    GOOD,
    MESSAGES,
    WARNING,
    Finding,
    check_analysis,
    check_register,
    looks_like_control,
    render_finding,
)
from rmdesk.domain.register import RISK_AREAS, RiskEntry
from rmdesk.i18n.formatting import format_percent

AREAS = list(RISK_AREAS)


def complete(code: str, area: str = "revenue", **changes: object) -> RiskEntry:
    """A risk with every part filled in and rated with reasons."""
    risk = RiskEntry(
        code=code,
        event="Importers under-declare the customs value of footwear",
        cause="Weak price references and no valuation database",
        consequence="Loss of duty and VAT revenue",
        area=area,
        controls="Documentary checks on declarations over 10 000 USD",
        owner="Head of Valuation",
        likelihood=3,
        likelihood_reason="Four cases detected last year",
        impact=3,
        impact_reason="About 2% of import revenue",
    )
    return dataclasses.replace(risk, **changes)


def full_register() -> list[RiskEntry]:
    """One complete risk per area: nothing to complain about."""
    return [complete(f"R{i}", area) for i, area in enumerate(AREAS, start=1)]


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def only(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, f"expected one {code!r} finding, got {findings}"
    return matching[0]


# -- check_register ---------------------------------------------------------------------


def test_empty_register_is_a_single_error() -> None:
    assert check_register([]) == [Finding("register_empty", ERROR)]


def test_complete_register_covering_every_area_is_ok() -> None:
    assert check_register(full_register()) == [Finding("register_ok", GOOD)]


@pytest.mark.parametrize("part", ["event", "cause", "consequence"])
def test_each_missing_part_is_an_error_naming_the_risk(part: str) -> None:
    risks = full_register()
    risks[1] = dataclasses.replace(risks[1], **{part: "   "})
    findings = check_register(risks)
    assert only(findings, f"missing_{part}") == Finding(f"missing_{part}", ERROR, {"code": "R2"})
    assert "register_ok" not in codes(findings)


def test_all_three_parts_missing_are_reported_separately() -> None:
    risks = [complete("R1", event="", cause="", consequence="")]
    found = [f for f in check_register(risks) if f.code.startswith("missing_")]
    assert {(f.code, f.params["code"]) for f in found} >= {
        ("missing_event", "R1"),
        ("missing_cause", "R1"),
        ("missing_consequence", "R1"),
    }


def test_duplicate_ids_are_reported_once_with_their_count() -> None:
    risks = full_register()
    risks[2] = dataclasses.replace(risks[2], code="R1")
    risks[4] = dataclasses.replace(risks[4], code=" R1 ")
    findings = check_register(risks)
    assert only(findings, "duplicate_code") == Finding(
        "duplicate_code", ERROR, {"code": "R1", "count": 3}
    )
    assert "register_ok" not in codes(findings)


def test_missing_id_is_reported_by_row_number_and_later_findings_use_it() -> None:
    risks = full_register()
    risks[2] = dataclasses.replace(risks[2], code=" ", cause="")
    findings = check_register(risks)
    assert only(findings, "missing_code") == Finding("missing_code", ERROR, {"row": 3})
    assert only(findings, "missing_cause").params == {"code": "#3"}


@pytest.mark.parametrize("area", ["", "customs", "Revenue"])
def test_area_outside_the_list_is_an_error(area: str) -> None:
    risks = full_register() + [complete("R7", area)]
    findings = check_register(risks)
    assert only(findings, "missing_area") == Finding("missing_area", ERROR, {"code": "R7"})
    assert "register_ok" not in codes(findings)


def test_areas_not_considered_lists_exactly_the_unused_areas_in_order() -> None:
    risks = [complete("R1", "security"), complete("R2", "revenue"), complete("R3", "revenue")]
    finding = only(check_register(risks), "areas_not_considered")
    assert finding.severity == WARNING
    assert finding.params == {
        "areas": ["ipr", "health_safety", "environment", "prohibited"]
    }


def test_no_areas_finding_when_every_area_has_a_risk() -> None:
    assert "areas_not_considered" not in codes(check_register(full_register()))


@pytest.mark.parametrize(
    "event",
    [
        "Inspect all containers from high-risk origins",
        "Check every declaration of used cars",
        "Inspeccionar todos los contenedores de alto riesgo",
        "Vérifier la valeur déclarée des voitures",
        "VERIFIER la valeur déclarée des voitures",
        "Mettre en œuvre un contrôle des manifestes",
        "  Carry out joint patrols at the border",
    ],
)
def test_actions_are_recognised_as_controls(event: str) -> None:
    assert looks_like_control(event)


@pytest.mark.parametrize(
    "event",
    [
        "Importers under-declare the value of footwear",
        "Los importadores subvaloran el calzado",
        "Des importateurs sous-évaluent les chaussures",
        "Users of the single window share passwords",
        "Inspectors at the northern border accept bribes to release goods",
        "Checkpoints on the southern border are left unstaffed at night",
        "Training gaps leave new officers unable to spot falsified medicines",
    ],
)
def test_genuine_risk_statements_are_not_taken_for_controls(event: str) -> None:
    assert not looks_like_control(event)


def test_control_like_event_warns_with_its_first_words() -> None:
    risks = full_register()
    risks[0] = dataclasses.replace(risks[0], event="Inspect all containers from Kestria")
    findings = check_register(risks)
    assert only(findings, "looks_like_control") == Finding(
        "looks_like_control", WARNING, {"code": "R1", "start": "Inspect all containers"}
    )
    # a warning about wording does not block the verdict
    assert "register_ok" in codes(findings)


def test_register_without_an_owner_is_not_ok() -> None:
    risks = full_register()
    risks[3] = dataclasses.replace(risks[3], owner=" ")
    findings = check_register(risks)
    assert only(findings, "missing_owner") == Finding("missing_owner", WARNING, {"code": "R4"})
    assert "register_ok" not in codes(findings)


def test_register_with_an_error_is_not_ok() -> None:
    risks = full_register()
    risks[0] = dataclasses.replace(risks[0], consequence="")
    assert "register_ok" not in codes(check_register(risks))


def test_warnings_other_than_owner_do_not_block_register_ok() -> None:
    risks = [complete("R1", "revenue", controls="")]
    findings = check_register(risks)
    assert only(findings, "missing_controls").severity == WARNING
    assert "areas_not_considered" in codes(findings)
    assert "register_ok" in codes(findings)


# -- check_analysis ---------------------------------------------------------------------


def rated(pairs: list[tuple[int | None, int | None]]) -> list[RiskEntry]:
    return [
        complete(f"R{i}", likelihood=likelihood, impact=impact)
        for i, (likelihood, impact) in enumerate(pairs, start=1)
    ]


def test_analysis_of_an_empty_register_is_a_single_error() -> None:
    assert check_analysis([]) == [Finding("register_empty", ERROR)]


@pytest.mark.parametrize("rating", ["likelihood", "impact"])
def test_missing_rating_is_an_error(rating: str) -> None:
    risks = rated([(4, 4), (3, 4), (2, 3)])
    risks[2] = dataclasses.replace(risks[2], **{rating: None})
    findings = check_analysis(risks)
    assert findings == [Finding(f"missing_{rating}", ERROR, {"code": "R3"})]


@pytest.mark.parametrize("rating", ["likelihood", "impact"])
def test_missing_reason_is_a_warning(rating: str) -> None:
    risks = rated([(4, 4), (3, 4)])
    risks[0] = dataclasses.replace(risks[0], **{f"{rating}_reason": " "})
    findings = check_analysis(risks)
    assert findings == [Finding(f"missing_{rating}_reason", WARNING, {"code": "R1"})]


@pytest.mark.parametrize("value", [0, 6])
def test_rating_off_the_scale_is_an_error_with_the_value(value: int) -> None:
    risks = rated([(value, 3)])
    assert check_analysis(risks) == [
        Finding("rating_out_of_range", ERROR, {"code": "R1", "value": value})
    ]


def test_unnamed_risk_is_identified_by_row_in_the_analysis() -> None:
    risks = rated([(4, 4), (None, 2)])
    risks[1] = dataclasses.replace(risks[1], code="")
    assert check_analysis(risks) == [Finding("missing_likelihood", ERROR, {"code": "#2"})]


def test_sixty_percent_identical_ratings_ask_for_discussion() -> None:
    findings = check_analysis(rated([(3, 3), (3, 3), (3, 3), (4, 2), (2, 5)]))
    assert findings == [
        Finding("ratings_identical", WARNING, {"share": 0.6, "likelihood": 3, "impact": 3})
    ]


def test_just_below_sixty_percent_identical_is_fine() -> None:
    risks = rated([(3, 3), (3, 3), (3, 3), (3, 3), (4, 2), (2, 5), (1, 4)])  # 4 of 7
    assert "ratings_identical" not in codes(check_analysis(risks))


def test_identical_ratings_need_at_least_four_rated_risks() -> None:
    three_alike = rated([(3, 3), (3, 3), (3, 3)])
    assert "ratings_identical" not in codes(check_analysis(three_alike))
    four_alike = rated([(3, 3), (3, 3), (3, 3), (3, 3)])
    assert only(check_analysis(four_alike), "ratings_identical").params["share"] == 1.0


def test_unrated_risks_do_not_count_towards_identical_ratings() -> None:
    risks = rated([(3, 3), (3, 3), (3, 3), (None, 3), (None, None)])
    assert "ratings_identical" not in codes(check_analysis(risks))


def test_analysis_ok_counts_risks_per_level() -> None:
    # 4x4=16 extreme, 5x5=25 extreme, 3x4=12 high, 2x3=6 medium, 1x4=4 low
    findings = check_analysis(rated([(4, 4), (5, 5), (3, 4), (2, 3), (1, 4)]))
    assert findings == [
        Finding("analysis_ok", GOOD, {"extreme": 2, "high": 1, "medium": 1, "low": 1})
    ]


def test_analysis_ok_only_when_nothing_else_was_found() -> None:
    risks = rated([(4, 4), (3, 4)])
    risks[1] = dataclasses.replace(risks[1], impact_reason="")
    assert "analysis_ok" not in codes(check_analysis(risks))


# -- render_finding ---------------------------------------------------------------------

SPANISH_AREAS = {
    "Intellectual property": "Propiedad intelectual",
    "Health and safety": "Salud y seguridad",
}


def english(text: str) -> str:
    return text


def test_english_sentence_names_the_risk() -> None:
    text = render_finding(Finding("missing_cause", ERROR, {"code": "R12"}), english)
    assert "R12" in text
    assert "cause" in text


def test_sentence_comes_from_the_translated_template() -> None:
    catalog = {MESSAGES["missing_owner"]: "Riesgo {code}: indique un responsable."}

    def spanish(message: str) -> str:
        return catalog.get(message, message)

    text = render_finding(Finding("missing_owner", WARNING, {"code": "R5"}), spanish)
    assert text == "Riesgo R5: indique un responsable."


def test_areas_are_rendered_as_translated_labels() -> None:
    finding = Finding("areas_not_considered", WARNING, {"areas": ["ipr", "health_safety"]})

    def spanish(message: str) -> str:
        return SPANISH_AREAS.get(message, message)

    text = render_finding(finding, spanish)
    assert "Propiedad intelectual, Salud y seguridad" in text
    assert "ipr" not in text
    assert "health_safety" not in text
    assert "Intellectual property, Health and safety" in render_finding(finding, english)


def test_share_is_rendered_as_a_percentage() -> None:
    finding = Finding("ratings_identical", WARNING, {"share": 0.6, "likelihood": 3, "impact": 4})
    text = render_finding(finding, english)
    assert "60%" in text
    assert "0.6" not in text
    assert "likelihood 3 × consequence 4" in text


def test_share_uses_the_given_number_format() -> None:
    finding = Finding("ratings_identical", WARNING, {"share": 2 / 3, "likelihood": 3, "impact": 3})
    text = render_finding(finding, english, functools.partial(format_percent, lang="fr", digits=1))
    assert "66,7" in text


def test_every_finding_the_checks_produce_renders_completely() -> None:
    messy = [
        complete("R1", event="Inspect all containers", owner="", controls=""),
        complete("R1", area="customs", likelihood=0, impact=None),
        complete("", cause="", likelihood_reason="", impact=6),
    ]
    alike = rated([(2, 2)] * 4)
    findings = (
        check_register(messy)
        + check_register(full_register())
        + check_analysis(messy)
        + check_analysis(alike)
        + check_analysis(rated([(4, 4), (1, 1)]))
    )
    seen = set()
    for finding in findings:
        text = render_finding(finding, english)
        assert text and "{" not in text and "}" not in text, text
        seen.add(finding.code)
    assert {"register_ok", "analysis_ok", "ratings_identical", "areas_not_considered"} <= seen
