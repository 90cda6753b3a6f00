"""Tab follows what the eye reads: the order of the page's layouts.

Qt's Tab order is the order in which widgets joined the window, so rows, cells and
pages made later (a new line, a table's cell widgets, a lazily built exercise) came after
the feedback list at the bottom of the page. layout_order() walks the layouts as they
are drawn (box layouts in order, grids and forms row by row, a splitter's panes, the tab
or stacked page on screen, a table's cell widgets row by row) and apply_tab_order() makes
Tab follow it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGridLayout,
    QLayout,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QWidget,
)


def _shown(widget: QWidget) -> bool:
    """Shown, or on a tab or stacked page that is not the current one (its order is set
    too, so that switching tabs needs no new order)."""
    w: QWidget | None = widget
    while w is not None and not w.isWindow():
        parent = w.parentWidget()
        if w.isHidden() and not isinstance(parent, QStackedWidget):
            return False
        w = parent
    return True


def _tabbable(widget: QWidget) -> bool:
    return (_shown(widget) and widget.isEnabled()
            and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
            and widget.focusProxy() is None)


def _layout_items(layout: QLayout) -> list[object]:
    """The layout's widgets and sub-layouts in reading order."""
    items = [layout.itemAt(i) for i in range(layout.count())]
    if isinstance(layout, QGridLayout):
        keyed = []
        for i, item in enumerate(items):
            row, col, _rs, _cs = layout.getItemPosition(i)
            keyed.append(((row, col), item))
        items = [item for _k, item in sorted(keyed, key=lambda pair: pair[0])]
    elif isinstance(layout, QFormLayout):
        keyed = []
        for i, item in enumerate(items):
            row, role = layout.getItemPosition(i)
            keyed.append(((row, int(role.value) if hasattr(role, "value") else int(role)), item))
        items = [item for _k, item in sorted(keyed, key=lambda pair: pair[0])]
    out: list[object] = []
    for item in items:
        if item is None:
            continue
        if item.widget() is not None:
            out.append(item.widget())
        elif item.layout() is not None:
            out.append(item.layout())
    return out


def layout_order(root: QWidget) -> list[QWidget]:
    """The Tab-reachable widgets under `root`, in the order its layouts draw them."""
    order: list[QWidget] = []
    seen: set[int] = set()

    def by_position(widgets: list[QWidget]) -> list[QWidget]:
        def key(w: QWidget) -> tuple[int, int]:
            p = w.mapTo(root, QPoint(0, 0))
            return p.y() // 8, p.x()  # rows within a few pixels read left to right
        return sorted(widgets, key=key)

    def visit_layout(layout: QLayout) -> None:
        for entry in _layout_items(layout):
            if isinstance(entry, QLayout):
                visit_layout(entry)
            else:
                visit(entry)  # type: ignore[arg-type]

    def visit(widget: QWidget) -> None:
        if id(widget) in seen or widget.isWindow() and widget is not root:
            return
        seen.add(id(widget))
        if widget is not root and _tabbable(widget):
            order.append(widget)
        if isinstance(widget, QTabWidget):
            visit(widget.tabBar())
            for i in range(widget.count()):
                visit(widget.widget(i))
        elif isinstance(widget, QStackedWidget):
            for i in range(widget.count()):
                visit(widget.widget(i))
        elif isinstance(widget, QSplitter):
            for i in range(widget.count()):
                visit(widget.widget(i))
        elif isinstance(widget, QScrollArea):
            if widget.widget() is not None:
                visit(widget.widget())
        elif isinstance(widget, QAbstractItemView):
            cells = [w for w in widget.viewport().findChildren(QWidget)
                     if w.parentWidget() is widget.viewport()]
            for cell in by_position(cells):
                visit(cell)
        elif widget.layout() is not None:
            visit_layout(widget.layout())
        # Children no layout places (drawn at fixed positions): by where they are.
        direct = widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        rest = [c for c in direct if id(c) not in seen and not c.isWindow()
                and not isinstance(widget, (QTabWidget, QStackedWidget, QAbstractItemView))]
        for child in by_position(rest):
            visit(child)

    visit(root)
    return order


def apply_tab_order(root: QWidget) -> None:
    """Make Tab under `root` follow layout_order()."""
    order = layout_order(root)
    for first, second in zip(order, order[1:], strict=False):
        QWidget.setTabOrder(first, second)
