"""The built-in E13 agrees with the engine: every figure its model answer and facilitator
notes state about the survey is computed here from the practice declarations and the
model work's design, and found, written the way each language writes numbers, in every
language; the model work passes its own checks in every language."""

from __future__ import annotations

import re

import pytest

from rmdesk.content.exercise_ids import KIND_NUMBERS, exercise_label
from rmdesk.content.pack import builtin_pack
from rmdesk.domain.checks import ERROR, WARNING
from rmdesk.domain.compliance_survey import (
    ComplianceSurvey,
    check_survey,
    design,
    estimate,
    mentions_bias,
)
from rmdesk.domain.figures import compute
from rmdesk.services.compliance_survey import builtin_population, renderer
from rmdesk.services.targeting import builtin_table

PACK = builtin_pack()
EXERCISE = PACK.exercise("compliance_survey")
POP = builtin_population()
SPACES = "[ \u00a0\u202f]"


def survey(lang: str = "en") -> ComplianceSurvey:
    return ComplianceSurvey.from_dict(PACK.model_work_for(EXERCISE.id, lang))


def pattern(value: float, decimals: int, lang: str, percent: bool = False) -> str:
    """`value` as `lang` writes it: 1,703 / 1.703 / 1703 / 1 703; 7.2% / 7,2 %."""
    text = f"{value:,.{decimals}f}"
    whole, _, fraction = text.partition(".")
    groups = whole.split(",")
    number = "[,.\u00a0\u202f ]?".join(groups)
    if fraction:
        number += ("\\." if lang == "en" else ",") + fraction
    tail = f"{SPACES}?%" if percent else "(?![\\d])"
    return f"(?<![\\d.,]){number}{tail}"


def assert_quoted(text: str, value: float, decimals: int, lang: str,
                  percent: bool = False) -> None:
    shown = value * 100 if percent else value
    assert re.search(pattern(shown, decimals, lang, percent), text), (
        f"{shown:.{decimals}f}{'%' if percent else ''} not in the {lang} text")


def test_e13_is_in_the_pack_with_its_number() -> None:
    assert EXERCISE is not None and EXERCISE.id == "e13"
    assert KIND_NUMBERS["compliance_survey"] == (13,)
    assert exercise_label(EXERCISE) == "E13"
    assert EXERCISE is PACK.exercises[-1] or EXERCISE in PACK.exercises


@pytest.mark.parametrize("lang", PACK.pack.languages)
def test_the_model_work_passes_its_checks(lang: str) -> None:
    model = survey(lang)
    found = check_survey(model, POP, 0.4)
    complaints = [renderer(lang)(f) for f in found if f.severity in (ERROR, WARNING)]
    assert not complaints
    assert "survey_ok" in [f.code for f in found]
    assert mentions_bias(model.interpretation)


def test_the_model_work_is_the_design_of_the_model_answer() -> None:
    model = survey()
    planned = design(model, POP)
    assert model.n0 == pytest.approx(planned.n0, abs=0.05)
    assert model.n == planned.n
    assert [s.sample for s in model.strata] == [s.expected_sample for s in planned.strata]


@pytest.mark.parametrize("lang", PACK.pack.languages)
def test_the_model_answer_states_what_the_engine_computes(lang: str) -> None:
    text = EXERCISE.model_answer.get(lang)
    model = survey(lang)
    planned = design(model, POP)
    result = estimate(model, POP)
    assert result is not None
    assert_quoted(text, planned.population, 0, lang)
    assert planned.population == compute(builtin_table(), "declarations")
    for stratum in planned.strata:
        assert_quoted(text, stratum.population, 0, lang)
        assert_quoted(text, stratum.expected_sample, 0, lang)
    assert_quoted(text, planned.n0, 1, lang)
    assert_quoted(text, planned.n0 - 1, 1, lang)
    assert_quoted(text, planned.n, 0, lang)
    assert_quoted(text, planned.z, 2, lang)
    assert_quoted(text, model.seed, 0, lang)
    assert_quoted(text, result.found, 0, lang)
    for stratum in result.strata:
        assert_quoted(text, stratum.found, 0, lang)
        assert_quoted(text, stratum.rate, 1, lang, percent=True)
    for value in (result.rate, result.rate_low, result.rate_high):
        assert_quoted(text, value, 1, lang, percent=True)
    for value in (result.revenue, result.revenue_low, result.revenue_high):
        assert_quoted(text, value / 1e6, 2, lang)
    # "more than five times" the estimate: the E8 model rule set's 40% (a quoted figure)
    assert 5 < 0.4 / result.rate < 6
    # "parcels and air cargo about twice as often non-compliant as sea cargo"
    rates = {s.name: s.rate for s in estimate(survey("en"), POP).strata}  # type: ignore[union-attr]
    assert rates["Parcels"] >= 1.8 * rates["Sea"]
    assert rates["Air"] >= 1.8 * rates["Sea"]


@pytest.mark.parametrize("lang", PACK.pack.languages)
def test_the_facilitator_notes_state_the_hidden_truth(lang: str) -> None:
    text = EXERCISE.facilitator_notes.get(lang)
    result = estimate(survey(lang), POP)
    assert result is not None
    assert_quoted(text, result.true_rate, 1, lang, percent=True)
    assert_quoted(text, result.true_revenue / 1e6, 1, lang)
    assert_quoted(text, result.rate_low, 1, lang, percent=True)
    assert_quoted(text, result.rate_high, 1, lang, percent=True)
    assert any(name in text for name in ("Compendium", "Compendio", "Compêndio", "Recueil"))


def test_the_notes_say_which_interval_covers_the_truth() -> None:
    """The rate's interval covers the hidden rate, the revenue's does not; over many
    draws the revenue's covers far less often than the rate's."""
    model = survey()
    result = estimate(model, POP)
    assert result is not None
    assert result.rate_low <= result.true_rate <= result.rate_high
    assert not result.revenue_low <= result.true_revenue <= result.revenue_high
    rate_hits = revenue_hits = 0
    for seed in range(100):
        model.seed = seed
        draw = estimate(model, POP)
        assert draw is not None
        rate_hits += draw.rate_low <= draw.true_rate <= draw.rate_high
        revenue_hits += draw.revenue_low <= draw.true_revenue <= draw.revenue_high
    assert revenue_hits < rate_hits - 10
