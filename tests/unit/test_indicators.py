"""E6 feedback: precision and recall against the facilitator's key, and mapping checks."""

from __future__ import annotations

import re

import pytest

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.checks import ERROR, GOOD, WARNING
from rmdesk.domain.declaration_fields import FIELD_BY_NAME, VISIBLE_FIELDS
from rmdesk.domain.indicators import (
    IndicatorPick,
    KeyEntry,
    check_indicator_selection,
    key_of,
    render_indicator_finding,
)
from rmdesk.i18n import LANGUAGES, gettext_for

KEY = [KeyEntry("I01", True), KeyEntry("I02", True), KeyEntry("I03", True),
       KeyEntry("I04", True), KeyEntry("I05", False), KeyEntry("I06", False)]


def _pick(i: str, field: str = "unit_value") -> IndicatorPick:
    return IndicatorPick(i, field, "pre_arrival", "seen in the incident log")


def test_precision_and_recall_hand_computed() -> None:
    picks = [_pick("I01"), _pick("I02"), _pick("I05")]
    (summary,) = [f for f in check_indicator_selection(picks, KEY)
                  if f.code == "precision_recall"]
    assert summary.params["right"] == 2 and summary.params["chosen"] == 3
    assert summary.params["precision"] == 2 / 3 and summary.params["recall"] == 2 / 4
    assert summary.severity == WARNING
    text = render_indicator_finding(summary, lambda s: s)
    assert text == ("2 of your 3 indicators are in the facilitator's key (precision 67%); "
                    "you found 2 of its 4 (recall 50%).")


def test_a_good_selection_is_praised() -> None:
    picks = [_pick(i) for i in ("I01", "I02", "I03", "I04")]
    findings = check_indicator_selection(picks, KEY)
    assert [(f.code, f.severity) for f in findings] == [("precision_recall", GOOD)]


def test_mapping_problems_are_named() -> None:
    picks = [IndicatorPick("I01", "", "", ""), IndicatorPick("I02", "non_compliant", "arrival",
                                                              "x"),
             IndicatorPick("I99", "hs_code", "arrival", "x")]
    codes = [(f.code, f.params.get("indicator")) for f in check_indicator_selection(picks, KEY)]
    assert ("field_missing", "I01") in codes
    assert ("phase_missing", "I01") in codes
    assert ("reason_missing", "I01") in codes
    assert ("field_unknown", "I02") in codes  # the hidden outcome is not a data element
    assert ("unknown_indicator", "I99") in codes


def test_nothing_selected() -> None:
    assert [(f.code, f.severity) for f in check_indicator_selection([], KEY)] == [
        ("no_indicators", ERROR)]


def test_builtin_bank_key_and_data_agree() -> None:
    """The pack's E6 key is sound: its relevant indicators' fields exist in the data, and
    a selection equal to the key gets full precision and recall."""
    bank = builtin_pack().indicators
    assert len(bank) >= 20
    key = key_of(bank)
    picks = [IndicatorPick(i.id, i.field, i.phase, "as in the key") for i in bank if i.relevant]
    findings = check_indicator_selection(picks, key)
    assert [(f.code, f.severity) for f in findings] == [("precision_recall", GOOD)]
    assert findings[0].params["precision"] == findings[0].params["recall"] == 1.0


# -- data elements that fit the indicator (the pack's rules) ----------------------------

BANK = builtin_pack().indicators
FIELD_NAMES = sorted(VISIBLE_FIELDS)


@pytest.mark.parametrize("indicator", BANK, ids=lambda i: i.id)
def test_every_data_element_an_indicator_tests_is_accepted_and_no_other(indicator) -> None:
    """For every indicator of the bank and every data element: the check accepts exactly
    the elements the indicator's rule reads (and its own field), in every language's
    rendering, and names the fitting ones when it refuses."""
    key = key_of(BANK)
    fitting = indicator.data_elements()
    assert indicator.field in fitting
    for name in FIELD_NAMES:
        found = check_indicator_selection(
            [IndicatorPick(indicator.id, name, indicator.phase, "reason")], key)
        refused = [f for f in found if f.code == "field_not_fitting"]
        assert bool(refused) is (name not in fitting), (indicator.id, name)
        for lang in LANGUAGES:
            _ = gettext_for(lang)
            for finding in refused:
                assert finding.severity == WARNING
                text = render_indicator_finding(finding, _)
                assert _(FIELD_BY_NAME[name].label) in text
                for element in fitting:
                    assert _(FIELD_BY_NAME[element].label) in text


def test_indicator_rules_read_what_their_text_names() -> None:
    """Spot checks that the rules are the indicators' (I10 reads the reference price,
    I06 the goods and the transport mode, I26 the value as well as the freight)."""
    elements = {i.id: i.data_elements() for i in BANK}
    assert elements["I10"] == {"unit_value", "reference_price"}
    assert elements["I06"] == {"hs_code", "transport_mode"}
    assert elements["I26"] == {"freight", "declared_value"}
    assert elements["I05"] == {"origin"}


def test_the_model_answer_selection_passes() -> None:
    """The E6 model answer lists the key's indicators under the phase headings of the
    bank; entered as a group's work, with each indicator's own data element, it gets no
    warning and full precision and recall."""
    pack = builtin_pack()
    exercise = pack.exercise("indicator_selection")
    assert exercise is not None and exercise.model_answer is not None
    by_id = {i.id: i for i in BANK}
    headings = {"Pre-arrival": "pre_arrival", "Arrival": "arrival",
                "Post-arrival": "post_arrival", "Left out": None}
    phase: str | None = None
    picks = []
    for line in exercise.model_answer.get("en").splitlines():
        heading = next((h for h in headings if line.startswith(h)), None)
        if heading:
            phase = headings[heading]
            continue
        if phase and line.startswith("- I"):
            indicator = by_id[line[2:5]]
            assert indicator.phase == phase, indicator.id  # the answer and the bank agree
            picks.append(IndicatorPick(indicator.id, indicator.field, phase, line[6:]))
    assert {p.indicator_id for p in picks} == {i.id for i in BANK if i.relevant}
    found = check_indicator_selection(picks, key_of(BANK))
    assert [(f.code, f.severity) for f in found] == [("precision_recall", GOOD)]
    for lang in LANGUAGES:  # every language lists the same indicators
        ids = set(re.findall(r"^- (I\d\d)", exercise.model_answer.get(lang), re.M))
        assert {p.indicator_id for p in picks} <= ids, lang
