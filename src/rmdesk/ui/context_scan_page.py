"""E1 context scan: PESTLE and SWOT grids, stakeholders, objectives and risk criteria."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.answer_json import MAX_ANSWER_TEXT
from rmdesk.domain.checks import Finding
from rmdesk.domain.context_scan import (
    OBJECTIVES_MAX,
    OBJECTIVES_MIN,
    PESTLE,
    PESTLE_MAX,
    PESTLE_MIN,
    SWOT,
    ContextScan,
    Stakeholder,
    check_context_scan,
    render_context_finding,
)
from rmdesk.i18n import N_, _
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.common import bold_label
from rmdesk.ui.list_editor import RowsEditor

PESTLE_HINTS: dict[str, str] = {
    "political": N_("Government priorities, regional integration, stability"),
    "economic": N_("Trade volumes, revenue targets, prices, exchange rates"),
    "social": N_("Public expectations, health, employment, migration"),
    "technological": N_("IT systems, data, scanning, e-commerce"),
    "legal": N_("Customs law, agreements, powers, data protection"),
    "environmental": N_("Waste, wildlife, chemicals, climate"),
}
SWOT_HINTS: dict[str, str] = {
    "strengths": N_("Internal: what your administration does well"),
    "weaknesses": N_("Internal: what holds your administration back"),
    "opportunities": N_("External: what in the environment could help"),
    "threats": N_("External: what in the environment could harm"),
}


def _scroll(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class ContextScanPage(AnswerPage):
    model: ContextScan

    def model_from(self, data: dict[str, Any]) -> ContextScan:
        return ContextScan.from_dict(data)

    # -- layout ---------------------------------------------------------------------------
    def build_editor(self) -> QWidget:
        self.tabs = QTabWidget()

        pestle = QWidget()
        grid = QGridLayout(pestle)
        self.pestle: dict[str, RowsEditor] = {}
        for i, key in enumerate(PESTLE):
            editor = self._list(RowsEditor(1), f"pestle:{key}")
            self.pestle[key] = editor
            grid.addWidget(editor, i // 3, i % 3)
        grid.setRowStretch(2, 1)
        self.tabs.addTab(_scroll(pestle), "")

        swot = QWidget()
        grid = QGridLayout(swot)
        self.swot: dict[str, RowsEditor] = {}
        for i, key in enumerate(SWOT):
            editor = self._list(RowsEditor(1), f"swot:{key}")
            self.swot[key] = editor
            grid.addWidget(editor, i // 2, i % 2)
        grid.setRowStretch(2, 1)
        self.tabs.addTab(_scroll(swot), "")

        self.stakeholders = self._list(RowsEditor(2), "stakeholders")
        people = QWidget()
        QVBoxLayout(people).addWidget(self.stakeholders)
        self.tabs.addTab(_scroll(people), "")

        self.objectives = self._list(RowsEditor(1), "objectives")
        self.criteria_label = bold_label()
        self.criteria = QPlainTextEdit()
        self.criteria.setTabChangesFocus(True)
        self.criteria.textChanged.connect(lambda: self._edited("criteria"))
        self.criteria_label.setBuddy(self.criteria)
        goals = QWidget()
        column = QVBoxLayout(goals)
        column.addWidget(self.objectives)
        column.addWidget(self.criteria_label)
        column.addWidget(self.criteria, 1)
        self.tabs.addTab(goals, "")
        return self.tabs

    def _list(self, editor: RowsEditor, key: str) -> RowsEditor:
        editor.setFrameShape(QFrame.Shape.StyledPanel)
        editor.edited.connect(lambda: self._edited(key))
        editor.rows_changed.connect(lambda: self._edited(None))
        return editor

    # -- texts ----------------------------------------------------------------------------
    def retranslate_editor(self) -> None:
        for index, text in enumerate((_("&PESTLE"), _("&SWOT"), _("S&takeholders"),
                                      _("&Objectives and risk criteria"))):
            self.tabs.setTabText(index, text)
        count = _("{minimum}-{maximum} factors").format(minimum=PESTLE_MIN,
                                                       maximum=PESTLE_MAX)
        for key, label in PESTLE.items():
            editor = self.pestle[key]
            editor.set_title(_("{heading} ({count})").format(heading=_(label), count=count))
            editor.set_hint(_(PESTLE_HINTS[key]))
            editor.set_placeholders([_("A factor in a few words")])
        for key, label in SWOT.items():
            editor = self.swot[key]
            editor.set_title(_(label))
            editor.set_hint(_(SWOT_HINTS[key]))
            editor.set_placeholders([_("One item in a few words")])
        self.stakeholders.set_title(_("Stakeholders and their interests"))
        self.stakeholders.set_headers([_("Stakeholder"), _("Interests")])
        self.stakeholders.set_placeholders([_("Who"), _("What they expect or fear")])
        self.objectives.set_title(_("Objectives ({minimum}-{maximum})").format(
            minimum=OBJECTIVES_MIN, maximum=OBJECTIVES_MAX))
        self.objectives.set_placeholders([_("What the administration wants to achieve")])
        self.criteria_label.setText(_("&Risk criteria"))
        self.criteria.setPlaceholderText(_(
            "How will your administration judge a risk: which consequences matter, which "
            "level is acceptable, who decides?"))

    # -- model <-> widgets ----------------------------------------------------------------
    def fill(self) -> None:
        scan = self.model
        for key, editor in self.pestle.items():
            editor.set_texts(self._at_least(scan.pestle[key], PESTLE_MIN))
        for key, editor in self.swot.items():
            editor.set_texts(self._at_least(scan.swot[key], 1))
        people = [[s.name, s.interest] for s in scan.stakeholders]
        self.stakeholders.set_values(people or [["", ""]])
        self.objectives.set_texts(self._at_least(scan.objectives, OBJECTIVES_MIN))
        if self.criteria.toPlainText() != scan.risk_criteria:
            self.criteria.setPlainText(scan.risk_criteria)

    @staticmethod
    def _at_least(items: list[str], count: int) -> list[str]:
        """Empty rows to type into, up to the smallest count the exercise asks for."""
        return items + [""] * max(0, count - len(items))

    def _edited(self, key: str | None) -> None:
        """Text typed in the list or field `key`, or (None) a row added or removed."""
        if not self.before_edit(key):
            return
        self.model = ContextScan(
            pestle={k: e.texts() for k, e in self.pestle.items()},
            swot={k: e.texts() for k, e in self.swot.items()},
            stakeholders=[Stakeholder(*row) for row in self.stakeholders.values()],
            objectives=self.objectives.texts(),
            risk_criteria=self.criteria.toPlainText()[:MAX_ANSWER_TEXT],
        )
        self.edited(typing=key is not None)

    # -- feedback -------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        return check_context_scan(ContextScan.from_dict(self.answer_data()))

    def render_finding(self, finding: Finding) -> str:
        return render_context_finding(finding, _)
