"""Group output PDFs in the tests: a sample report, written in every language and read
back as text with pypdf."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from tests.e1x_content import e1x_pack

from rmdesk.content.pack import builtin_pack
from rmdesk.domain.checks import check_analysis, check_register
from rmdesk.domain.register import RiskEntry
from rmdesk.i18n import LANGUAGES
from rmdesk.reports.data import GroupReport, MemberLine
from rmdesk.services.reports import write_group_pdf

PRINTED = dt.date(2025, 3, 6)


def make_report(risks: list[RiskEntry] | None = None) -> GroupReport:
    if risks is None:
        risks = [
            RiskEntry("R1", "Subfacturação de calçados", "Preços declarados abaixo do mercado",
                      "Perda de receita", "revenue", "Base de preços", "Valoração",
                      4, "Três casos em 2024", 4, "Grande volume"),
            RiskEntry("R2", "Contrabando de piñas con cocaína", "Rutas de tránsito",
                      "Ingreso de drogas", "security", "Escáner", "Antinarcóticos",
                      4, "Inteligencia", 4, "Grave"),
            RiskEntry("R3", "Contrefaçon de parfums « de luxe »", "Marges élevées",
                      "Atteinte aux titulaires de droits", "ipr", "Demandes d'intervention",
                      "Cellule PI", 2, "Saisies rares", 3, "Modérée"),
            RiskEntry("R4", "Undeclared chemicals", "Mis-description", "Injury", ""),
        ]
    return GroupReport(
        workshop_title="Atelier « gestion des risques » — Valdoria",
        venue="Brasília",
        start_date=dt.date(2025, 3, 3),
        end_date=dt.date(2025, 3, 7),
        group_name="Grupo Ñandú",
        members=[
            MemberLine("João Conceição", "Receita Federal"),
            MemberLine("François Lefèvre", "Douane française"),
        ],
        printed_on=PRINTED,
        pack=builtin_pack(),
        risks=risks,
        register_findings=check_register(risks),
        analysis_findings=check_analysis(risks),
        app_version="9.9.9",
    )


def flat(text: str) -> str:
    """Whitespace-insensitive: table cells wrap, babel may use no-break spaces."""
    return " ".join(text.split())


def page_texts(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(path).pages]


def pdf_text(path: Path) -> str:
    """The whole document as one whitespace-insensitive line."""
    return flat(" ".join(page_texts(path)))


def write_e1x_pdf(folder: Path, lang: str, work: dict[str, Any]) -> Path:
    """The sample report with the E10-E12 pack and `work` (exercise id -> answer)."""
    report = make_report()
    report.pack = e1x_pack()
    report.exercise_work = work
    return write_group_pdf(report, lang, folder / f"{lang}.pdf")


def e1x_pdfs(folder: Path, work: dict[str, Any]) -> dict[str, Path]:
    """write_e1x_pdf in every shipped language."""
    return {lang: write_e1x_pdf(folder, lang, work) for lang in LANGUAGES}
