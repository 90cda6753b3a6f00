"""Run by test_kill.py in its own process: the real main window, a participant typing.

Prints "<monotonic time> <text typed so far>" after each keystroke, then keeps typing
until the parent kills it with SIGKILL."""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from rmdesk.content.pack import builtin_pack  # noqa: E402
from rmdesk.i18n.qt import LanguageManager  # noqa: E402
from rmdesk.services.workshops import WorkshopInput, WorkshopService  # noqa: E402
from rmdesk.store.database import open_store  # noqa: E402
from rmdesk.ui.main_window import MainWindow  # noqa: E402

TEXT = "Undervaluation of used vehicles through falsified invoices at Santa Brava " * 20


def main() -> None:
    app = QApplication(sys.argv[:1])
    store = open_store(sys.argv[1])
    workshops = WorkshopService(store)
    workshop = workshops.create_workshop(WorkshopInput("Kill test"))
    group = workshops.add_group(workshop.id, "Group 1")
    workshops.select(workshop.id, group.id)
    languages = LanguageManager()
    languages.switch("en")
    window = MainWindow(store, builtin_pack(), languages)
    window.show()
    window.register_page.add_risk()
    field = window.register_page.fields["event"]
    print("risk", window.register_page.current_risk().id, flush=True)
    typed = []

    def type_one() -> None:
        char = TEXT[len(typed) % len(TEXT)]
        QTest.keyClick(field, char)
        typed.append(char)
        print(f"{time.monotonic():.4f} {''.join(typed)}", flush=True)

    timer = QTimer()
    timer.timeout.connect(type_one)
    timer.start(40)  # a fast typist: 25 characters a second
    app.exec()


if __name__ == "__main__":
    main()
