"""The common frame of the pages whose answer is one JSON object per group and exercise
(E1, E4, E5, E10, E11, E12).

The page keeps the answer's domain model in memory (`self.model`), maps it to widgets, and
writes the whole object through ExerciseWorkService: typing is debounced by the Autosaver,
other edits are written at once; switching group first writes pending typing to the group
it was typed for. Undo and redo step through snapshots of the answer: each structural edit
(add, remove, move, a choice) is one step, and so is each stretch of typing in one field.
"Check my work" feedback is shown under the editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from rmdesk.domain.checks import Finding
from rmdesk.i18n import N_, _
from rmdesk.ui.autosave import Autosaver
from rmdesk.ui.common import Retranslatable, show_error
from rmdesk.ui.exercise_pages import PageContext
from rmdesk.ui.feedback import feedback_box
from rmdesk.ui.whole_text import show_starts

MAX_UNDO = 100


class AnswerPage(Retranslatable, QWidget):
    """Subclasses implement model_from, build_editor, fill, findings, render_finding and
    retranslate_editor (and answer_data when the stored JSON is more than
    `self.model.to_dict()`). Edits call before_edit() before changing the model and
    edited() after; the frame does loading, saving, undo and the feedback list."""

    saved = Signal()
    saving_changed = Signal(bool)  # typing waits to be written (for a "Saving…" indicator)

    CHECK_TIP = N_("Check my work (F5)")
    CHECK_HINT = N_("Press “Check my work” (F5) for feedback on your answer.")

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exercise = ctx.exercise
        self.group_id: str | None = None
        self.model: Any = self.model_from({})
        self._findings: list[Finding] = []
        self._loading = False
        self._saved: dict[str, Any] = {}
        self._undo: list[dict[str, Any]] = []
        self._redo: list[dict[str, Any]] = []
        self._last_edit: str | None = None
        self.autosave = Autosaver(lambda _r, _f, _v: self._write(), self)
        self.autosave.failed.connect(self._save_failed)
        self.autosave.saved.connect(self.saved)
        self.autosave.pending_changed.connect(self.saving_changed)

        self.no_group = QLabel()
        self.no_group.setWordWrap(True)
        self.feedback_box, self.check_button, self.feedback = feedback_box(self.check_work)

        self.editor = self.build_editor()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.feedback_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.no_group)
        layout.addWidget(self.splitter, 1)
        self.retranslate_ui()
        self.set_group(None)

    # -- for subclasses -------------------------------------------------------------------
    def model_from(self, data: dict[str, Any]) -> Any:  # pragma: no cover - overridden
        """The domain model of `data` (the stored JSON; tolerate anything)."""
        raise NotImplementedError

    def build_editor(self) -> QWidget:  # pragma: no cover - overridden
        raise NotImplementedError

    def fill(self) -> None:  # pragma: no cover - overridden
        """Show self.model in the widgets (called with self._loading set)."""
        raise NotImplementedError

    def findings(self) -> list[Finding]:  # pragma: no cover - overridden
        raise NotImplementedError

    def render_finding(self, finding: Finding) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def retranslate_editor(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def answer_data(self) -> dict[str, Any]:
        """The JSON stored for the group (and kept as an undo snapshot)."""
        return self.model.to_dict()  # type: ignore[no-any-return]

    # -- texts ----------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.no_group.setText(_("Choose the group on this laptop in the toolbar above to "
                                "start this exercise."))
        self.check_button.setText(_("Check my work"))
        self.check_button.setToolTip(_(self.CHECK_TIP))
        self.feedback_box.setTitle(_("Feedback"))
        self._loading, was = True, self._loading
        try:
            self.retranslate_editor()
        finally:
            self._loading = was
        self._render_feedback()

    # -- state ----------------------------------------------------------------------------
    def set_group(self, group_id: str | None) -> None:
        self.autosave.flush()  # pending typing belongs to the group it was typed for
        self.group_id = group_id
        self._findings = []
        self._undo.clear()
        self._redo.clear()
        self._last_edit = None
        self.no_group.setVisible(group_id is None)
        self.splitter.setEnabled(group_id is not None)
        self._reload()

    def _reload(self) -> None:
        self._show(self.ctx.work.load(self.group_id, self.exercise.id).data
                   if self.group_id else {})

    def _show(self, data: dict[str, Any]) -> None:
        self.model = self.model_from(data)
        self._refill()
        self._saved = self.answer_data()

    def _refill(self) -> None:
        self._loading = True
        try:
            self.fill()
        finally:
            self._loading = False
        show_starts(self.editor)  # long answers show their first words
        self._render_feedback()

    def flush(self) -> None:
        self.autosave.flush()

    def before_edit(self, key: str | None = None) -> bool:
        """Call before changing self.model. `key` names a text field being typed in: a
        stretch of typing in one field is one undo step. False while loading widgets or
        without a group (then the caller must not change the model)."""
        if self._loading or self.group_id is None:
            return False
        if key is None or key != self._last_edit:
            self._undo.append(self.answer_data())
            del self._undo[:-MAX_UNDO]
        self._redo.clear()
        self._last_edit = key
        return True

    def edited(self, typing: bool = False) -> None:
        """The model changed: save it (typing is debounced, anything else written now)."""
        if self.group_id is None:
            return
        if not typing:
            self._last_edit = None
            if self._undo and self._undo[-1] == self.answer_data():
                self._undo.pop()  # nothing changed after all: no empty undo step
        self.autosave.queue("answer", "data", None)
        if not typing:
            self.autosave.flush()

    def _write(self) -> None:
        if self.group_id is None:
            return
        data = self.answer_data()
        if data != self._saved:
            self.ctx.work.save(self.group_id, self.exercise.id, data)
            self._saved = data

    def _save_failed(self, error: Exception) -> None:
        show_error(self, error)
        self._reload()  # show what is stored, not what failed to be

    # -- undo -----------------------------------------------------------------------------
    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        return self._step(self._undo, self._redo, _("Undone."))

    def redo(self) -> bool:
        return self._step(self._redo, self._undo, _("Redone."))

    def _step(self, source: list[dict[str, Any]], target: list[dict[str, Any]],
              message: str) -> bool:
        self.autosave.flush()
        if self.group_id is None or not source:
            self.ctx.status(_("Nothing to undo.") if source is self._undo
                            else _("Nothing to redo."))
            return False
        data = source.pop()
        current = self.answer_data()
        try:
            self.ctx.work.save(self.group_id, self.exercise.id, data)
        except Exception as error:  # noqa: BLE001 - shown, and the history stays intact
            source.append(data)
            show_error(self, error)
            return False
        target.append(current)
        self._last_edit = None
        self._show(data)
        if self._findings:  # feedback on screen follows the answer
            self._findings = self.findings()
            self._render_feedback()
        self.ctx.status(message)
        return True

    # -- feedback -------------------------------------------------------------------------
    def check_work(self) -> None:
        self.autosave.flush()
        if self.group_id is None:
            return
        self._findings = self.findings()
        self._render_feedback()

    def current_findings(self) -> list[Finding]:
        return list(self._findings)

    def findings_texts(self) -> list[str]:
        return self.feedback.texts()

    def _render_feedback(self) -> None:
        self.feedback.show_findings(self._findings or None, self.render_finding,
                                    _(self.CHECK_HINT))
