"""Own columns' names and labels from any header a file may carry: always a safe "x:"
name (never a built-in field's, unique in its data set) and a one-line label that the
data set's description accepts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.domain.declaration_fields import (
    FIELD_BY_NAME,
    MAX_EXTRA_LABEL,
    MAX_EXTRA_SLUG,
    clean_extra_label,
    extra_field,
    extra_label_problem,
    extra_name_for,
    field_label,
    is_extra_name,
)
from rmdesk.services.extra_columns import plan_extra_columns

HEADERS = st.text(min_size=0, max_size=300)


@settings(max_examples=300, deadline=None)
@given(st.lists(HEADERS, min_size=1, max_size=40))
def test_every_header_gets_a_safe_unique_name(headers: list[str]) -> None:
    taken: list[str] = []
    for header in headers:
        name = extra_name_for(header, taken)
        assert is_extra_name(name), (header, name)
        assert name not in FIELD_BY_NAME and name not in taken
        assert len(name) <= 2 + MAX_EXTRA_SLUG
        taken.append(name)


@settings(max_examples=300, deadline=None)
@given(HEADERS)
def test_a_cleaned_label_is_accepted_or_empty(header: str) -> None:
    label = clean_extra_label(header)
    assert len(label) <= MAX_EXTRA_LABEL
    assert "\n" not in label and "\r" not in label
    if label:
        assert extra_label_problem(label) is None
        spec = extra_field(extra_name_for(header), "category", label)
        assert field_label(spec.name, str.upper, {spec.name: spec}) == label  # untranslated
    else:
        assert extra_label_problem(label) == "empty"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60).filter(lambda h: clean_extra_label(h)),
                min_size=1, max_size=12, unique=True))
def test_planned_columns_follow_the_file_and_never_clash(headers: list[str]) -> None:
    file_headers = ["Declaration", "HS code", *headers]
    mapping = {"declaration_no": "Declaration", "hs_code": "HS code"}
    chosen = {h: "number" for h in reversed(headers) if h not in mapping.values()}
    planned = plan_extra_columns(chosen, file_headers, mapping)
    assert [p.header for p in planned] == [h for h in file_headers if h in chosen]
    names = [p.spec.name for p in planned]
    assert len(set(names)) == len(names)
    assert all(is_extra_name(n) for n in names)


def test_a_packs_rules_cannot_test_a_data_sets_own_column() -> None:
    """Indicator rules and figure rule sets run on the built-in declarations."""
    from tests.unit.test_pack_validation import WITH_RULES, problems_of, replace

    text = replace('texts = ["model_answer"]\n', 'texts = ["model_answer"]\n\n'
                   '[exercises.figure_rules.model]\ncriteria = [{ name = "x", lane = "red", '
                   'condition = { op = "eq", field = "x:office", value = "CN" } }]\n',
                   replace('indicator = "I1"', 'rule_set = "model"', WITH_RULES))
    (problem,) = problems_of(text)
    assert "figure_rules.model: the rule cannot run: " in problem
    assert "field_not_in_data" in problem
    text = replace('rule = { op = "eq", field = "origin", value = "CN" }',
                   'rule = { op = "and", items = [{ op = "eq", field = "origin", value = "CN" '
                   '}, { op = "eq", field = "x:office", value = "x" }] }', WITH_RULES)
    assert any("field_not_in_data" in p for p in problems_of(text))
