"""Packs, pages and a pseudo-locale for the E10-E12 page tests."""

from __future__ import annotations

import gettext
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from rmdesk import i18n
from rmdesk.content.pack import (
    ContentPack,
    Exercise,
    LocalizedText,
    MaturityDimension,
    builtin_pack,
)
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.exercise_pages import PageContext


def text(en: str, es: str, pt: str, fr: str) -> LocalizedText:
    return LocalizedText(en=en, es=es, pt_BR=pt, fr=fr)


DIMENSIONS = [
    MaturityDimension(
        id="governance",
        name=text("Governance", "Gobernanza", "Governança", "Gouvernance"),
        levels=[text(f"Governance level {n}", f"Gobernanza nivel {n}",
                     f"Governança nível {n}", f"Gouvernance niveau {n}") for n in range(1, 6)],
    ),
    MaturityDimension(
        id="data",
        name=text("Data and IT", "Datos y TI", "Dados e TI", "Données et SI"),
        levels=[text(f"Data level {n}", f"Datos nivel {n}", f"Dados nível {n}",
                     f"Données niveau {n}") for n in range(1, 6)],
    ),
    MaturityDimension(
        id="people",
        name=text("People and skills", "Personas", "Pessoas", "Personnes"),
        levels=[text(f"People level {n}", f"Personas nivel {n}", f"Pessoas nível {n}",
                     f"Personnes niveau {n}") for n in range(1, 6)],
    ),
]

TEMPLATES = [
    text("Sign the data-exchange arrangement", "Firmar el acuerdo de intercambio",
         "Assinar o acordo de intercâmbio", "Signer l'accord d'échange"),
    text("Agree joint indicators", "Acordar indicadores comunes",
         "Acordar indicadores comuns", "Convenir des indicateurs communs"),
    text("Run the operation", "Ejecutar la operación", "Executar a operação",
         "Mener l'opération"),
]


def e1x_pack() -> ContentPack:
    """The built-in pack with E10, E11 and E12 added (its other exercises kept)."""
    base = builtin_pack()
    extra = [
        Exercise(id="e10", kind="kpi_plan",
                 title=text("Monitoring KPIs", "KPI de seguimiento", "KPIs de monitoramento",
                            "KPI de suivi"),
                 instructions=text("Plan the KPIs.", "Planifique.", "Planeje.", "Planifiez.")),
        Exercise(id="e11", kind="regional_project",
                 title=text("Regional project", "Proyecto regional", "Projeto regional",
                            "Projet régional"),
                 instructions=text("Plan it.", "Planifique.", "Planeje.", "Planifiez."),
                 milestone_templates=TEMPLATES),
        Exercise(id="e12", kind="maturity",
                 title=text("Maturity", "Madurez", "Maturidade", "Maturité"),
                 instructions=text("Rate it.", "Evalúe.", "Avalie.", "Évaluez."),
                 dimensions=DIMENSIONS),
    ]
    kept = [e for e in base.exercises if e.kind not in {x.kind for x in extra}]
    return base.model_copy(update={"exercises": kept + extra})


def pseudo(pack: ContentPack) -> ContentPack:
    """French texts of the pack replaced by ⟦English⟧."""
    from pydantic import BaseModel

    def transform(node):  # noqa: ANN001, ANN202
        if isinstance(node, LocalizedText):
            return node.model_copy(update={"fr": f"⟦{node.en}⟧"})
        if isinstance(node, list):
            return [transform(n) for n in node]
        if isinstance(node, BaseModel):
            return node.model_copy(update={
                name: transform(getattr(node, name)) for name in type(node).model_fields})
        return node

    return transform(pack)


class WrapAll(gettext.NullTranslations):
    """Every message wrapped in ⟦ ⟧: anything shown without them did not switch."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"

    def pgettext(self, context: str, message: str) -> str:
        return f"⟦{message}⟧"


@pytest.fixture
def wrap_fr() -> Iterator[None]:
    real = i18n.translations("fr")
    i18n.install_catalog("fr", WrapAll())
    yield
    i18n.install_catalog("fr", real)


def group_in(store: Store) -> str:
    workshop, group = WorkshopService(store).current_selection()
    assert group is not None
    return group.id


def make_page(qtbot, store: Store, pack: ContentPack, kind: str, cls: type[QWidget],
              status: list[str] | None = None) -> QWidget:
    exercise = pack.exercise(kind)
    assert exercise is not None
    messages = status if status is not None else []
    ctx = PageContext(store, pack, exercise, ExerciseWorkService(store),
                      RegisterService(store), messages.append)
    page = cls(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def leaks(page: QWidget, allowed: set[str]) -> list[tuple[str, str]]:
    """Visible texts without the pseudo-locale markers, other than user data."""
    from tests.ui.texts import visible_texts

    QApplication.processEvents()
    texts = visible_texts(page)
    assert sum("⟦" in t for _w, t in texts) >= 10  # the page really was switched
    return [(where, t) for where, t in texts if "⟦" not in t and t not in allowed]
