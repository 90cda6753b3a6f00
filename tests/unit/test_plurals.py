"""Counts read as a sentence in each language: "1 factor", "2 factors", never "factor(s)".

Messages with a count are Plural pairs (rmdesk.i18n.Nn_) looked up with ngettext in the
catalog of the translate function the caller passes, so a French report has French plurals
whatever language the screen shows.
"""

from __future__ import annotations

import re

import pytest

from rmdesk.content.problems import PackProblem
from rmdesk.domain.checks import GOOD, Finding
from rmdesk.domain.context_scan import render_context_finding
from rmdesk.domain.evaluation import render_evaluation_finding
from rmdesk.domain.regional_project import render_project_finding
from rmdesk.domain.treatment import render_treatment_finding
from rmdesk.i18n import LANGUAGES, gettext_for, translate_message
from rmdesk.i18n.extract import POT

# "factor(s)", "facteur(s)", "área(s)", "inconnu(e)s", "factor(es)": a plural left to the reader.
LEFT_TO_READER = re.compile(r"\w\((s|es|e|x|as|os|e\)s)\)")

FINDINGS = [
    (render_context_finding, Finding("pestle_too_few", "error",
                                     {"cell": "political", "count": 1, "minimum": 3})),
    (render_project_finding, Finding("too_few_milestones", "error",
                                     {"count": 1, "minimum": 4, "maximum": 12})),
    (render_treatment_finding, Finding("plan_ok", GOOD, {"count": 1, "before": 20,
                                                          "after": 8})),
    (render_evaluation_finding, Finding("evaluation_ok", GOOD, {
        "count": 1, "treat": 0, "accept": 1, "above": 0})),
]


def test_no_message_leaves_a_plural_to_the_reader() -> None:
    text = POT.read_text(encoding="utf-8")
    for folder in POT.parent.glob("*/LC_MESSAGES/rmdesk.po"):
        text += folder.read_text(encoding="utf-8")
    assert not LEFT_TO_READER.findall(text)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("render", "finding"), FINDINGS)
def test_one_and_two_read_differently(lang: str, render, finding: Finding) -> None:
    tr = gettext_for(lang)
    one = render(finding, tr)
    many = render(Finding(finding.code, finding.severity,
                          {k: (2 if v == 1 else v) for k, v in finding.params.items()}), tr)
    assert "{" not in one and "{" not in many
    assert not LEFT_TO_READER.search(one + many)
    assert one != many.replace("2", "1")  # the words change with the count, not only the digit


@pytest.mark.parametrize(("lang", "one", "many"), [
    ("en", "1 accepted", "2 accepted"), ("fr", "1 accepté ", "2 acceptés"),
    ("es", "1 aceptado", "2 aceptados"), ("pt_BR", "1 aceito", "2 aceitos")])
def test_e4_summary_agrees_with_each_count(lang: str, one: str, many: str) -> None:
    tr = gettext_for(lang)
    text = render_evaluation_finding(Finding("evaluation_ok", GOOD, {
        "count": 3, "treat": 1, "accept": 1, "above": 1}), tr)
    assert one in text
    text = render_evaluation_finding(Finding("evaluation_ok", GOOD, {
        "count": 4, "treat": 1, "accept": 2, "above": 1}), tr)
    assert many in text


def test_a_report_in_french_has_french_plurals_whatever_the_screen_shows() -> None:
    # The UI language stays English here; the report passes French's gettext.
    finding = Finding("pestle_too_few", "error", {"cell": "legal", "count": 2, "minimum": 3})
    assert "2 facteurs" in render_context_finding(finding, gettext_for("fr"))
    assert "2 factors" in render_context_finding(finding, gettext_for("en"))


def test_pack_problems_count_the_unknown_values() -> None:
    tr = gettext_for("fr")
    one = PackProblem("p.toml", 3, "pack.languages", "unknown_languages",
                      {"value": "de", "choices": "en, fr", "count": 1, "found": "'de'"})
    two = PackProblem("p.toml", 3, "pack.languages", "unknown_languages",
                      {"value": "de, it", "choices": "en, fr", "count": 2, "found": "x"})
    assert one.message(tr).startswith("langue inconnue")
    assert two.message(tr).startswith("langues inconnues")


def test_a_plural_without_a_count_takes_the_plural_form() -> None:
    from rmdesk.content.problems import PROBLEM_MESSAGES

    assert translate_message(PROBLEM_MESSAGES["unknown_area"], gettext_for("en"),
                             None).startswith("unknown risk areas")
