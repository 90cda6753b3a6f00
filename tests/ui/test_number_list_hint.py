"""E7's value cell says how a list is written, in the interface language: ";" between
values, and for numbers an example with the language's own decimal mark."""

from __future__ import annotations

from tests.ui.conftest import switch

from rmdesk.domain.profile_logic import ConditionRow, row_condition
from rmdesk.i18n import gettext_for
from rmdesk.ui.criteria_editor import COL_VALUE, CriteriaEditor


def test_the_list_hint_follows_the_field_and_the_language(qtbot, languages) -> None:
    editor = CriteriaEditor()
    qtbot.addWidget(editor)
    editor.add_row(ConditionRow(field="containers", op="in"))
    editor.add_row(ConditionRow(field="hs_code", op="starts_with_any"))
    numbers, texts = (editor.table.cellWidget(r, COL_VALUE) for r in (0, 1))
    for lang in ("en", "es", "pt_BR", "fr"):
        switch(languages, lang)
        _ = gettext_for(lang)
        hint = _("numbers separated by ;, e.g. {example}").format(example="2; 5")
        assert numbers.placeholderText() == hint and numbers.toolTip() == hint
        assert texts.placeholderText() == _("values separated by ;")
        if lang != "en":
            assert hint != "numbers separated by ;, e.g. 2; 5"  # translated
        # what the hint shows is what the row reads
        numbers.setText("2; 5")
        row = editor.logic().rows[0]
        assert row_condition(row, lang).value == [2, 5]
    switch(languages, "en")
