"""E6 feedback: precision and recall against the facilitator's key, and mapping checks."""

from __future__ import annotations

from rmdesk.domain.checks import ERROR, GOOD, WARNING
from rmdesk.domain.indicators import (
    IndicatorPick,
    KeyEntry,
    check_indicator_selection,
    render_indicator_finding,
)

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
    from rmdesk.content.pack import builtin_pack

    bank = builtin_pack().indicators
    assert len(bank) >= 20
    key = [KeyEntry(i.id, i.relevant) for i in bank]
    picks = [IndicatorPick(i.id, i.field, i.phase, "as in the key") for i in bank if i.relevant]
    findings = check_indicator_selection(picks, key)
    assert [(f.code, f.severity) for f in findings] == [("precision_recall", GOOD)]
    assert findings[0].params["precision"] == findings[0].params["recall"] == 1.0
