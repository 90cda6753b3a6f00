"""The demo workshop in a main window, and every page and dialog of the app, for the
tests that look at the whole interface as a classroom laptop shows it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from rmdesk.content.pack import builtin_pack
from rmdesk.i18n.qt import LanguageManager
from rmdesk.services.demo import create_demo
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store
from rmdesk.ui.main_window import MainWindow

SMALL = (1280, 680)  # a 1280x720 projector, or a 1366x768 laptop, minus a taskbar
PIN = "2468"


def demo_window(qtbot, store: Store, languages: LanguageManager,
                facilitator: bool = True) -> MainWindow:
    """The demo workshop with Group 1 (every exercise done) on this laptop, the
    facilitator's page unlocked, at the small screen's size."""
    workshop = create_demo(store)
    workshops = WorkshopService(store)
    workshops.select(workshop.id, workshops.list_groups(workshop.id)[0].id)
    window = MainWindow(store, builtin_pack(), languages)
    qtbot.addWidget(window)
    if facilitator:
        window.roles.set_first_pin(PIN, PIN)
        window.roles.unlock(PIN)
    window.show()
    qtbot.waitExposed(window)
    window.resize(*SMALL)
    QApplication.processEvents()
    return window


def every_page(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """Shows each page in turn (and each tab of the pages with inner tabs)."""
    from PySide6.QtWidgets import QTabWidget

    for index in range(window.tabs.count()):
        if not window.tabs.isTabVisible(index):
            continue
        window.tabs.setCurrentIndex(index)
        for _ in range(3):  # a lazy page is built, then lays itself out, then scrolls
            QApplication.processEvents()
        page = window.tabs.widget(index)
        name = window.tabs.tabText(index)
        inner = [t for t in page.findChildren(QTabWidget) if t.isVisible()]
        if not inner:
            yield name, page
            continue
        tabs = inner[0]
        for t in range(tabs.count()):
            tabs.setCurrentIndex(t)
            for _ in range(3):
                QApplication.processEvents()
            yield f"{name} / {tabs.tabText(t)}", page


def every_dialog(window: MainWindow, folder: Path) -> Iterator[tuple[str, QDialog]]:
    """Each dialog of the app built in the current language, shown, then closed."""
    from rmdesk.services.datasets import DatasetService
    from rmdesk.services.packs import PackRegistry
    from rmdesk.ui.dataset_import import DatasetImportDialog, read_csv_header
    from rmdesk.ui.dataset_manager import DatasetManagerDialog
    from rmdesk.ui.exchange_dialogs import ExportDialog, ImportDialog
    from rmdesk.ui.facilitator_page import BATCH, CONSOLIDATED, EXERCISE, PrintOptionsDialog
    from rmdesk.ui.help_dialog import TOPICS
    from rmdesk.ui.model_answer import ModelAnswerDialog
    from rmdesk.ui.pin_dialog import CHANGE, SET, UNLOCK, PinDialog
    from rmdesk.ui.print_dialog import PrintDialog
    from rmdesk.ui.workshop_dialog import WorkshopDialog

    store = window.store
    workshop, group = window.workshops.current_selection()
    csv = folder / "declarations.csv"
    if not csv.exists():
        csv.write_text("id,hs_code,origin,value,outcome\n1,6109,CN,100,compliant\n",
                       encoding="utf-8")
    datasets = DatasetService(folder / "datasets")
    makers: list[tuple[str, Callable[[], QDialog]]] = [
        ("new workshop", lambda: WorkshopDialog(
            window, packs=PackRegistry.for_store(store).list_packs())),
        ("edit workshop", lambda: WorkshopDialog(window, workshop)),
        ("set PIN", lambda: PinDialog(window, window.roles, SET)),
        ("unlock", lambda: PinDialog(window, window.roles, UNLOCK)),
        ("change PIN", lambda: PinDialog(window, window.roles, CHANGE)),
        ("export", lambda: ExportDialog(window, store, workshop.id, group.id, folder=folder)),
        ("import", lambda: ImportDialog(window, store)),
        ("CSV import", lambda: DatasetImportDialog(read_csv_header(csv), datasets, window)),
        ("data sets", lambda: DatasetManagerDialog(datasets, window)),
        ("print", lambda: PrintDialog(window, "fr", folder / "out.pdf")),
        *[(f"print options {kind}", lambda kind=kind: PrintOptionsDialog(
            window, kind, folder / "out.pdf", "fr")) for kind in (BATCH, CONSOLIDATED, EXERCISE)],
        *[(f"model answer {e.id}", lambda e=e: ModelAnswerDialog(window, e, True))
          for e in window.pack.exercises if e.model_answer is not None],
        *[(f"help {topic}", lambda topic=topic: _help(window, topic)) for topic in TOPICS],
    ]
    for name, make in makers:
        dialog = make()
        dialog.show()
        QApplication.processEvents()
        try:
            yield name, dialog
        finally:
            dialog.close()
            dialog.deleteLater()


def _help(window: MainWindow, topic: str) -> QDialog:
    from rmdesk.ui.help_dialog import HelpDialog

    dialog = HelpDialog(window)
    dialog.show_topic(topic)
    return dialog


def clipped_texts(root: QWidget) -> list[str]:
    """Every visible text under `root` that its widget cuts (narrower or lower than the
    text needs) and that nothing shows whole (no tooltip with the text, no
    ClippedTextTips): labels, buttons, group box titles, tabs, combo boxes, cells and
    column headings."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QCheckBox,
        QComboBox,
        QGroupBox,
        QHeaderView,
        QLabel,
        QListView,
        QRadioButton,
        QTabBar,
        QToolButton,
    )

    from rmdesk.ui.whole_text import cell_is_clipped, combo_is_clipped, header_is_clipped

    def plain(text: str) -> str:
        return text.replace("&&", "\0").replace("&", "").replace("\0", "&")

    def explained(widget: QWidget, text: str) -> bool:
        return bool(widget.property("rmdeskWholeText")) or plain(text) in widget.toolTip()

    found: list[str] = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.window() is not root.window():
            continue
        where = f"{type(w).__name__}"
        if isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
            if w.wordWrap():
                need = w.heightForWidth(w.width())
                if need > w.height() + 1 and not explained(w, w.text()):
                    found.append(f"{where} {w.text()[:50]!r}: {w.height()} < {need} high")
            else:
                hint = w.sizeHint()
                if (w.width() + 1 < hint.width() or w.height() + 1 < hint.height()) \
                        and not explained(w, w.text()):
                    found.append(f"{where} {w.text()[:50]!r}: {w.size().toTuple()} < "
                                 f"{hint.toTuple()}")
        elif isinstance(w, QAbstractButton) and w.text() and not (
                isinstance(w, QToolButton) and not w.text().strip()):
            need = w.fontMetrics().horizontalAdvance(plain(w.text())) + 8
            if not w.icon().isNull():
                need += w.iconSize().width() + 4
            if isinstance(w, (QCheckBox, QRadioButton)):
                need = w.sizeHint().width()  # the box or circle, and the text
            if w.width() < need and not explained(w, w.text()):
                found.append(f"{where} {w.text()[:50]!r}: {w.width()} < {need} wide")
        elif isinstance(w, QGroupBox) and w.title():
            need = w.fontMetrics().horizontalAdvance(plain(w.title())) + 8
            if w.width() < need and not explained(w, w.title()):
                found.append(f"group box {w.title()[:50]!r}: {w.width()} < {need} wide")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i) and w.tabRect(i).width() + 1 < w.tabSizeHint(i).width() \
                        and plain(w.tabText(i)) not in w.tabToolTip(i):
                    found.append(f"tab {w.tabText(i)!r} cut")
        elif isinstance(w, QComboBox) and w.currentText():
            if combo_is_clipped(w) and not explained(w, w.currentText()):
                found.append(f"combo box {w.currentText()[:50]!r} cut")
        elif isinstance(w, QHeaderView) and w.orientation() == Qt.Orientation.Horizontal \
                and w.model() is not None:
            for section in range(w.count()):
                tip = w.model().headerData(section, w.orientation(),
                                           Qt.ItemDataRole.ToolTipRole)
                if header_is_clipped(w, section) and not tip \
                        and not w.viewport().property("rmdeskWholeText"):
                    found.append(f"heading {w.model().headerData(section, w.orientation())!r}"
                                 " cut")
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView) \
                and w.model() is not None and not isinstance(w.parent(), QComboBox) \
                and not w.viewport().property("rmdeskWholeText"):
            model = w.model()
            columns = 1 if isinstance(w, QListView) else model.columnCount()
            for row in range(min(model.rowCount(), 100)):
                for col in range(columns):
                    index = model.index(row, col)
                    if cell_is_clipped(w, index) and not index.data(
                            Qt.ItemDataRole.ToolTipRole):
                        found.append(f"cell {str(index.data())[:50]!r} cut")
    return found


def mnemonic(text: str) -> str | None:
    """The letter after a single & (Alt+letter), in lower case; None without one."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":
                i += 2
                continue
            return text[i + 1].lower()
        i += 1
    return None


def mnemonic_clashes(root: QWidget) -> list[str]:
    """Alt+letter keys that two visible controls of one window answer to (the menu bar's
    titles count; each menu's entries are checked among themselves)."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QGroupBox,
        QLabel,
        QMainWindow,
        QMenu,
        QTabBar,
        QToolButton,
    )

    owners: dict[str, list[str]] = {}

    def add(letter_of: str, where: str) -> None:
        letter = mnemonic(letter_of)
        if letter is not None:
            owners.setdefault(letter, []).append(where)

    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            add(action.text(), f"menu {action.text()!r}")
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.window() is not root:
            continue
        if isinstance(w, QToolButton) and w.defaultAction() is not None:
            continue  # a tool bar button shows its action's text without a mnemonic
        if isinstance(w, QAbstractButton):
            add(w.text(), f"button {w.text()!r}")
        elif isinstance(w, QLabel) and w.buddy() is not None:
            add(w.text(), f"label {w.text()!r}")
        elif isinstance(w, QGroupBox):
            add(w.title(), f"group {w.title()!r}")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i):
                    add(w.tabText(i), f"tab {w.tabText(i)!r}")
    clashes = [f"Alt+{letter}: " + ", ".join(where) for letter, where in owners.items()
               if len(where) > 1]
    menus = root.findChildren(QMenu) if isinstance(root, QMainWindow) else []
    for menu in menus:
        letters: dict[str, list[str]] = {}
        for action in menu.actions():
            letter = mnemonic(action.text())
            if letter is not None and action.isVisible():
                letters.setdefault(letter, []).append(action.text())
        clashes += [f"menu {menu.title()!r} Alt+{letter}: " + ", ".join(texts)
                    for letter, texts in letters.items() if len(texts) > 1]
    return clashes


def tab_order_jumps(page: QWidget, tolerance: int = 4) -> list[str]:
    """Where Tab goes backwards on `page`: to a control above the last one in the same
    column or to its left (reading order is rows top to bottom, and columns left to
    right). A jump into a column to the right, even higher up, is reading order."""
    from PySide6.QtCore import QPoint, Qt

    def tabbable(w: QWidget) -> bool:
        return (w.isVisible() and w.isEnabled() and page.isAncestorOf(w)
                and bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)
                and w.focusProxy() is None)

    # Press Tab the way Qt does (focusNextChild), from the first control of the page,
    # once round the window, keeping the page's controls. (Walking nextInFocusChain over
    # the whole window made shiboken wrappers of Qt's private pop-ups, which broke the
    # window's teardown.)
    window = page.window()
    window.activateWindow()
    QApplication.processEvents()
    start = next((w for w in page.findChildren(QWidget) if tabbable(w)), None)
    if start is None:
        return []
    start.setFocus(Qt.FocusReason.TabFocusReason)
    chain: list[QWidget] = []
    for _ in range(3000):
        w = QApplication.focusWidget()
        if w is None:
            break
        if page.isAncestorOf(w) and tabbable(w):
            if w in chain:
                break
            chain.append(w)
        window.focusNextChild()
    # Begin where a reader begins: the control nearest the page's top left.
    def where(x: QWidget) -> tuple[int, int, int, int]:
        """Where the control shows, a control scrolled out of a table or scroll area
        counting as at that area's edge."""
        from PySide6.QtWidgets import QAbstractScrollArea

        top_left = x.mapTo(page, QPoint(0, 0))
        left, top = top_left.x(), top_left.y()
        area = x.parentWidget()
        while area is not None and area is not page:
            if isinstance(area, QAbstractScrollArea):
                box = area.viewport().rect().translated(area.viewport().mapTo(page, QPoint(0, 0)))
                top = min(max(top, box.top()), box.bottom())
                left = min(max(left, box.left()), box.right())
            area = area.parentWidget()
        return left, top, x.width(), x.height()

    first = min(range(len(chain)), key=lambda i: (where(chain[i])[1], where(chain[i])[0]))
    chain = chain[first:] + chain[:first]
    jumps: list[str] = []
    for a, b in zip(chain, chain[1:], strict=False):
        ax, ay, aw, _ah = where(a)
        bx, by, _bw, _bh = where(b)
        if by < ay - tolerance and bx < ax + aw - tolerance:
            jumps.append(f"{type(a).__name__} {a.objectName()!r} at {ax},{ay} -> "
                         f"{type(b).__name__} {b.objectName()!r} at {bx},{by}")
    return jumps
