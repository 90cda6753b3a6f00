"""The common frame of the E1, E4 and E5 pages: one JSON answer per group and exercise.

The page keeps its answer as a domain model; widgets edit the model, and the frame saves
it through ExerciseWorkService (typing debounced, structure changes at once), keeps an
undo history of saved answers, and shows "Check my work" feedback under the editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.checks import Finding
from rmdesk.i18n import _
from rmdesk.ui.autosave import Autosaver
from rmdesk.ui.common import Retranslatable, show_error
from rmdesk.ui.exercise_pages import PageContext
from rmdesk.ui.register_page import SEVERITY_MARK

MAX_UNDO = 100


class AnswerPage(Retranslatable, QWidget):
    """Subclasses build `self.editor`, then call `_finish_layout()`, and implement
    answer_data, show_answer, compute_findings and render_finding."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group_id: str | None = None
        self._loading = False
        self._findings: list[Finding] = []
        self._saved: dict[str, Any] = {}
        self._undo: list[dict[str, Any]] = []
        self._redo: list[dict[str, Any]] = []
        self.autosave = Autosaver(lambda _r, _f, _v: self._write(), self)
        self.autosave.failed.connect(lambda error: show_error(self, error))

        self.no_group = QLabel()
        self.no_group.setWordWrap(True)
        self.editor = QWidget()
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_work)
        self.feedback = QListWidget()
        self.feedback.setWordWrap(True)
        self.feedback_box = QGroupBox()
        box = QVBoxLayout(self.feedback_box)
        box.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.feedback)
        self.splitter = QSplitter(Qt.Orientation.Vertical)

    def _finish_layout(self) -> None:
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.feedback_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.no_group)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()
        self.set_group(None)

    # -- for subclasses ---------------------------------------------------------------
    def answer_data(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def show_answer(self, data: dict[str, Any]) -> None:  # pragma: no cover - overridden
        """Load `data` (the stored JSON) into the model and the widgets."""
        raise NotImplementedError

    def compute_findings(self) -> list[Finding]:  # pragma: no cover - overridden
        raise NotImplementedError

    def render_finding(self, finding: Finding) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def retranslate_ui(self) -> None:
        self.no_group.setText(_("Choose the group on this laptop in the toolbar above to "
                                "start this exercise."))
        self.check_button.setText(_("Check my work"))
        self.check_button.setToolTip(_("Check my work (F5)"))
        self.feedback_box.setTitle(_("Feedback"))
        self._render_feedback()

    # -- state ------------------------------------------------------------------------
    def set_group(self, group_id: str | None) -> None:
        self.autosave.flush()
        self.group_id = group_id
        self._findings = []
        self._undo.clear()
        self._redo.clear()
        self.no_group.setVisible(group_id is None)
        self.splitter.setEnabled(group_id is not None)
        data = self.ctx.work.load(group_id, self.ctx.exercise.id).data if group_id else {}
        self._saved = data
        self._load(data)
        self._render_feedback()

    def reload(self) -> None:
        """Read the stored answer again (e.g. the register changed on another tab)."""
        self.autosave.flush()
        if self.group_id is not None:
            self._load(self.ctx.work.load(self.group_id, self.ctx.exercise.id).data)

    def _load(self, data: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.show_answer(data)
        finally:
            self._loading = False

    def typed(self) -> None:
        """Text typed: saved once typing pauses (within a second)."""
        if not self._loading and self.group_id is not None:
            self.autosave.queue("answer", "data", None)

    def changed(self) -> None:
        """A choice, a move, a row added or removed: saved at once."""
        if not self._loading and self.group_id is not None:
            self.autosave.queue("answer", "data", None)
            self.autosave.flush()

    def flush(self) -> None:
        self.autosave.flush()

    def _write(self) -> None:
        if self.group_id is None:
            return
        data = self.answer_data()
        if data == self._saved:
            return
        self.ctx.work.save(self.group_id, self.ctx.exercise.id, data)
        self._undo.append(self._saved)
        del self._undo[:-MAX_UNDO]
        self._redo.clear()
        self._saved = data

    # -- undo -------------------------------------------------------------------------
    def can_undo(self) -> bool:
        self.autosave.flush()
        return bool(self._undo)

    def undo(self) -> bool:
        return self._step(self._undo, self._redo)

    def redo(self) -> bool:
        return self._step(self._redo, self._undo)

    def _step(self, source: list[dict[str, Any]], target: list[dict[str, Any]]) -> bool:
        self.autosave.flush()
        if self.group_id is None or not source:
            return False
        data = source.pop()
        try:
            self.ctx.work.save(self.group_id, self.ctx.exercise.id, data)
        except Exception as error:  # noqa: BLE001 - shown, and the history stays intact
            source.append(data)
            show_error(self, error)
            return False
        target.append(self._saved)
        self._saved = data
        self._load(data)
        if self._findings:
            self._findings = self.compute_findings()
            self._render_feedback()
        return True

    # -- feedback ---------------------------------------------------------------------
    def check_work(self) -> None:
        self.autosave.flush()
        if self.group_id is None:
            return
        self._findings = self.compute_findings()
        self._render_feedback()

    def findings_texts(self) -> list[str]:
        return [self.feedback.item(i).text() for i in range(self.feedback.count())]

    def _render_feedback(self) -> None:
        self.feedback.clear()
        if not self._findings:
            hint = QListWidgetItem(_("Press “Check my work” (F5) for feedback on your answer."))
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.feedback.addItem(hint)
            return
        for finding in self._findings:
            mark = SEVERITY_MARK.get(finding.severity, "·")
            self.feedback.addItem(f"{mark} {self.render_finding(finding)}")
