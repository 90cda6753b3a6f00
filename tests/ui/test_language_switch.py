"""Switching language at runtime changes every visible string, and nothing typed."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pydantic import BaseModel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit
from tests.ui.conftest import answer_message_box, switch
from tests.ui.texts import comparable, visible_texts

from rmdesk import i18n
from rmdesk.content.pack import LocalizedText, builtin_pack
from rmdesk.ui.main_window import LANGUAGE_MNEMONICS

POT = Path(__file__).resolve().parents[2] / "translations" / "rmdesk.pot"
ROUND_TRIP = ["es", "pt_BR", "fr", "en"]


def visit_every_tab(window) -> None:
    """As a user would: pages build some content when first shown."""
    for index in (*range(window.tabs.count()), 2):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()


def test_round_trip_restores_every_text(make_window, languages) -> None:
    window = make_window()
    visit_every_tab(window)
    before = visible_texts(window)
    seen = {"en": before}
    for lang in ROUND_TRIP:
        switch(languages, lang)
        visit_every_tab(window)
        seen[lang] = visible_texts(window)
    assert comparable(seen["en"]) == comparable(before)
    assert comparable(seen["es"]) != comparable(before)
    assert window.file_menu.title() == "&File"


@pytest.mark.parametrize("lang", ["es", "pt_BR", "fr"])
def test_switched_window_matches_a_fresh_start(make_window, languages, lang) -> None:
    """A window switched at runtime shows exactly what a window started in it shows."""
    switched = make_window()
    visit_every_tab(switched)
    switch(languages, lang)
    visit_every_tab(switched)
    switched_texts = visible_texts(switched)
    fresh = make_window()
    visit_every_tab(fresh)
    assert comparable(switched_texts) == comparable(visible_texts(fresh))
    # The case study and exercise title come from the pack, in that language.
    pack = builtin_pack()
    assert switched.register_page.title.text() == pack.exercise("register_analysis").title.get(
        lang)
    assert pack.case.title.get(lang) in switched.case_page.browser.toPlainText()


def test_typed_text_survives_switches(make_window, languages, qtbot) -> None:
    window = make_window()
    page = window.register_page
    window.tabs.setCurrentWidget(page)
    event: QPlainTextEdit = page.fields["event"]  # type: ignore[assignment]
    event.setFocus()
    event.selectAll()
    qtbot.keyClicks(event, "Contrebande de cigarettes via le port franc")
    for lang in ROUND_TRIP:
        switch(languages, lang)
        assert event.toPlainText() == "Contrebande de cigarettes via le port franc"
    qtbot.waitUntil(lambda: not page.autosave.has_pending(), timeout=2000)
    saved = page.register.get(page.current_risk().id)  # type: ignore[union-attr]
    assert saved.event == "Contrebande de cigarettes via le port franc"


def test_menus_headers_and_dates_switch(make_window, languages) -> None:
    window = make_window()
    window.tabs.setCurrentWidget(window.workshop_page)
    switch(languages, "es")
    assert window.file_menu.title() == i18n._("&File") != "&File"
    header = window.register_page.model.headerData(1, Qt.Orientation.Horizontal)
    assert header == i18n._("Event") != "Event"
    assert "9/3/2026" in window.workshop_page.details.text()  # the one date format of es
    switch(languages, "fr")
    assert "09/03/2026" in window.workshop_page.details.text()
    assert window.language_actions["fr"].isChecked()


@pytest.mark.parametrize(("lang", "yes", "no"), [
    ("es", "Sí", "No"), ("pt_BR", "Sim", "Não"), ("fr", "Oui", "Non"), ("en", "Yes", "No")])
def test_message_box_buttons_follow_the_language(make_window, languages, qtbot, lang, yes, no):
    window = make_window()
    window.tabs.setCurrentWidget(window.register_page)
    switch(languages, lang)
    seen: list[str] = []
    answer_message_box(QMessageBox.StandardButton.No, seen)
    count = window.register_page.model.rowCount()
    window.register_page.delete_current()
    assert sorted(seen) == sorted([yes, no])
    assert window.register_page.model.rowCount() == count  # "No" kept the risk


def _pseudo_catalog() -> gettext.NullTranslations:
    with POT.open("rb") as fh:
        template = read_po(fh)

    class Pseudo(gettext.NullTranslations):
        def __init__(self) -> None:
            super().__init__()
            self.messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in template
                             if m.id}

        def gettext(self, message: str) -> str:
            return f"⟦{message}⟧" if message in self.messages else message

        def pgettext(self, context: str, message: str) -> str:
            return self.gettext(message)

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            text = singular if n == 1 else plural
            return f"⟦{text}⟧" if singular in self.messages else text

    return Pseudo()


def _pseudo_pack():
    pack = builtin_pack()

    def transform(node):
        if isinstance(node, LocalizedText):
            return node.model_copy(update={"fr": f"⟦{node.en}⟧"})
        if isinstance(node, list):
            return [transform(n) for n in node]
        if isinstance(node, BaseModel):
            return node.model_copy(update={
                name: transform(getattr(node, name)) for name in type(node).model_fields})
        return node

    return transform(pack)


@pytest.fixture
def pseudo_fr():
    real = i18n.translations("fr")
    i18n.install_catalog("fr", _pseudo_catalog())
    yield
    i18n.install_catalog("fr", real)


def test_pseudo_locale_finds_no_unswitched_string(make_window, languages, pseudo_fr) -> None:
    """Every string from the .pot is wrapped in ⟦ ⟧; anything shown without the markers
    did not go through the catalog (or is the user's own data, listed here)."""
    pack = _pseudo_pack()
    window = make_window(pack)
    window.register_page.check_work()
    switch(languages, "fr")
    visit_every_tab(window)
    # E15: report numbers (S01 …) and the 4×4 grade letters are codes, like R1
    codes = {i.id for e in pack.exercises for i in e.intel_items} | {"A", "B", "C", "D"}
    store_data = {
        "Taller regional", "Centro de formação", "Grupo Ñandú", "Ana Conceição",
        "Aduana de Valdoria", "R1", "R2", "Subfaturamento de calçados", "Preços de referência",
        "Perda de receita", "Valuation unit", "Price database", "Seen in 2025", "Large volume",
        "Counterfeit medicines", "rmdesk", "—", "", "Grupo Ñandú ★",
        "…",  # the button that opens a date's calendar
        "×",  # remove-this-row buttons (their tooltips are translated)
        "#",  # the number column
    }
    arithmetic = re.compile(r"^\d×\d = \d+$")  # a score shown as L×C = S
    numbers = {str(n) for n in range(0, 26)}
    endonyms = set(i18n.LANGUAGE_NAMES.values()) | set(LANGUAGE_MNEMONICS.values())
    leaks = [(where, text) for where, text in visible_texts(window)
             if "⟦" not in text and text not in store_data | numbers | endonyms | codes
             and not arithmetic.match(text)]
    assert leaks == [], "\n".join(map(repr, leaks))


def test_language_choice_is_remembered(make_window, languages, filled_store) -> None:
    from rmdesk.services import settings as keys
    from rmdesk.services.settings import SettingsService

    window = make_window()
    window.language_actions["pt_BR"].trigger()
    QApplication.processEvents()
    assert i18n.current_language() == "pt_BR"
    assert SettingsService(filled_store).get(keys.LANGUAGE) == "pt_BR"
