"""E7 in the group output PDF: under the profile cards, the same automatic feedback as
"Check my work", with the selection counts on the built-in sample declarations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from tests.pdf_text import flat, make_report, pdf_text

from rmdesk.content.pack import ContentPack, Exercise, LocalizedText, builtin_pack
from rmdesk.domain.criteria import RuleSet
from rmdesk.domain.profile_logic import (
    CHECKED_FIELDS,
    ConditionRow,
    ProfileLogic,
    check_profiles,
    logic_to_ruleset,
    render_profile_finding,
    summarize_profile,
)
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_date, format_number, format_percent
from rmdesk.services.reports import write_group_pdf
from rmdesk.services.targeting import builtin_table


def pack_with_profiles() -> ContentPack:
    pack = builtin_pack()
    if pack.exercise("profile"):
        return pack
    title = LocalizedText(en="Risk profiles", es="Perfiles", pt_BR="Perfis", fr="Profils")
    extra = Exercise(id="e7", kind="profile", title=title,
                     instructions=LocalizedText(en="-", es="-", pt_BR="-", fr="-"))
    return pack.model_copy(update={"exercises": [*pack.exercises, extra]})


def criteria(*rows: ConditionRow, lane: str = "red") -> dict[str, Any]:
    return logic_to_ruleset(ProfileLogic("and", list(rows)), "p", lane).model_dump(mode="json")


COMPLETE = {
    "title": "Calçados subfaturados", "area": "revenue", "description": "Preços baixos",
    "action": "Exame documental", "instructions": "Pedir faturas", "owner": "Valoração",
    "effectiveness": "Taxa de acerto", "activation_date": dt.date(2026, 3, 1),
    "review_date": dt.date(2026, 9, 1), "lane": "yellow",
    "criteria": criteria(ConditionRow(op="unit_value_below_reference", value="50"),
                         ConditionRow(field="consignment", op="in", value="AE; HK; PA"),
                         lane="yellow"),
}
BROKEN = {
    "title": "Contrefaçons", "area": "ipr", "lane": "red",
    "activation_date": dt.date(2026, 5, 1), "review_date": dt.date(2026, 4, 1),
    "criteria": criteria(ConditionRow(field="declared_value", op="gt", value="")),
}


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("e7")
    report = make_report()
    report.pack = pack_with_profiles()
    report.profiles = [dict(COMPLETE), dict(BROKEN)]
    return {lang: pdf_text(write_group_pdf(report, lang, folder / f"{lang}.pdf"))
            for lang in LANGUAGES}


def expected_findings(lang: str) -> list[str]:
    _ = gettext_for(lang)
    from rmdesk.domain.criteria import render_issue

    summaries = [summarize_profile(p["title"], p, p["criteria"], builtin_table)
                 for p in (COMPLETE, BROKEN)]
    limits = pack_with_profiles().exercise("profile").profile_limits()
    findings = check_profiles(summaries, lambda issue: render_issue(issue, _), limits)
    return [flat(render_profile_finding(f, _, lambda v: format_percent(v, lang, digits=1),
                                        lambda v: format_number(v, lang),
                                        lambda d: format_date(d, lang)))
            for f in findings]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_feedback_follows_the_profile_cards(texts: dict[str, str], lang: str) -> None:
    _ = gettext_for(lang)
    found = texts[lang]
    cards = found.index("Calçados subfaturados")
    feedback = found.index(flat(_("Feedback")), cards)
    assert found.index("Contrefaçons") < feedback  # after every card
    lines = expected_findings(lang)
    assert len(lines) >= 3
    for line in lines:
        assert line in found[feedback:], line
    # The complete profile's selection on the 20,000 sample declarations is printed.
    good = next(line for line in lines if "Calçados subfaturados" in line)
    assert any(ch.isdigit() for ch in good)
    assert flat(_("To fix")) in found[feedback:]


def test_counts_match_the_profile_page(tmp_path: Path) -> None:
    """The same summary the page's "Check my work" builds: declarations selected of the
    9,674 declarations (20,000 items) of the sample, a declaration counted once however
    many of its items the profile selects."""
    summary = summarize_profile(COMPLETE["title"], COMPLETE, COMPLETE["criteria"],
                                builtin_table)
    table = builtin_table()
    assert summary.total == len(table) == 20_000
    assert summary.declarations == len(table.column("declaration_no").values) == 9_674
    assert summary.selected and 0 < summary.selected < summary.total
    assert summary.selected_declarations and \
        0 < summary.selected_declarations < summary.selected
    from rmdesk.domain.selectivity import run_selectivity

    result = run_selectivity(table, RuleSet.model_validate(COMPLETE["criteria"])).result
    codes = table.column("declaration_no").codes
    assert summary.selected_declarations == len(set(codes[result.lanes != 0].tolist()))
    assert set(summary.fields) == set(CHECKED_FIELDS)
    [finding] = check_profiles([summary], str)
    assert finding.code == "profile_ok"
    assert finding.params["count"] == summary.selected_declarations
    assert finding.params["items"] == summary.selected


def test_no_logic_no_sample_data(tmp_path: Path) -> None:
    """A profile whose logic cannot run never generates the sample declarations."""
    called: list[int] = []

    def table():  # noqa: ANN202
        called.append(1)
        return builtin_table()

    summary = summarize_profile("x", {}, {"criteria": []}, table)
    assert summary.rows == 0 and summary.selected is None and called == []
    summary = summarize_profile("x", {}, "not json", table)
    assert summary.rows == 0 and called == []
    report = make_report()
    report.pack = pack_with_profiles()
    report.profiles = [{"title": "Vide", "criteria": {}}]
    text = pdf_text(write_group_pdf(report, "en", tmp_path / "en.pdf"))
    assert "Vide" in text and "add at least one condition" in text


@pytest.mark.parametrize("lang", ["en", "es", "pt_BR", "fr"])
def test_profile_logic_reads_as_words_of_the_language(lang: str) -> None:
    """Codes by their names (transport mode, country) and numbers in the language's
    format: never a stored code word such as "sea" in a French print."""
    from babel import Locale
    from babel.numbers import format_decimal

    from rmdesk.i18n import gettext_for
    from rmdesk.reports.sections.profile import describe_condition

    _ = gettext_for(lang)
    node = {"op": "and", "items": [
        {"op": "eq", "field": "transport_mode", "value": "sea"},
        {"op": "in", "field": "origin", "value": ["AE", "HK"]},
        {"op": "gt", "field": "declared_value", "value": 12500.5},
    ]}
    text = describe_condition(node, _, lang)
    assert _("Sea") in text
    assert Locale.parse(lang).territories["AE"] + " (AE)" in text
    assert format_decimal(12500.5, locale=lang) in text
    if lang != "en":
        assert " sea" not in text and "12500.5" not in text
