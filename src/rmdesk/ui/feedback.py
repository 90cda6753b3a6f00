"""The "Check my work" feedback list shared by the exercise pages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rmdesk.domain.checks import ERROR, GOOD, INFO, WARNING, Finding
from rmdesk.i18n import _

SEVERITY_MARK = {ERROR: "✗", WARNING: "!", GOOD: "✓", INFO: "i"}


class FeedbackList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.findings: list[Finding] | None = None
        self.setAccessibleName(_("Feedback"))
        self.setAccessibleDescription(_("Feedback on your work, one finding per line."))

    def show_findings(self, findings: list[Finding] | None, render: Callable[[Finding], str],
                      hint: str) -> None:
        """Findings as marked sentences; `hint` when the group has not checked yet."""
        self.findings = findings
        self.clear()
        if findings is None:
            item = QListWidgetItem(hint)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
            return
        for finding in findings:
            self.addItem(f"{SEVERITY_MARK.get(finding.severity, '·')} {render(finding)}")

    def texts(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]


def feedback_box(check_work: Callable[[], None]) -> tuple[QGroupBox, QPushButton, FeedbackList]:
    """The "Feedback" box: a "Check my work" button above the feedback list (the caller
    sets the texts in its retranslate_ui)."""
    box = QGroupBox()
    button = QPushButton()
    button.clicked.connect(check_work)
    feedback = FeedbackList()
    layout = QVBoxLayout(box)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
    layout.addWidget(feedback)
    return box, button, feedback
