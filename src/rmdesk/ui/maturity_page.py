"""E12 maturity self-assessment: a level per dimension of the pack, with its descriptor,
evidence and a next step, and a radar chart that follows every choice."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rmdesk.content.pack import MaturityDimension
from rmdesk.domain.checks import Finding
from rmdesk.domain.maturity import (
    EVIDENCE_FROM_LEVEL,
    LEVELS,
    MaturityAssessment,
    check_maturity,
    render_maturity_finding,
)
from rmdesk.i18n import N_, _, current_language
from rmdesk.i18n.formatting import format_number
from rmdesk.ui.answer_page import AnswerPage
from rmdesk.ui.common import plain_tip
from rmdesk.ui.radar_chart import RadarChart


class DimensionBox(QGroupBox):
    """One dimension: level buttons 1-5, the chosen level's descriptor, evidence, next step."""

    def __init__(self, page: MaturityPage, dimension: MaturityDimension) -> None:
        super().__init__()
        self.page = page
        self.dimension = dimension
        self.buttons = QButtonGroup(self)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.level_label = QLabel()
        row.addWidget(self.level_label)
        for level in LEVELS:
            button = QPushButton(str(level))
            button.setCheckable(True)
            button.setObjectName("levelButton")
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("00") + 24)
            self.buttons.addButton(button, level)
            row.addWidget(button)
        row.addStretch(1)
        self.buttons.idClicked.connect(lambda level: page.level_chosen(dimension.id, level))
        self.descriptor = QLabel()
        self.descriptor.setWordWrap(True)
        self.descriptor.setObjectName("levelDescriptor")
        self.descriptor.setTextFormat(Qt.TextFormat.PlainText)  # a pack's text
        self.descriptor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.evidence = QPlainTextEdit()
        self.evidence.setObjectName(f"evidence_{dimension.id}")
        self.evidence.setTabChangesFocus(True)
        self.evidence.setMaximumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.evidence.textChanged.connect(
            lambda: page.text_changed(dimension.id, "evidence", self.evidence.toPlainText()))
        self.next_step = QLineEdit()
        self.next_step.setObjectName(f"next_step_{dimension.id}")
        self.next_step.textEdited.connect(
            lambda text: page.text_changed(dimension.id, "next_step", text))
        self.evidence_label = QLabel()
        self.evidence_label.setBuddy(self.evidence)
        self.next_label = QLabel()
        self.next_label.setBuddy(self.next_step)
        # The chosen level must stand out at a glance, not only by a slightly darker face.
        self.setStyleSheet("QPushButton#levelButton:checked { background: #2f5f8f; "
                           "color: white; font-weight: bold; border: 1px solid #1f3f5f; "
                           "border-radius: 3px; padding: 3px; }")
        form = QFormLayout(self)
        form.addRow(row)
        form.addRow(self.descriptor)
        form.addRow(self.evidence_label, self.evidence)
        form.addRow(self.next_label, self.next_step)

    def level(self) -> int | None:
        checked = self.buttons.checkedId()
        return checked if checked in LEVELS else None

    def show_level(self, level: int | None) -> None:
        if level in LEVELS:
            self.buttons.button(level).setChecked(True)  # type: ignore[arg-type]
        else:  # an exclusive group never unchecks its last button by itself
            self.buttons.setExclusive(False)
            for button in self.buttons.buttons():
                button.setChecked(False)
            self.buttons.setExclusive(True)
        self._descriptor(level)

    def _descriptor(self, level: int | None) -> None:
        lang = current_language()
        if level in LEVELS:
            self.descriptor.setText(_("Level {level}: {descriptor}").format(
                level=level, descriptor=self.dimension.levels[level - 1].get(lang)))
        else:
            self.descriptor.setText(_("Choose the level that describes your administration "
                                      "today; hover over a number to read its description."))

    def retranslate(self) -> None:
        lang = current_language()
        self.setTitle(self.dimension.name.get(lang))
        self.level_label.setText(_("Level:"))
        for level in LEVELS:
            self.buttons.button(level).setToolTip(
                plain_tip(self.dimension.levels[level - 1].get(lang)))
        self._descriptor(self.level())
        self.evidence_label.setText(_("Evidence:"))
        self.evidence.setPlaceholderText(_(
            "What shows this level (needed from level {level}): a document, a figure, a "
            "practice").format(level=EVIDENCE_FROM_LEVEL))
        self.next_label.setText(_("Next step:"))
        self.next_step.setPlaceholderText(_("One concrete step towards the next level"))


class MaturityPage(AnswerPage):
    CHECK_TIP = N_("Check the structure of your answer (F5)")
    CHECK_HINT = N_("Press “Check my work” for feedback on your self-assessment.")

    model: MaturityAssessment

    def model_from(self, data: dict[str, Any]) -> MaturityAssessment:
        return MaturityAssessment.from_dict(data)

    def build_editor(self) -> QWidget:
        self.boxes: dict[str, DimensionBox] = {}
        inner = QWidget()
        column = QVBoxLayout(inner)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setVisible(not self.exercise.dimensions)
        column.addWidget(self.empty)
        for dimension in self.exercise.dimensions:
            box = DimensionBox(self, dimension)
            self.boxes[dimension.id] = box
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.chart = RadarChart()
        self.average = QLabel()
        self.average.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.chart_box = QGroupBox()
        chart_layout = QVBoxLayout(self.chart_box)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.average)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(scroll)
        splitter.addWidget(self.chart_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def retranslate_editor(self) -> None:
        self.empty.setText(_("This exercise has no maturity dimensions to rate."))
        for box in self.boxes.values():
            box.retranslate()
        self.chart_box.setTitle(_("Maturity profile"))
        self._update_chart()

    def fill(self) -> None:
        for dim_id, box in self.boxes.items():
            rating = self.model.ratings.get(dim_id)
            box.show_level(rating.level if rating else None)
            evidence = rating.evidence if rating else ""
            if box.evidence.toPlainText() != evidence:
                box.evidence.setPlainText(evidence)
            next_step = rating.next_step if rating else ""
            if box.next_step.text() != next_step:
                box.next_step.setText(next_step)
        self._update_chart()

    def _update_chart(self) -> None:
        lang = current_language()
        axes = [(d.name.get(lang), self.model.level(d.id)) for d in self.exercise.dimensions]
        self.chart.set_values(axes)
        levels = [level for _name, level in axes if level]
        if levels:
            self.average.setText(_("{rated} of {count} dimensions rated · average level "
                                   "{average}").format(
                rated=len(levels), count=len(axes),
                average=format_number(round(sum(levels) / len(levels), 1))))
        else:
            self.average.setText(_("Rate the dimensions to draw your profile."))

    # -- edits ----------------------------------------------------------------------------
    def level_chosen(self, dim_id: str, level: int) -> None:
        if not self.before_edit():
            self.boxes[dim_id].show_level(self.model.level(dim_id))
            return
        self.model.rating(dim_id).level = level
        self.boxes[dim_id].show_level(level)
        self._update_chart()
        self.edited()

    def text_changed(self, dim_id: str, name: str, text: str) -> None:
        if not self.before_edit(f"{dim_id}:{name}"):
            return
        setattr(self.model.rating(dim_id), name, text)
        self.edited(typing=True)

    # -- feedback -------------------------------------------------------------------------
    def findings(self) -> list[Finding]:
        return check_maturity(self.model, [d.id for d in self.exercise.dimensions])

    def render_finding(self, finding: Finding) -> str:
        lang = current_language()
        names = {d.id: d.name.get(lang) for d in self.exercise.dimensions}
        return render_maturity_finding(finding, _, names, format_number)
