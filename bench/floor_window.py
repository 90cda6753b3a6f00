"""The floor of this stack: a bare PySide6 window in a script that also imports sqlmodel."""

import sys

import sqlmodel  # noqa: F401 - the store's library is part of the floor
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 780)
window.show()
QTimer.singleShot(0, app.quit)  # same exit point as rmdesk --exit-when-shown
app.exec()
