"""E15 intelligence cycle and a targeting centre: the model answer passes its checks in
every language, the profile's figures the pack quotes are the engine's, and the checks
hold as properties over any grading, any basis and any shifts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.checks import ERROR, WARNING
from rmdesk.domain.criteria import render_issue
from rmdesk.domain.intelligence import (
    CENTRE_FUNCTIONS,
    INFO_GRADES,
    MESSAGES,
    SOURCE_GRADES,
    Grading,
    IntelligenceWork,
    ItemKey,
    check_intelligence,
    covered_minutes,
    grade_distance,
    item_ids,
    parse_time,
    renderer,
    run_profile,
)
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_number, format_percent
from rmdesk.services.intelligence import item_keys
from rmdesk.services.targeting import builtin_table

PACK = builtin_pack()
EXERCISE = PACK.exercise("intelligence")
WORKSHOP_END = dt.date(2026, 3, 13)  # the demo workshop's last day
assert EXERCISE is not None


def model(lang: str) -> IntelligenceWork:
    return IntelligenceWork.from_dict(PACK.model_work_for(EXERCISE.id, lang))


def check(work: IntelligenceWork, day: dt.date | None = WORKSHOP_END,
          run: object = "run") -> list:
    if run == "run":
        run = run_profile(work.profile, builtin_table)
    return check_intelligence(work, item_keys(EXERCISE), run,  # type: ignore[arg-type]
                              lambda issue: render_issue(issue, str), day)


def problems(findings: list) -> list[str]:
    return [f.code for f in findings if f.severity in (ERROR, WARNING)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_answer_passes_every_check(lang: str) -> None:
    work = model(lang)
    findings = check(work)
    assert problems(findings) == []
    assert {"grades_ok", "profile_hits", "centre_ok"} <= {f.code for f in findings}
    # and every message renders in the language, with the numbers as it writes them
    render = renderer(lang, gettext_for(lang))
    texts = [render(f) for f in findings]
    assert format_number(9674, lang) in " ".join(texts)


def test_the_pack_gives_15_to_25_items_with_a_grade_for_each() -> None:
    items = EXERCISE.intel_items
    assert 15 <= len(items) <= 25
    assert len({i.id for i in items}) == len(items)
    assert all(i.expected_source in SOURCE_GRADES and i.expected_info in INFO_GRADES
               for i in items)
    # mixed reliability: some items of every source grade, and some that cannot be used alone
    assert {i.expected_source for i in items} >= {"A", "B", "D"}
    assert sum(i.expected_info == "4" for i in items) >= 2


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_model_answer_explains_every_one_step_tolerance(lang: str) -> None:
    """Feedback never contradicts the model answer: a grade one step away is accepted only
    where the model answer's prose names the item and the other reading."""
    prose = EXERCISE.model_answer.get(lang)
    grades = model(lang).gradings
    for item in EXERCISE.intel_items:
        assert grades[item.id].code() == f"{item.expected_source}{item.expected_info}"
        if item.one_step_ok:
            assert item.id in prose, (item.id, lang)
    # the items graded D4 are named as such in the prose, and the profile avoids them
    low = [i.id for i in EXERCISE.intel_items if i.expected_info == "4"]
    assert all(i in prose for i in low)
    assert not set(low) & set(item_ids(model(lang).profile.based_on))


def test_the_profile_figures_the_pack_quotes_are_the_engines() -> None:
    run = run_profile(model("en").profile, builtin_table)
    assert run is not None and not run.issues
    quoted = {f.measure: f.value for f in EXERCISE.figures}
    assert run.selected_declarations == quoted["selected_declarations"]
    assert run.selected_items == quoted["selected_items"]
    assert round(run.hit_rate, 2) == quoted["hit_rate"]
    for lang in LANGUAGES:
        for text in (EXERCISE.model_answer.get(lang), EXERCISE.facilitator_notes.get(lang)):
            flat = " ".join(text.split()).replace("\u00a0", " ").replace("\u202f", " ")
            assert f" {run.selected_declarations} " in flat
            assert f"({run.selected_items} " in flat
            percent = format_percent(round(run.hit_rate, 2), lang).replace(
                "\u00a0", " ").replace("\u202f", " ")
            assert percent in flat, (lang, percent)
        # the hits themselves: the model answer's "24 of those items"
        assert re.search(rf"\b{run.hits}\b", EXERCISE.model_answer.get(lang)), lang


def test_the_profile_runs_in_every_language_alike() -> None:
    """Typed values are read as the group's language writes them; this profile has none,
    so every language selects the same declarations."""
    counts = {(r.selected_declarations, r.selected_items, r.hits)
              for r in (run_profile(model(lang).profile, builtin_table, lang)
                        for lang in LANGUAGES) if r}
    assert len(counts) == 1


def test_a_review_date_not_after_the_workshop_is_refused() -> None:
    work = model("en")
    work.profile.review_date = "2026-03-13"
    work.profile.activation_date = "2026-03-01"
    assert "profile_review_before_workshop" in problems(check(work))
    assert "profile_review_before_workshop" not in problems(check(work, day=None))
    work.profile.review_date = "2026-03-14"
    assert "profile_review_before_workshop" not in problems(check(work))


def test_a_profile_that_cannot_run_names_the_problem() -> None:
    work = model("en")
    work.profile.conditions[0].field = "offence"  # the hidden outcome
    findings = check(work)
    assert "profile_cannot_run" in problems(findings)
    message = renderer("en", str)(next(f for f in findings
                                       if f.code == "profile_cannot_run"))
    assert "hides" in message
    work.profile.conditions = []
    assert "profile_no_conditions" in problems(check(work))


def test_a_profile_selecting_too_much_is_flagged() -> None:
    work = model("en")
    del work.profile.conditions[1:]
    work.profile.conditions[0].field, work.profile.conditions[0].value = "transport_mode", "sea"
    assert "profile_selects_too_much" in problems(check(work))


# -- properties --------------------------------------------------------------------------
GRADES = st.tuples(st.sampled_from(["", *SOURCE_GRADES]), st.sampled_from(["", *INFO_GRADES]))
IDS = [i.id for i in EXERCISE.intel_items]


@settings(max_examples=60, deadline=None)
@given(st.lists(GRADES, min_size=len(IDS), max_size=len(IDS)))
def test_grading_feedback_follows_the_distance_to_the_packs_grade(grades: list) -> None:
    work = model("en")
    work.gradings = {i: Grading(s, n) for i, (s, n) in zip(IDS, grades, strict=True)}
    findings = check(work, run=None)
    missing = next((f.params["items"] for f in findings if f.code == "items_not_graded"), [])
    assert missing == [i for i, (s, n) in zip(IDS, grades, strict=True) if not (s and n)]
    far = {f.params["item"] for f in findings if f.code == "grade_far"}
    near = {f.params["item"] for f in findings if f.code == "grade_near"}
    for item in EXERCISE.intel_items:
        given_grade = work.gradings[item.id]
        if not given_grade.complete:
            continue
        steps = grade_distance(given_grade, item.expected_source, item.expected_info)
        assert (item.id in near) == (steps == 1 and item.one_step_ok)
        assert (item.id in far) == (steps > 1 or (steps == 1 and not item.one_step_ok))
    assert ("grades_ok" in {f.code for f in findings}) == (not missing and not far)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(IDS), min_size=1, max_size=5, unique=True),
       st.lists(GRADES, min_size=len(IDS), max_size=len(IDS)))
def test_low_graded_items_never_carry_the_profile_alone(basis: list, grades: list) -> None:
    work = model("en")
    work.gradings = {i: Grading(s, n) for i, (s, n) in zip(IDS, grades, strict=True)}
    work.profile.based_on = ", ".join(basis)
    codes = {f.code for f in check(work, run=None)}
    graded = [work.gradings[i] for i in basis if work.gradings[i].complete]
    alone = bool(graded) and all(g.source in "CD" or g.info == "4" for g in graded)
    assert ("profile_low_basis" in codes) == alone


SHIFT_TIMES = st.tuples(st.integers(0, 23), st.sampled_from([0, 30]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(SHIFT_TIMES, SHIFT_TIMES), min_size=1, max_size=4))
def test_shift_cover_counts_each_minute_of_the_day_once(shifts: list) -> None:
    spans = [(h1 * 60 + m1, h2 * 60 + m2) for (h1, m1), (h2, m2) in shifts]
    covered = covered_minutes(spans)
    assert 0 < covered <= 24 * 60
    minutes = set()
    for start, end in spans:
        if start == end:
            minutes = set(range(24 * 60))
            break
        span = range(start, end) if end > start else [*range(start, 24 * 60), *range(end)]
        minutes |= set(span)
    assert covered == len(minutes)


def test_three_eight_hour_shifts_cover_the_day_and_two_do_not() -> None:
    day = [(parse_time("06:00"), parse_time("14:00")), (parse_time("14h00"), parse_time(
        "22.00")), (parse_time("22:00"), parse_time("06:00"))]
    assert covered_minutes(day) == 24 * 60  # type: ignore[arg-type]
    assert covered_minutes(day[:2]) == 16 * 60  # type: ignore[arg-type]
    assert parse_time("25:00") is None and parse_time("noon") is None


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(["gradings", "collations", "product", "profile",
                                        "centre", "other"]), JSON, max_size=5))
def test_any_stored_answer_loads_and_round_trips(data: dict) -> None:
    work = IntelligenceWork.from_dict(data)
    again = IntelligenceWork.from_dict(work.to_dict())
    assert again.to_dict() == work.to_dict()
    check(work, run=None)  # never raises


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_renders_in_every_language(lang: str) -> None:
    from rmdesk.domain.checks import Finding

    params = {"items": ["S01"], "item": "S01", "given": "B2", "expected": "A1",
              "count": 3, "title": "T", "row": 1, "problems": ["x"], "months": 6,
              "latest": dt.date(2026, 9, 16), "review": dt.date(2026, 3, 1),
              "workshop": WORKSHOP_END, "total": 10, "share": 0.3, "limit": 0.05,
              "hits": 2, "rate": 0.5, "functions": list(CENTRE_FUNCTIONS), "agencies": 2,
              "value": "x", "shift": "Night", "hours": 16, "outputs": 2, "kpis": 2,
              "output": "List", "kpi": "K"}
    render = renderer(lang, gettext_for(lang))
    for code, message in MESSAGES.items():
        names = set(re.findall(r"{(\w+)}", message))
        text = render(Finding(code, "error", {k: params[k] for k in names}))
        assert "{" not in text and text.strip()


def test_items_typed_loosely_are_read_as_ids() -> None:
    assert item_ids("s01, S04;S07  S01") == ["s01", "S04", "S07"]
    work = model("en")
    work.profile.based_on = "s01, s02, x9"  # any case is the report; the rest is quoted
    codes = {f.code: f.params for f in check(work, run=None)}
    assert codes["profile_unknown_basis"]["items"] == ["x9"]
    assert "profile_no_basis" not in codes and "profile_low_basis" not in codes
    assert item_ids("") == []


def test_an_item_key_without_a_stated_grade_is_never_judged() -> None:
    work = model("en")
    work.gradings["S01"] = Grading("D", "4")
    keys = [ItemKey(i.id) for i in EXERCISE.intel_items]
    findings = check_intelligence(work, keys, None, str, None)  # type: ignore[arg-type]
    assert not {"grade_far", "grade_near"} & {f.code for f in findings}


def test_the_packs_e7_rules_apply_to_the_profile_made_here() -> None:
    """A pack that reviews profiles within three months and allows 0.1% of declarations
    holds the E15 profile to that too (the model's six-month review, 0.4% selected)."""
    from rmdesk.domain.profile_logic import ProfileLimits

    work = model("en")
    strict = ProfileLimits(max_declaration_share=0.001, review_within_months=3)
    findings = check_intelligence(work, item_keys(EXERCISE),
                                  run_profile(work.profile, builtin_table), str,
                                  WORKSHOP_END, strict)
    assert {"profile_review_too_late", "profile_selects_too_much"} <= set(problems(findings))
    e7 = PACK.exercise("profile")
    assert problems(check_intelligence(work, item_keys(EXERCISE),
                                       run_profile(work.profile, builtin_table), str,
                                       WORKSHOP_END, e7.profile_limits())) == []
