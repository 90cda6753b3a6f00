"""E16 passengers: the generated API/PNR data, the engine shared with declarations, the
data-protection checks, and the figures the pack states."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.checks import ERROR
from rmdesk.domain.criteria import RuleSet
from rmdesk.domain.declaration_gen import generate_declarations
from rmdesk.domain.declarations import CategoryColumn
from rmdesk.domain.passengers import (
    FORBIDDEN_FIELDS,
    PASSENGER_COUNT,
    PassengerWork,
    check_passengers,
    passenger_field_label,
    passenger_table,
    render_passenger_finding,
    run_passengers,
)
from rmdesk.domain.selectivity import compile_ruleset, run_selectivity
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_number, format_percent


def _same(a: object, b: object) -> bool:
    if isinstance(a, CategoryColumn):
        return isinstance(b, CategoryColumn) and a.values == b.values \
            and np.array_equal(a.codes, b.codes)
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)


def test_the_passengers_are_reproducible_and_carry_the_planted_outcomes() -> None:
    table = passenger_table.__wrapped__(PASSENGER_COUNT, 16)  # not the cached one
    again = passenger_table.__wrapped__(PASSENGER_COUNT, 16)
    other = passenger_table.__wrapped__(PASSENGER_COUNT, 17)
    assert len(table) == PASSENGER_COUNT
    assert all(_same(table.columns[k], again.columns[k]) for k in table.columns)
    assert not _same(table.columns["x:payment"], other.columns["x:payment"])
    finding = table.columns["x:finding"]
    assert isinstance(finding, CategoryColumn)
    assert set(finding.values) == {"none", "cash_courier", "drug_courier",
                                   "undeclared_goods"}
    outcome = np.asarray(table.columns["non_compliant"])
    assert np.array_equal(outcome, finding.codes != finding.values.index("none"))
    assert 0.005 < outcome.mean() < 0.05  # rare, as couriers are


def _ruleset(field: str, op: str, value: object, name: str = "P") -> RuleSet:
    return RuleSet.model_validate({"criteria": [{"name": name, "lane": "red", "condition": {
        "op": op, "field": field, "value": value}}]})


@pytest.mark.parametrize(("data", "field", "value"), [
    ("declarations", "origin", "CN"),
    ("passengers", "x:origin", "Kessan"),
])
def test_the_same_engine_runs_on_declarations_and_passengers(
        data: str, field: str, value: str) -> None:
    """compile_ruleset, run_selectivity and the metrics are the same functions for both
    data sets; the figures equal a direct count on the table."""
    table = generate_declarations(5000) if data == "declarations" else passenger_table()
    column = table.columns[field]
    assert isinstance(column, CategoryColumn)
    value = value if value in column.values else column.values[0]
    ruleset = _ruleset(field, "eq", value)
    run = run_selectivity(table, compile_ruleset(ruleset, table.fields()))
    expected = column.codes == column.values.index(value)
    bad = np.asarray(table.columns["non_compliant"])
    assert np.array_equal(run.result.hits[0], expected)
    assert run.metrics.selected == int(expected.sum())
    assert run.metrics.criteria[0].finds == int((expected & bad).sum())
    assert run.metrics.prevalence == pytest.approx(bad.mean())


def test_a_declaration_field_is_not_in_the_passenger_data() -> None:
    work = PassengerWork(ruleset=_ruleset("hs_code", "eq", "8703"))
    problems = [f for f in check_passengers(work) if f.code == "criteria_problem"]
    assert problems and problems[0].severity == ERROR


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("field", sorted(FORBIDDEN_FIELDS))
@pytest.mark.parametrize("nested", [False, True])
def test_a_profile_on_a_protected_field_is_an_error_with_its_reason(
        lang: str, field: str, nested: bool) -> None:
    column = passenger_table().columns[field]
    assert isinstance(column, CategoryColumn)
    test = {"op": "in", "field": field, "value": [column.values[0]]}
    condition = {"op": "and", "items": [
        {"op": "is_true", "field": "x:one_way"}, {"op": "not", "items": [test]}]} \
        if nested else test
    work = PassengerWork.from_dict({"ruleset": {"criteria": [
        {"name": "Seems to work", "lane": "red", "condition": condition}]}})
    found = [f for f in check_passengers(work) if f.code == "forbidden_field"]
    assert [f.severity for f in found] == [ERROR]
    tr = gettext_for(lang)
    message = render_passenger_finding(found[0], tr, lambda v: format_percent(v, lang))
    assert "Seems to work" in message
    assert passenger_field_label(field, tr) in message
    assert tr(FORBIDDEN_FIELDS[field]) in message
    assert all(f.code != "all_good" for f in check_passengers(work))


def test_the_outcome_cannot_be_a_criterion() -> None:
    work = PassengerWork(ruleset=_ruleset("x:finding", "eq", "drug_courier"))
    assert any(f.code == "criteria_problem" for f in check_passengers(work))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_answer_passes_in_every_language(lang: str) -> None:
    work = PassengerWork.from_dict(builtin_pack().model_work_for("e16", lang))
    assert [f.code for f in check_passengers(work)] == ["all_good"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_figures_the_pack_states_are_the_engines(lang: str) -> None:
    pack = builtin_pack()
    exercise = pack.exercise("passenger_targeting")
    assert exercise is not None
    work = PassengerWork.from_dict(pack.model_work_for(exercise.id, lang))
    metrics = run_passengers(work).metrics
    assert metrics.non_compliant is not None and metrics.hit_rate is not None
    text = " ".join(exercise.model_answer.get(lang).split())
    reading = " ".join(work.reading.split())

    def pct(value: float | None) -> str:
        assert value is not None
        return " ".join(format_percent(value, lang, digits=1).split())

    stated = [format_number(metrics.rows, lang), format_number(metrics.non_compliant, lang),
              pct(metrics.prevalence), format_number(metrics.selected, lang),
              pct(metrics.selection_rate), format_number(metrics.confusion.tp, lang)
              if metrics.confusion else "?", pct(metrics.hit_rate),
              pct(metrics.detection_rate), str(round(metrics.lift or 0))]
    for stats in metrics.criteria:
        stated += [format_number(stats.hits, lang), format_number(stats.finds or 0, lang),
                   pct(stats.hit_rate)]
    for figure in stated:
        assert " ".join(figure.split()) in text, (lang, figure)
    for figure in (pct(metrics.selection_rate), pct(metrics.hit_rate),
                   pct(metrics.prevalence), pct(metrics.detection_rate)):
        assert " ".join(figure.split()) in reading, (lang, figure)
    # The counter-example the answer gives: a profile on nationality.
    column = passenger_table().columns["x:nationality"]
    assert isinstance(column, CategoryColumn)
    nationality = run_selectivity(passenger_table(), _ruleset(
        "x:nationality", "in", ["Kessani"])).metrics
    assert pct(nationality.selection_rate) in text and pct(nationality.hit_rate) in text


def test_missing_safeguards_rationales_and_reading_are_reported() -> None:
    work = PassengerWork.from_dict(builtin_pack().model_work_for("e16", "en"))
    work.safeguards["retention"] = " "
    work.rationales = work.rationales[:1]
    work.reading = ""
    codes = [(f.code, f.params.get("safeguard"), f.params.get("profile"))
             for f in check_passengers(work)]
    assert ("safeguard_missing", "retention", None) in codes
    assert ("rationale_missing", None, "Drug courier") in codes
    assert ("reading_missing", None, None) in codes
    assert not any(code == "all_good" for code, _, _ in codes)


def test_a_wide_profile_is_warned_about_the_selection_rate() -> None:
    work = PassengerWork.from_dict(builtin_pack().model_work_for("e16", "en"))
    work.ruleset.criteria[0].condition = work.ruleset.criteria[0].condition.model_validate(
        {"op": "is_false", "field": "x:frequent"})
    codes = {f.code for f in check_passengers(work)}
    assert {"selection_too_high", "no_better_than_random"} <= codes


def test_damaged_work_loads_as_empty_and_is_an_error_not_a_crash() -> None:
    for data in (None, [], {"ruleset": {"criteria": "x"}}, {"rationales": "x"}):
        work = PassengerWork.from_dict(data)
        assert any(f.code == "no_profiles" for f in check_passengers(work))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["ruleset", "criteria", "rationales", "reading", "safeguards",
                         "retention", "name", "lane", "condition", "op", "field"]),
        inner, max_size=4),
    max_leaves=12)


@settings(max_examples=60, deadline=None)
@given(json_values)
def test_any_stored_answer_loads_and_is_checked_without_a_crash(data: object) -> None:
    work = PassengerWork.from_dict(data)
    findings = check_passengers(work)
    assert findings
    assert PassengerWork.from_dict(work.to_dict()).to_dict() == work.to_dict()
