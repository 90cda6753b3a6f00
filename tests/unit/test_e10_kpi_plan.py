"""E10 KPI plan: the model, formula parsing (never evaluated) and the checks (no Qt)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmdesk.domain.checks import ERROR, GOOD, WARNING
from rmdesk.domain.kpi_plan import (
    MESSAGES,
    Kpi,
    KpiPlan,
    Variable,
    analyse_formula,
    check_kpi_plan,
    parse_number,
    render_kpi_finding,
)


def good_plan() -> KpiPlan:
    return KpiPlan(
        kpis=[
            Kpi("Hit rate", "hits / selected * 100", "Selectivity module", "9,5", "14",
                "monthly", "Risk unit", "below 8 % for two months"),
            Kpi("Detection rate", "(hits) / (hits + missed)", "Post-clearance audit",
                "0.30", "0.45", "quarterly", "Audit", "below 0.25"),
        ],
        variables=[
            Variable("hits", "examinations that found an offence"),
            Variable("selected", "declarations selected for examination"),
            Variable("missed", "offences found later by audit"),
        ],
    )


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_a_complete_plan_is_good() -> None:
    findings = check_kpi_plan(good_plan())
    assert codes(findings) == ["kpi_plan_ok"]
    assert findings[0].severity == GOOD and findings[0].params == {"count": 2}


def test_an_empty_plan_asks_for_kpis() -> None:
    assert codes(check_kpi_plan(KpiPlan())) == ["kpi_plan_empty"]
    assert codes(check_kpi_plan(KpiPlan([Kpi()]))) == ["kpi_plan_empty"]


def test_every_missing_field_is_named() -> None:
    plan = good_plan()
    plan.kpis[0] = Kpi("Hit rate", "hits / selected")
    found = codes(check_kpi_plan(plan))
    for field in ("source", "baseline", "target", "frequency", "owner", "trigger"):
        assert f"kpi_missing_{field}" in found
    plan.kpis[1].name = ""
    assert "kpi_missing_name" in codes(check_kpi_plan(plan))


def test_undefined_variables_are_listed() -> None:
    plan = good_plan()
    plan.kpis[0].formula = "seizures / Selected * 100"  # case does not matter
    finding = next(f for f in check_kpi_plan(plan) if f.code == "formula_undefined")
    assert finding.severity == ERROR
    assert finding.params["names"] == ["seizures"]
    text = render_kpi_finding(finding, lambda s: s)
    assert "“Hit rate”" in text and "“seizures”" in text


def test_formulas_without_any_variable_ask_for_variables() -> None:
    plan = good_plan()
    plan.variables = []
    found = codes(check_kpi_plan(plan))
    assert found[0] == "no_variables"
    assert "formula_undefined" in found


@pytest.mark.parametrize(("formula", "code"), [
    ("hits / selected)", "formula_unbalanced"),
    ("(hits / selected", "formula_unbalanced"),
    ("hits / ", "formula_incomplete"),
    ("hits * ()", "formula_incomplete"),
    ("hits selected", "formula_missing_operator"),
    ("hits / selected; import os", "formula_bad_character"),
    ("__import__('os').system('x')", "formula_bad_character"),
    ("hits ** 2", "formula_incomplete"),
])
def test_formula_syntax_errors(formula: str, code: str) -> None:
    analysis = analyse_formula(formula)
    assert analysis.problem is not None and analysis.problem.code == code


@pytest.mark.parametrize("formula", [
    "hits / selected * 100", "-hits + 2,5 * (selected - 1)", "hits / selected %",
    "((a))", "taxa_de_acerto / número", "42",
])
def test_valid_formulas(formula: str) -> None:
    assert analyse_formula(formula).problem is None


def test_formula_is_never_evaluated(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    def forbidden(*_args: object, **_kw: object) -> None:
        raise AssertionError("eval must not be used")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    assert analyse_formula("a / b * 100").names == ("a", "b")


def test_bad_character_is_reported_with_its_kpi() -> None:
    plan = good_plan()
    plan.kpis[0].formula = "hits / selected ^ 2"
    finding = next(f for f in check_kpi_plan(plan) if f.code == "formula_bad_character")
    assert finding.params == {"kpi": "Hit rate", "char": "^"}
    assert "^" in render_kpi_finding(finding, lambda s: s)


@pytest.mark.parametrize(("lang", "text", "value"), [
    ("en", "12", Decimal(12)), ("en", "12.5", Decimal("12.5")),
    ("en", "12,5", Decimal("12.5")),  # not thousands: a decimal comma typed from habit
    ("en", "1,250", Decimal(1250)), ("es", "1,250", Decimal("1.25")),
    ("es", "1.250", Decimal(1250)), ("fr", "1.250", Decimal(1250)),
    ("pt_BR", "1.250", Decimal(1250)), ("en", "1.250", Decimal("1.25")),
    ("en", "1 250", Decimal(1250)), ("en", "1,250.75", Decimal("1250.75")),
    ("es", "1.250,75", Decimal("1250.75")), ("fr", "1 250,75", Decimal("1250.75")),
    ("pt_BR", "4,2", Decimal("4.2")), ("fr", "4.2", Decimal("4.2")),
    ("en", "8 %", Decimal(8)), ("fr", "14\u00a0%", Decimal(14)),
    ("en", "1,250,000", Decimal(1250000)), ("es", "1.250.000", Decimal(1250000)),
    ("en", "-3", Decimal(-3)), ("fr", "−2,5", Decimal("-2.5")),
])
def test_numbers_as_typed_in_the_language(lang: str, text: str, value: Decimal) -> None:
    assert parse_number(text, lang) == value


@pytest.mark.parametrize("lang", ["en", "es", "pt_BR", "fr"])
@pytest.mark.parametrize("text", ["", "about ten", "10-12", "1,2,3", "%", "n/a", "a12", "/12",
                                  "1.2.3", "1,250.75,5"])
def test_not_numbers(text: str, lang: str) -> None:
    assert parse_number(text, lang) is None


@pytest.mark.parametrize("lang", ["en", "es", "pt_BR", "fr"])
@given(st.integers(-10 ** 9, 10 ** 9), st.integers(0, 3))  # babel shows 3 decimals
def test_a_number_written_in_the_language_reads_back(lang: str, digits: int,
                                                     places: int) -> None:
    from rmdesk.i18n.formatting import format_number

    value = Decimal(digits).scaleb(-places)
    assert parse_number(format_number(value, lang), lang) == value  # 1 250,75 in fr


def test_the_plan_reads_baselines_in_the_language_it_is_checked_in() -> None:
    plan = good_plan()
    plan.kpis[0].baseline, plan.kpis[0].target = "1.250", "1250"
    assert "target_equals_baseline" in codes(check_kpi_plan(plan, "es"))
    assert "target_equals_baseline" not in codes(check_kpi_plan(plan, "en"))


def test_baseline_and_target_must_be_numbers() -> None:
    plan = good_plan()
    plan.kpis[0].baseline = "unknown"
    plan.kpis[1].target = "higher"
    found = {f.code: f for f in check_kpi_plan(plan)}
    assert found["baseline_not_number"].params == {"kpi": "Hit rate", "value": "unknown"}
    assert found["target_not_number"].params == {"kpi": "Detection rate", "value": "higher"}


def test_target_equal_to_baseline_is_a_hint() -> None:
    plan = good_plan()
    plan.kpis[0].baseline, plan.kpis[0].target = "14,0", "14"
    found = check_kpi_plan(plan)
    equal = next(f for f in found if f.code == "target_equals_baseline")
    assert equal.severity == WARNING
    assert "kpi_plan_ok" in codes(found)  # a hint, not an error


def test_variables_are_checked() -> None:
    plan = good_plan()
    plan.variables += [Variable("hits", "again"), Variable("two words", "x"),
                       Variable("", "orphan meaning"), Variable("unused_one", "")]
    found = codes(check_kpi_plan(plan))
    assert "variable_duplicate" in found
    assert "variable_bad_name" in found
    assert "variable_missing_name" in found
    assert "variable_missing_meaning" in found
    assert "variable_unused" in found


def test_round_trip_and_tolerant_loading() -> None:
    plan = good_plan()
    assert KpiPlan.from_dict(plan.to_dict()) == plan
    assert KpiPlan.from_dict(None) == KpiPlan()
    assert KpiPlan.from_dict({"kpis": "nonsense", "variables": [1, None]}) == KpiPlan()
    old = KpiPlan.from_dict({"kpis": [{"name": "Old", "baseline": 12, "frequency": "hourly",
                                       "extra": True}]})
    assert old.kpis[0].name == "Old" and old.kpis[0].baseline == "12"
    assert old.kpis[0].frequency == ""  # unknown key dropped, not kept to crash the UI


def test_every_message_renders() -> None:
    params = {"row": 1, "kpi": "K", "count": 2, "value": "x", "char": "^", "near": "+",
              "left": "a", "right": "b", "names": ["a"], "name": "n"}
    from rmdesk.domain.checks import Finding

    for code in MESSAGES:
        assert render_kpi_finding(Finding(code, ERROR, params), lambda s: s)
