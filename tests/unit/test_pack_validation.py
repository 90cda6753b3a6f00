"""A set of broken packs: each is refused with messages naming the file, the line, the
field and what is wrong, all of them at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.pack_files import ALL

from rmdesk.content.loader import parse_pack
from rmdesk.content.pack import load_pack
from rmdesk.content.problems import PackError, PackProblem
from rmdesk.errors import RmdeskError
from rmdesk.i18n import gettext_for

# Line numbers matter below: keep this text as it is.
BASE = f"""\
[pack]
id = "test-pack"
version = "1.0"
languages = ["en", "es", "pt_BR", "fr"]
title = {ALL}

[case]
title = {ALL}
summary = {ALL}

[[case.sections]]
heading = {ALL}
body = {ALL}

[[case.facts]]
label = {ALL}
value = 12

[[exercises]]
id = "e2"
kind = "register_analysis"
title = {ALL}
instructions = {ALL}

[[exercises]]
id = "e4"
kind = "evaluation"
title = {ALL}
instructions = {ALL}
appetite = {{ statement = {ALL}, max_accepted_score = 9 }}

[[exercises]]
id = "e12"
kind = "maturity"
title = {ALL}
instructions = {ALL}

[[exercises.dimensions]]
id = "d1"
name = {ALL}
levels = [{ALL}, {ALL}, {ALL}, {ALL}, {ALL}]

[[indicators]]
id = "I1"
text = {ALL}
field = "origin"
phase = "pre_arrival"
relevant = true
"""
LINE = {text: n for n, text in enumerate(BASE.splitlines(), start=1)}


def english(problem: PackProblem) -> str:
    return problem.render(lambda s: s)


def problems_of(text: str, file: str = "broken.toml") -> list[str]:
    with pytest.raises(PackError) as info:
        parse_pack(text.encode("utf-8"), file)
    assert info.value.code == "pack_invalid"
    return [english(p) for p in info.value.problems]


def replace(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_the_base_pack_is_valid() -> None:
    pack = parse_pack(BASE.encode("utf-8"), "base.toml")
    assert [e.id for e in pack.exercises] == ["e2", "e4", "e12"]
    assert pack.exercise("evaluation").appetite.max_accepted_score == 9


def test_missing_language() -> None:
    text = replace('id = "e4"\nkind = "evaluation"\ntitle = ' + ALL,
                   'id = "e4"\nkind = "evaluation"\ntitle = { en = "E", es = "S", fr = "F" }')
    assert problems_of(text) == [
        "broken.toml:28: exercises[1].title: missing 'pt_BR' (the pack declares this language)"]


def test_missing_language_in_a_table_header_and_an_empty_text() -> None:
    text = replace(f"[case]\ntitle = {ALL}\nsummary = {ALL}\n",
                   f'[case]\nsummary = {ALL}\n\n[case.title]\nen = "E"\nes = " "\nfr = "F"\n')
    assert problems_of(text) == [
        "broken.toml:10: case.title: missing 'es' (the pack declares this language)",
        "broken.toml:10: case.title: missing 'pt_BR' (the pack declares this language)"]


def test_unknown_kind() -> None:
    text = replace('kind = "maturity"', 'kind = "maturty"')
    (problem,) = problems_of(text)
    assert problem.startswith(
        'broken.toml:34: exercises[2].kind: unknown exercise kind "maturty"; use one of: ')
    assert "maturity" in problem


def test_toml_syntax_error() -> None:
    text = replace('version = "1.0"', 'version = "1.0')
    (problem,) = problems_of(text)
    assert problem.startswith("broken.toml:3: TOML syntax error: ")
    assert "line 3" in problem


def test_wrong_types() -> None:
    text = replace("value = 12", 'value = "twelve"')
    text = replace("max_accepted_score = 9", "max_accepted_score = 9.5", text)
    text = replace("relevant = true", 'relevant = "yes"', text)
    assert problems_of(text) == [
        'broken.toml:17: case.facts[0].value: must be a number, not "twelve"',
        "broken.toml:30: exercises[1].appetite.max_accepted_score: "
        "must be a whole number, not 9.5",
        'broken.toml:48: indicators[0].relevant: must be true or false, not "yes"',
    ]


def test_a_plain_string_where_languages_are_expected() -> None:
    text = replace("summary = " + ALL, 'summary = "Just English"')
    assert problems_of(text) == [
        "broken.toml:9: case.summary: must be a table with one text per language "
        '(en, es, pt_BR, fr), not "Just English"']


def test_out_of_range_number() -> None:
    text = replace("max_accepted_score = 9", "max_accepted_score = 30")
    assert problems_of(text) == [
        "broken.toml:30: exercises[1].appetite.max_accepted_score: must be at most 25, not 30"]


def test_duplicate_ids() -> None:
    text = replace('id = "e12"', 'id = "e2"')
    text += '\n[[indicators]]\nid = "I1"\ntext = ' + ALL
    text += '\nfield = "origin"\nphase = "arrival"\nrelevant = false\n'
    assert problems_of(text) == [
        'broken.toml:33: exercises[2].id: the id "e2" is already used by exercises[0]',
        'broken.toml:51: indicators[1].id: the id "I1" is already used by indicators[0]',
    ]


def test_duplicate_dimension_ids() -> None:
    text = BASE + '\n[[exercises.dimensions]]\nid = "d1"\nname = ' + ALL
    text += f"\nlevels = [{ALL}, {ALL}, {ALL}, {ALL}, {ALL}]\n"  # still the last exercise's
    problems = problems_of(text)
    assert problems == [
        'broken.toml:51: exercises[2].dimensions[1].id: the id "d1" is already used by '
        "exercises[2].dimensions[0]"]


def test_unknown_key() -> None:
    text = replace('kind = "register_analysis"', 'kind = "register_analysis"\ncolour = "red"')
    assert problems_of(text) == [
        "broken.toml:22: exercises[0].colour: unknown key (not part of the content-pack "
        "format: check its spelling and the table it is in)"]


def test_unknown_language_inside_a_text() -> None:
    text = replace("heading = " + ALL, 'heading = { en = "E", es = "S", pt_BR = "P", fr = "F", '
                   'de = "D" }')
    assert problems_of(text) == [
        "broken.toml:12: case.sections[0].heading.de: unknown key (not part of the "
        "content-pack format: check its spelling and the table it is in)"]


def test_missing_required_fields() -> None:
    text = replace('id = "e2"\n', "")
    text = replace("[[case.sections]]\nheading = " + ALL + "\n", "[[case.sections]]\n", text)
    assert problems_of(text) == [
        "broken.toml:11: case.sections[0].heading: required, but not given",
        "broken.toml:18: exercises[0].id: required, but not given",
    ]


def test_parameters_an_exercise_kind_needs() -> None:
    text = replace(f"appetite = {{ statement = {ALL}, max_accepted_score = 9 }}\n", "")
    dimension = f'[[exercises.dimensions]]\nid = "d1"\nname = {ALL}\nlevels = [{ALL}, {ALL}, '
    dimension += f"{ALL}, {ALL}, {ALL}]\n"
    text = replace(dimension, "dimensions = []\n", text)
    assert problems_of(text) == [
        "broken.toml:25: exercises[1].appetite: required for an exercise of kind “evaluation”",
        "broken.toml:37: exercises[2].dimensions: needs at least one entry for an exercise "
        "of kind “maturity”",
    ]


def test_maturity_dimension_needs_five_levels() -> None:
    text = replace(f"levels = [{ALL}, {ALL}, {ALL}, {ALL}, {ALL}]", f"levels = [{ALL}, {ALL}]")
    assert problems_of(text) == [
        "broken.toml:41: exercises[2].dimensions[0].levels: needs at least 5 entries, has 2"]


def test_pack_meta_problems() -> None:
    text = replace('id = "test-pack"', 'id = "test pack/1"')
    text = replace('languages = ["en", "es", "pt_BR", "fr"]', 'languages = ["fr", "de"]', text)
    problems = problems_of(text)
    assert problems[0] == ('broken.toml:2: pack.id: may contain only letters, digits, “.”, “_” '
                           'and “-”, not "test pack/1"')
    assert problems[1] == ("broken.toml:4: pack.languages: unknown language: de; use any "
                           "of: en, es, pt_BR, fr")
    assert len(problems) == 2  # texts are then checked against the known languages only


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(BASE.replace('"S"', '"Análisis"', 1).encode("latin-1"))
    with pytest.raises(PackError) as info:
        load_pack(path)
    assert [english(p) for p in info.value.problems] == [
        f"{path}:5: the file is not UTF-8 text: save it as UTF-8 in your editor"]


def test_a_byte_order_mark_is_accepted() -> None:
    assert parse_pack(b"\xef\xbb\xbf" + BASE.encode("utf-8"), "bom.toml").pack.id == "test-pack"


def test_file_missing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(PackError) as info:
        load_pack(path)
    error = info.value
    assert isinstance(error, RmdeskError) and error.code == "pack_unreadable"
    assert str(path) in str(error) and "No such file" in str(error)
    assert [p.code for p in error.problems] == ["unreadable"]


def test_every_fault_is_reported_at_once_in_line_order() -> None:
    text = replace('kind = "maturity"', 'kind = "maturty"')
    text = replace("value = 12", "value = true", text)
    text = replace("pt_BR = \"P\", fr = \"F\" }\n\n[case]", "fr = \"F\" }\n\n[case]", text)
    problems = problems_of(text)
    assert [p.split(":")[1] for p in problems] == ["5", "17", "34"]
    assert "pack.title: missing 'pt_BR'" in problems[0]


def test_the_whole_error_renders_in_the_requested_language() -> None:
    text = replace("value = 12", 'value = "twelve"')
    with pytest.raises(PackError) as info:
        parse_pack(text.encode("utf-8"), "broken.toml")
    rendered = info.value.render(gettext_for("en"))
    assert rendered.splitlines() == [
        "The content pack broken.toml is not valid:",
        '  broken.toml:17: case.facts[0].value: must be a number, not "twelve"',
    ]
    spanish = info.value.render(gettext_for("es"))
    assert "broken.toml:17: case.facts[0].value: " in spanish


def test_a_long_value_is_shortened_in_the_message() -> None:
    text = replace('kind = "maturity"', 'kind = "' + "x" * 100 + '"')
    (problem,) = problems_of(text)
    assert '"' + "x" * 39 + '…"' in problem


def test_model_work_is_validated_with_lines() -> None:
    text = BASE + f"""
[[model_work.e2]]
code = "R1"
event = {{ en = "E", es = "S", fr = "F" }}

[model_work.e4]
order = ["R1", "R9"]

[model_work.e4.decisions.R1]
decision = "treat"
reason = {ALL}

[model_work.e12]
ratings = {{}}

[model_work.e99]
x = 1

[[examples.e2]]
field = "colour"
text = "x"
"""
    found = problems_of(text)
    assert any("model_work.e2[0].event" in p and "missing 'pt_BR'" in p for p in found)
    assert any("model_work.e4.order[1]" in p and "“R9”" in p for p in found)
    assert any("model_work.e99" in p and "e2, e4, e12" in p for p in found)
    assert any("examples.e2[0].field" in p and "event" in p for p in found)
    assert all(":" in p.split(" ")[0] for p in found)  # every problem has its line
    assert not any("model_work.e12" in p for p in found)


def test_model_work_needs_a_list_for_a_register_and_known_appetite_areas() -> None:
    text = replace("max_accepted_score = 9 }", "max_accepted_score = 9, "
                   "no_severe_areas = [\"space\"] }") + """
[model_work.e2]
code = "R1"
"""
    found = problems_of(text)
    assert any("model_work.e2" in p and "list" in p for p in found)
    assert any("no_severe_areas" in p and "space" in p for p in found)


def test_tolerances_by_area_name_known_areas_and_scores_from_1_to_25() -> None:
    found = problems_of(replace("max_accepted_score = 9 }", "max_accepted_score = 9, "
                                "area_max_scores = { health_safety = 4, space = 6 } }"))
    assert any("area_max_scores" in p and "space" in p for p in found), found
    found = problems_of(replace("max_accepted_score = 9 }", "max_accepted_score = 9, "
                                "area_max_scores = { revenue = 30 } }"))
    assert any("area_max_scores.revenue" in p and "at most 25" in p for p in found), found
    good = replace("max_accepted_score = 9 }", "max_accepted_score = 9, "
                   "area_max_scores = { health_safety = 4, revenue = 12 } }")
    pack = parse_pack(good.encode("utf-8"), "good.toml")
    assert pack.exercise("evaluation").appetite.area_max_scores == {
        "health_safety": 4, "revenue": 12}


# -- E6-E9 rules as data ------------------------------------------------------------------

TARGETING = f"""
[[exercises]]
id = "e7"
kind = "profile"
title = {ALL}
instructions = {ALL}
profile_rules = {{ max_declaration_share = 0.05, review_within_months = 6 }}

[[exercises.figures]]
measure = "hit_rate"
indicator = "I1"
value = 0.5
texts = ["model_answer"]

[[exercises]]
id = "e9"
kind = "tuning"
title = {ALL}
instructions = {ALL}

[exercises.tuning_rules]
yearly_declarations = 412000
capacity = 1400000
per_declaration = {{ red = 10, yellow = 3 }}
"""
WITH_RULES = replace('relevant = true\n', 'relevant = true\nrule = { op = "eq", field = '
                     '"origin", value = "CN" }\n', BASE.replace("\n[[indicators]]",
                                                                 TARGETING + "\n[[indicators]]"))


def test_targeting_rules_load_with_their_defaults() -> None:
    pack = parse_pack(WITH_RULES.encode("utf-8"), "rules.toml")
    assert pack.exercise("profile").profile_limits().review_within_months == 6
    plan = pack.exercise("tuning").plan_rules()
    assert plan.capacity == 1_400_000 and plan.items_per_declaration == 2.0
    assert plan.per_declaration == {"red": 10, "yellow": 3}
    assert pack.indicators[0].data_elements() == {"origin"}
    # Absent tables: the built-in pack's rules.
    base = parse_pack(BASE.encode("utf-8"), "base.toml")
    assert base.exercises[0].plan_rules().yearly_declarations == 412_000


def test_broken_targeting_rules_are_named() -> None:
    text = replace("max_declaration_share = 0.05", "max_declaration_share = 5", WITH_RULES)
    text = replace("capacity = 1400000", "capacity = -1", text)
    text = replace("per_declaration = { red = 10, yellow = 3 }",
                   "per_declaration = { purple = 10 }", text)
    text = replace('rule = { op = "eq", field = "origin", value = "CN" }',
                   'rule = { op = "eq", field = "hs_code", value = "CN" }', text)
    text = replace('indicator = "I1"', 'indicator = "I9"', text)
    found = problems_of(text)
    assert any("profile_rules.max_declaration_share: must be at most 1" in p for p in found)
    assert any("tuning_rules.capacity" in p for p in found)
    assert any("tuning_rules.per_declaration.purple" in p for p in found)
    assert any("indicators[0]: the rule does not read the indicator's field “origin”" in p
               for p in found)
    assert any("figures[0].indicator: no indicator \"I9\" with a rule" in p for p in found)


def test_figure_rule_sets_must_exist_and_run() -> None:
    text = replace('indicator = "I1"', 'rule_set = "model"', WITH_RULES)
    assert problems_of(text) == [
        'broken.toml:52: exercises[3].figures[0].rule_set: no rule set "model" in the '
        "figure_rules of the pack's exercises"]
    text = replace('texts = ["model_answer"]\n', 'texts = ["model_answer"]\n\n'
                   '[exercises.figure_rules.model]\ncriteria = [{ name = "x", lane = "red", '
                   'condition = { op = "eq", field = "colour", value = "CN" } }]\n', text)
    (problem,) = problems_of(text)
    assert "figure_rules.model: the rule cannot run: " in problem and "unknown_field" in problem


def test_an_indicator_rule_that_cannot_run_is_refused() -> None:
    text = replace('rule = { op = "eq", field = "origin", value = "CN" }',
                   'rule = { op = "and", items = [{ op = "eq", field = "origin" }, '
                   '{ op = "eq", field = "outcome", value = "x" }] }', WITH_RULES)
    (problem,) = problems_of(text)
    assert "indicators[0].rule: the rule cannot run: " in problem
    text = replace('rule = { op = "eq", field = "origin", value = "CN" }',
                   'rule = { op = "eq", field = "origin", value = "CN" }\n'
                   'also_tests = ["non_compliant"]', WITH_RULES)
    (problem,) = problems_of(text)
    assert 'indicators[0].also_tests' in problem and "unknown declaration data field" in problem


def test_model_profiles_whose_logic_cannot_run_are_named() -> None:
    """E7's model profiles and those an E8 run adds are filled into a group: logic that
    cannot run is refused with the pack, where it is, not half-way through a fill."""
    text = replace('id = "e9"\nkind = "tuning"', 'id = "e8"\nkind = "targeting"\ntitle = '
                   f'{ALL}\ninstructions = {ALL}\n\n[[exercises]]\nid = "e9"\nkind = "tuning"',
                   WITH_RULES) + """
[[model_work.e7]]
title = "P1"
lane = "red"
[[model_work.e7.conditions]]
field = "hs_code"
op = "starts_with_any"
value = " ; "

[[model_work.e7]]
title = "P2"
lane = "red"
[[model_work.e7.conditions]]
field = "hs_code"
op = "contains_any"
value = "8703; 64"

[[model_work.e8]]
random_rates = { red = 0.01 }
[[model_work.e8.profiles]]
title = "P3"
lane = "blue"
[[model_work.e8.profiles.criteria]]
name = "Score"
lane = "blue"
condition = { op = "lt", field = "importer_compliance", value = "low" }
"""
    found = [p for p in problems_of(text) if "model_work" in p]
    assert len(found) == 2, found
    assert "model_work.e7[0]: the rule cannot run" in found[0] and "empty_list" in found[0]
    assert "model_work.e8[0].profiles[0]: the rule cannot run" in found[1]
    assert "value_not_number" in found[1]
