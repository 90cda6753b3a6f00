"""The main window's pages: a compact list on the left (one row per page, with each
exercise's status) and the page on the right, inside its own scroll area.

It replaces a 13-tab QTabWidget, whose tabs did not fit a 1366×768 laptop and hid the
exercises' status. It keeps the QTabWidget calls the window and its tests use (addTab,
insertTab, indexOf, setCurrentWidget, setTabText, setTabVisible, currentChanged, …), so
the pages themselves did not change. Every page scrolls inside its scroll area when it is
taller or wider than the space left on a small screen, instead of growing the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from rmdesk.ui.tab_order import apply_tab_order

# The status of an exercise as shown beside its name (the keys are ExerciseWork.status
# values, plus "locked" when the facilitator has locked it).
NOT_STARTED, IN_PROGRESS, SUBMITTED, LOCKED = "not_started", "in_progress", "submitted", "locked"
ICON_SIZE = 14
MAX_LIST_WIDTH = 230  # longer names wrap onto a second line


def status_icon(status: str | None, size: int = ICON_SIZE) -> QIcon:
    """A small shape per status that reads in black and white too: an empty ring (not
    started), a half-filled disc (in progress), a full disc with a tick (submitted), a
    padlock (locked). None: a blank of the same size, so the names stay aligned."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    if status is None:
        return QIcon(pixmap)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    box = QRectF(1.5, 1.5, size - 3, size - 3)
    grey, amber, green = QColor("#707070"), QColor("#c77700"), QColor("#2e7d32")
    if status == LOCKED:
        p.setPen(QPen(grey, 1.6))
        p.drawArc(QRectF(size * 0.28, 1.5, size * 0.44, size * 0.6), 0, 180 * 16)
        p.fillRect(QRectF(size * 0.18, size * 0.45, size * 0.64, size * 0.5), grey)
    elif status == SUBMITTED:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(green)
        p.drawEllipse(box)
        p.setPen(QPen(QColor("white"), 1.8))
        tick = QPainterPath()
        tick.moveTo(size * 0.28, size * 0.52)
        tick.lineTo(size * 0.44, size * 0.68)
        tick.lineTo(size * 0.72, size * 0.34)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(tick)
    else:
        colour = amber if status == IN_PROGRESS else grey
        p.setPen(QPen(colour, 1.5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(box)
        if status == IN_PROGRESS:
            half = QPainterPath()
            half.moveTo(box.center())
            half.arcTo(box, 90, 180)  # the left half
            half.closeSubpath()
            p.fillPath(half, colour)
    p.end()
    return QIcon(pixmap)


class PageScrollArea(QScrollArea):
    """A page fills the space, and scrolls when the space is below the page's minimum.

    Not QScrollArea's widgetResizable: with a word-wrapped label anywhere on the page it
    sizes the page to its *preferred* height for the width (a page twice the screen's
    height, always scrolling), and it misses a page whose minimum grows later (a lazy
    page built, a language switched), squeezing that page's controls to slivers."""

    def __init__(self, page: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(False)
        self.setWidget(page)
        page.installEventFilter(self)
        # Tab follows the layouts once the page has laid itself out (rows come and go).
        self._order = QTimer(self)
        self._order.setSingleShot(True)
        self._order.setInterval(0)
        self._order.timeout.connect(lambda: apply_tab_order(self.widget())
                                    if self.widget() is not None and self.isVisible()
                                    else None)
        self.fit()

    def fit(self) -> None:
        page = self.widget()
        if page is None:
            return
        room = self.maximumViewportSize()  # the viewport without scroll bars
        need = page.minimumSizeHint().expandedTo(page.minimumSize())
        width = max(room.width(), need.width())
        if width > room.width():  # a horizontal bar takes height from the page
            room.setHeight(room.height() - self.horizontalScrollBar().sizeHint().height())
        height = max(room.height(), self._minimum_height(width, need.height()))
        if height > room.height() and width == room.width():  # and a vertical one, width
            width = max(need.width(), width - self.verticalScrollBar().sizeHint().width())
            height = max(room.height(), self._minimum_height(width, need.height()))
        if page.size() != QSize(width, height):
            page.resize(width, height)
        self._order.start()

    def _minimum_height(self, width: int, least: int) -> int:
        """The page's minimum height at `width`: word-wrapped labels need more lines when
        the page is narrow (the plain minimum assumes a wider label)."""
        layout = self.widget().layout() if self.widget() is not None else None
        if layout is not None and layout.hasHeightForWidth():
            return max(least, layout.totalMinimumHeightForWidth(width))
        return least

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._order.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return super().eventFilter(watched, event)


class PageNavigator(QWidget):
    """A list of page names beside a stack of scrolling pages (see the module doc)."""

    currentChanged = Signal(int)  # noqa: N815 - the QTabWidget name its callers use

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("pageList")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.list.setSpacing(1)
        self.stack = QStackedWidget()
        self._pages: list[QWidget] = []
        self._areas: list[PageScrollArea] = []
        self._shown = -1  # the row last announced by currentChanged
        self.list.currentRowChanged.connect(self._row_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.list)
        layout.addWidget(self.stack, 1)

    # -- the QTabWidget calls --------------------------------------------------------------
    def addTab(self, page: QWidget, text: str) -> int:  # noqa: N802
        return self.insertTab(len(self._pages), page, text)

    def insertTab(self, index: int, page: QWidget, text: str) -> int:  # noqa: N802
        index = max(0, min(index, len(self._pages)))
        area = PageScrollArea(page)
        self._pages.insert(index, page)
        self._areas.insert(index, area)
        self.stack.insertWidget(index, area)
        item = QListWidgetItem(status_icon(None), "")
        self.list.insertItem(index, item)
        self.setTabText(index, text)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(index)
        self._shown = self.list.currentRow()  # rows after an insertion move down
        return index

    def removeTab(self, index: int) -> None:  # noqa: N802
        if not 0 <= index < len(self._pages):
            return
        current = self.currentWidget()
        area = self._areas.pop(index)
        page = self._pages.pop(index)
        self.list.blockSignals(True)
        self.list.takeItem(index)
        self.list.blockSignals(False)
        self.stack.removeWidget(area)
        page.removeEventFilter(area)
        area.takeWidget()  # the page lives on, as with QTabWidget.removeTab
        page.setParent(self)
        page.hide()
        area.deleteLater()
        if current is not None and current is not page:
            self.list.blockSignals(True)
            self.list.setCurrentRow(self.indexOf(current))
            self.list.blockSignals(False)
        self._row_changed(self.list.currentRow())

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget | None:
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def indexOf(self, page: QWidget | None) -> int:  # noqa: N802
        for i, p in enumerate(self._pages):
            if p is page:
                return i
        return -1

    def currentIndex(self) -> int:  # noqa: N802
        return self.stack.currentIndex()

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self.widget(self.currentIndex())

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        if 0 <= index < len(self._pages) and self.isTabVisible(index):
            self.list.setCurrentRow(index)

    def setCurrentWidget(self, page: QWidget | None) -> None:  # noqa: N802
        self.setCurrentIndex(self.indexOf(page))

    def tabText(self, index: int) -> str:  # noqa: N802
        item = self.list.item(index)
        return item.text() if item is not None else ""

    def setTabText(self, index: int, text: str) -> None:  # noqa: N802
        item = self.list.item(index)
        if item is None:
            return
        item.setText(text)
        self._fit_list()

    def setTabVisible(self, index: int, visible: bool) -> None:  # noqa: N802
        item = self.list.item(index)
        if item is None:
            return
        item.setHidden(not visible)
        if not visible and self.currentIndex() == index:
            self.step(-1) if index > 0 else self.step(1)

    def isTabVisible(self, index: int) -> bool:  # noqa: N802
        item = self.list.item(index)
        return item is not None and not item.isHidden()

    # -- status ----------------------------------------------------------------------------
    def set_status(self, index: int, status: str | None, status_text: str = "") -> None:
        """Show an exercise's status beside its name (None for pages without one): an
        icon, and the words in the tooltip and for screen readers."""
        item = self.list.item(index)
        if item is None:
            return
        item.setIcon(status_icon(status))
        item.setData(Qt.ItemDataRole.UserRole, status)
        item.setToolTip(f"{item.text()} — {status_text}" if status_text else "")
        item.setData(Qt.ItemDataRole.AccessibleTextRole,
                     f"{item.text()}, {status_text}" if status_text else item.text())

    def status(self, index: int) -> str | None:
        item = self.list.item(index)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    # -- moving ----------------------------------------------------------------------------
    def step(self, delta: int) -> None:
        """The next (+1) or previous (-1) visible page, wrapping round like Ctrl+Tab."""
        n = len(self._pages)
        if n == 0:
            return
        index = self.currentIndex()
        for _ in range(n):
            index = (index + delta) % n
            if self.isTabVisible(index):
                self.setCurrentIndex(index)
                return

    def scroll_area(self, index: int) -> PageScrollArea | None:
        return self._areas[index] if 0 <= index < len(self._areas) else None

    # -- internals -------------------------------------------------------------------------
    def _row_changed(self, row: int) -> None:
        if not 0 <= row < len(self._areas):
            return
        self.stack.setCurrentIndex(row)
        if row != self._shown:
            self._shown = row
            self.currentChanged.emit(row)

    def _fit_list(self) -> None:
        """As wide as the longest name needs, up to MAX_LIST_WIDTH (beyond, names wrap)."""
        metrics = self.list.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.list.item(i).text())
                      for i in range(self.list.count())), default=80)
        chrome = ICON_SIZE + 6 * 2 + 16 + self.list.frameWidth() * 2 \
            + self.list.verticalScrollBar().sizeHint().width()
        self.list.setFixedWidth(min(widest + chrome, MAX_LIST_WIDTH))
