"""Packs, pages and a pseudo-locale for the E10-E12 page tests."""

from __future__ import annotations

import gettext
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from tests.e1x_content import DIMENSIONS, TEMPLATES, e1x_pack, pseudo, text  # noqa: F401

from rmdesk import i18n
from rmdesk.content.pack import ContentPack
from rmdesk.services.exercises import ExerciseWorkService
from rmdesk.services.register import RegisterService
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.exercise_pages import PageContext


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
