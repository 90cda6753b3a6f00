"""E7: editor rows become engine criteria and back; the profile checks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rmdesk.domain.criteria import check_ruleset, render_issue
from rmdesk.domain.declaration_fields import VISIBLE_FIELDS
from rmdesk.domain.profile_logic import (
    MAX_DECLARATION_SHARE,
    ConditionRow,
    ProfileLimits,
    ProfileLogic,
    ProfileSummary,
    add_months,
    check_profiles,
    logic_to_ruleset,
    operators_for,
    render_profile_finding,
    ruleset_to_logic,
    yearly_volume,
)

ROWS = [
    ConditionRow(field="hs_code", op="starts_with", value="8703"),
    ConditionRow(field="origin", op="in", value="KS; NL", negate=True),
    ConditionRow(field="gross_weight", op="between", low="100", high="2500,5"),
    ConditionRow(field="", op="unit_value_below_reference", value="40"),
    ConditionRow(field="transhipment", op="is_true"),
]


def test_rows_round_trip_and_values_take_the_field_kind() -> None:
    ruleset = logic_to_ruleset(ProfileLogic("or", ROWS, {"NEW": ["IMP-1"]}), "Cars", "red")
    assert check_ruleset(ruleset, VISIBLE_FIELDS) == []
    condition = ruleset.criteria[0].condition
    assert condition.op == "or"
    assert condition.items[0].value == "8703"  # an HS code stays text
    assert condition.items[1].op == "not" and condition.items[1].items[0].value == ["KS", "NL"]
    assert condition.items[2].min == 100.0 and condition.items[2].max == 2500.5  # comma decimal
    back = ruleset_to_logic(ruleset)
    assert back is not None and back.combinator == "or"
    assert back.rows[1].negate and back.rows[1].value == "KS; NL"
    assert back.rows[2].high == "2500.5"
    assert back.watch_lists == {"NEW": ["IMP-1"]}


def test_text_that_is_not_a_number_is_reported_not_guessed() -> None:
    ruleset = logic_to_ruleset(ProfileLogic("and", [
        ConditionRow(field="declared_value", op="gt", value="about 5000")]), "V", "yellow")
    issues = check_ruleset(ruleset, VISIBLE_FIELDS)
    assert [i.code for i in issues] == ["value_not_number"]


def test_nested_rule_sets_need_the_json_editor() -> None:
    ruleset = logic_to_ruleset(ProfileLogic("and", ROWS[:1]), "A", "red")
    nested = ruleset.model_copy(update={"criteria": [ruleset.criteria[0].model_copy(update={
        "condition": ruleset.criteria[0].condition.model_copy(update={
            "items": [ruleset.criteria[0].condition]})})]})
    assert ruleset_to_logic(nested) is None


def test_operators_fit_the_field() -> None:
    assert "starts_with" in operators_for("hs_code")
    assert "gt" not in operators_for("hs_code")
    assert operators_for("") == ["unit_value_below_reference", "weight_per_unit_outside"]


def summary(**kw: object) -> ProfileSummary:
    fields = {"area": "revenue", "description": "d", "action": "a", "instructions": "i",
              "owner": "o", "effectiveness": "e", "activation_date": dt.date(2026, 3, 1),
              "review_date": dt.date(2026, 9, 1)}
    fields.update(kw.pop("fields", {}))  # type: ignore[arg-type]
    base = {"title": "Cars", "fields": fields, "rows": 2, "issues": [], "selected": 400,
            "total": 20000, "selected_declarations": 300, "declarations": 9674}
    base.update(kw)
    return ProfileSummary(**base)  # type: ignore[arg-type]


def render(findings) -> list[str]:
    return [render_profile_finding(f, lambda s: s, lambda v: f"{v:.1%}") for f in findings]


def test_complete_profile_reports_its_volume() -> None:
    assert render(check_profiles([summary()], str)) == [
        "Profile “Cars” is complete and would select 300 of the 9674 sample declarations "
        "(3.1%; 400 items), about 12800 declarations a year."]


@pytest.mark.parametrize(("review", "flagged"), [
    (dt.date(2026, 8, 31), False), (dt.date(2026, 9, 1), False), (dt.date(2026, 9, 2), True),
    (dt.date(2027, 3, 1), True)])
def test_review_within_the_stated_period(review: dt.date, flagged: bool) -> None:
    found = check_profiles([summary(fields={"review_date": review})], str)
    assert ("profile_review_too_late" in [f.code for f in found]) is flagged
    if flagged:
        assert render(found)[0] == (
            "Profile “Cars”: the review date is more than 6 months after the activation "
            "date; review it by 2026-09-01 at the latest.")
    # A pack that allows a year accepts every one of these.
    assert "profile_review_too_late" not in [f.code for f in check_profiles(
        [summary(fields={"review_date": review})], str, ProfileLimits(review_within_months=12))]


@given(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), st.integers(1, 36))
def test_add_months_lands_in_the_right_month(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and
                                    (later + dt.timedelta(days=1)).day == 1)


@given(st.integers(1, 9674), st.integers(0, 4))
def test_the_selection_limit_counts_declarations_not_items(selected: int,
                                                           extra_items: int) -> None:
    """Items (several per declaration) never decide the warning: declarations do."""
    found = check_profiles([summary(selected_declarations=selected,
                                    selected=selected * (1 + extra_items))], str)
    too_much = "profile_selects_too_much" in [f.code for f in found]
    assert too_much is (selected / 9674 > MAX_DECLARATION_SHARE)


def test_missing_fields_and_dates_out_of_order() -> None:
    texts = render(check_profiles([summary(fields={
        "owner": "", "effectiveness": " ", "review_date": dt.date(2026, 2, 1)})], str))
    assert "Profile “Cars”: fill in the owner, the effectiveness measure." in texts
    assert "Profile “Cars”: the review date must come after the activation date." in texts


def test_logic_problems_and_volume_warnings() -> None:
    ruleset = logic_to_ruleset(ProfileLogic("and", [
        ConditionRow(field="declared_value", op="gt", value="")]), "V", "yellow")
    issues = check_ruleset(ruleset, VISIBLE_FIELDS)
    texts = render(check_profiles([summary(issues=issues, selected=None)],
                                  lambda i: render_issue(i, lambda s: s)))
    assert texts[0].startswith("Profile “Cars”: the logic cannot run yet: ")
    assert render(check_profiles([summary(selected=0, selected_declarations=0)], str)) == [
        "Profile “Cars” selects no declaration of the sample data: are the thresholds too "
        "strict?"]
    assert render(check_profiles([summary(selected=8000, selected_declarations=3870)],
                                 str))[0] == (
        "Profile “Cars” would select 3870 of the 9674 sample declarations (40.0%), about "
        "164800 declarations a year: more than the 5.0% a profile may select, and more "
        "than examiners could cope with. Narrow the conditions.")
    # The limit is the pack's: one that allows half of the declarations accepts it.
    assert check_profiles([summary(selected=8000, selected_declarations=3870)], str,
                          ProfileLimits(max_declaration_share=0.5))[0].code == "profile_ok"
    assert render(check_profiles([], str)) == [
        "No profile yet: add one for a risk your group wants to target."]


@given(st.integers(0, 20000), st.integers(1, 20000))
def test_the_yearly_volume_scales_the_sample(selected: int, sample: int) -> None:
    yearly = yearly_volume(selected, sample, 412_000)
    exact = selected * 412_000 / sample
    assert abs(yearly - exact) <= (50 if exact >= 1000 else 5) + 1e-6
    assert yearly % (100 if yearly >= 1000 else 10) == 0
