"""The "Check my work" feedback list shared by the exercise pages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding

SEVERITY_MARK = {ERROR: "✗", WARNING: "!", GOOD: "✓"}


class FeedbackList(QListWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.findings: list[Finding] | None = None

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
