"""E1, E4 and E5 in the group output PDF, read back with pypdf in every language."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext
from pathlib import Path
from typing import Any

import pytest
from tests.pdf_text import flat, pdf_text

from rmdesk import i18n
from rmdesk.content.pack import Appetite, Exercise, LocalizedText, builtin_pack
from rmdesk.domain.register import RiskEntry
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.formatting import format_date
from rmdesk.reports.data import GroupReport
from rmdesk.services.reports import write_group_pdf


def text(en: str) -> LocalizedText:
    return LocalizedText(en=en, es=f"{en} [es]", pt_BR=f"{en} [pt]", fr=f"{en} [fr]")


EXERCISES = [
    Exercise(id="e1", kind="context_scan", title=text("Context scan"), instructions=text("-")),
    Exercise(id="e4", kind="evaluation", title=text("Evaluation"), instructions=text("-"),
             appetite=Appetite(statement=text("Low and medium revenue risks only."),
                               max_accepted_score=9)),
    Exercise(id="e5", kind="treatment", title=text("Treatment plan"), instructions=text("-")),
]
RISKS = [
    RiskEntry("R1", "Subfacturação de calçados", likelihood=4, impact=4, id="id1"),
    RiskEntry("R2", "Contrabando de piñas", likelihood=4, impact=4, id="id2"),
    RiskEntry("R3", "Contrefaçon de parfums", likelihood=2, impact=3, id="id3"),
    RiskEntry("R4", "Produits chimiques non déclarés", id="id4"),
]
WORK: dict[str, dict[str, Any]] = {
    "e1": {
        "pestle": {"political": ["Intégration régionale", "Élections 2026"],
                   "economic": ["Caída de precios"]},
        "swot": {"strengths": ["Unidade de valoração experiente"],
                 "threats": ["Our staff turnover"]},
        "stakeholders": [{"name": "Ministério da Fazenda", "interest": "Metas de receita"}],
        "objectives": ["Proteger la recaudación", "Despacho más rápido"],
        "risk_criteria": "Au-dessus de 9 : plan de traitement.",
    },
    "e4": {"order": ["id3", "id1", "id2"], "decisions": {
        "id1": {"decision": "treat", "reason": "Perte de recettes", "escalation": "Directeur"},
        "id2": {"decision": "accept", "reason": "", "escalation": ""},
        "id3": {"decision": "treat", "reason": "Saisies en hausse", "escalation": ""},
    }},
    "e5": {"rows": {
        "id1": {"option": "reduce", "actions": "Auditorías posteriores", "owner": "Valoração",
                "start": "2026-02-01", "due": "2026-09-30", "resources": "2 auditores",
                "residual_likelihood": 2, "residual_impact": 3, "kpi": "Receita adicional"},
        "id3": {"option": "share", "owner": "Cellule PI", "start": "2026-05-01",
                "due": "2026-03-01", "residual_likelihood": 1, "residual_impact": 3},
    }},
}


def report(work: dict[str, dict[str, Any]] | None = None) -> GroupReport:
    pack = builtin_pack()
    pack = pack.model_copy(update={"exercises": [*pack.exercises, *EXERCISES]})
    return GroupReport(
        workshop_title="Atelier", venue="", start_date=None, end_date=None,
        group_name="Grupo Ñandú", members=[], printed_on=dt.date(2026, 3, 6), pack=pack,
        risks=[dataclasses.replace(r) for r in RISKS], register_findings=[],
        analysis_findings=[], exercise_work=WORK if work is None else work,
    )


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("e145")
    return {lang: pdf_text(write_group_pdf(report(), lang, folder / f"{lang}.pdf"))
            for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_context_scan_grid_and_objectives(texts: dict[str, str], lang: str) -> None:
    _ = gettext_for(lang)
    found = texts[lang]
    for expected in ("Context scan", "Intégration régionale", "Caída de precios",
                     "Unidade de valoração experiente", "Ministério da Fazenda",
                     "1. Proteger la recaudación", "Au-dessus de 9 : plan de traitement."):
        assert flat(text(expected).get(lang) if expected == "Context scan" else expected) \
            in found
    for label in ("Political", "Environmental", "Strengths", "Threats", "Internal",
                  "External", "Objectives", "Risk criteria", "Stakeholders"):
        assert flat(_(label)) in found
    # The automatic feedback comes with it: too few factors, a threat that sounds internal.
    assert flat(_("{cell}: add at least one item.").format(cell=_("Weaknesses"))) in found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_evaluation_ranked_list_with_the_appetite_line(texts: dict[str, str],
                                                       lang: str) -> None:
    _ = gettext_for(lang)
    found = texts[lang]
    found = found[found.index(text("Evaluation").get(lang)):]  # past the E2 register
    assert text("Low and medium revenue risks only.").get(lang) in found
    line = flat(_("▲ Above this line: exceed the appetite (score above {maximum}) ▲").format(
        maximum=9))
    order = [found.index(s) for s in ("Contrefaçon de parfums", "Subfacturação de calçados",
                                      "Contrabando de piñas", line,
                                      "Produits chimiques non déclarés")]
    assert order == sorted(order)  # the group's order, the line after the last above it
    assert flat(_("Treat")) in found and "Perte de recettes" in found
    accepted = _("Risk {code} scores {score}, above the appetite (at most {maximum} may be "
                 "accepted): treat it, or escalate it to someone who may accept it.")
    assert flat(accepted.format(code="R2", score=16, maximum=9)) in found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_treatment_plan_and_matrix(texts: dict[str, str], lang: str) -> None:
    _ = gettext_for(lang)
    found = texts[lang]
    assert text("Treatment plan").get(lang) in found
    for expected in ("Auditorías posteriores", "Valoração", "2 auditores", "Receita adicional",
                     "4×4 = 16 → 2×3 = 6", flat(format_date(dt.date(2026, 9, 30), lang,
                                                            fmt="medium"))):
        assert expected in found
    for label in ("Reduce", "Share", "Before and after treatment", "now (inherent)",
                  "target (residual)", "Likelihood", "Consequence"):
        assert flat(_(label)) in found
    reversed_dates = _("Risk {code}: the due date {due} is before the start date {start}.")
    assert flat(reversed_dates.format(
        code="R3", due=format_date(dt.date(2026, 3, 1), lang, fmt="medium"),
        start=format_date(dt.date(2026, 5, 1), lang, fmt="medium"))) in found


def test_e5_lists_every_rated_risk_when_e4_is_not_done(tmp_path: Path) -> None:
    work = {"e5": WORK["e5"]}
    found = pdf_text(write_group_pdf(report(work), "en", tmp_path / "e5.pdf"))
    assert "Treatment plan" in found and "Contrabando de piñas" in found
    assert "Evaluation" not in found.replace("Treatment plan", "")  # no E4 section


def test_sections_left_out_when_not_started(tmp_path: Path) -> None:
    found = pdf_text(write_group_pdf(report({}), "en", tmp_path / "none.pdf"))
    for title in ("Context scan", "Treatment plan", "Before and after treatment"):
        assert title not in found


class _Pseudo(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"‹{message}›"


def test_every_label_goes_through_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(i18n._catalogs, "fr", _Pseudo())
    found = pdf_text(write_group_pdf(report(), "fr", tmp_path / "p.pdf"))
    for label in ("PESTLE", "SWOT", "Social", "Opportunities", "Internal", "Interests",
                  "Rank", "Decision", "Escalation", "Accept", "Risk appetite:", "Option",
                  "Actions", "KPI", "Start – due", "Now → target", "Reduce",
                  "Before and after treatment", "now (inherent)", "Severe", "Feedback"):
        # Narrow header cells may wrap a label: compare without spaces.
        assert f"‹{label}›".replace(" ", "") in found.replace(" ", ""), label
