"""`rmdesk --screenshot out.png [--exercise E9] [--size 1366x768]`: a picture of the main
window for the guides, the README and checks on a small screen.

With --size the window, frame and title bar included, is made to fit in that size, and
the capture is the whole window (from the screen when the window manager draws a frame,
so the picture is what a user sees); it is never larger than the size asked for.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from rmdesk.i18n import _

SETTLE_MS = 300  # lets a window manager frame the window and the page lay itself out


def parse_size(text: str) -> tuple[int, int]:
    """"1366x768" -> (1366, 768), for argparse."""
    import argparse

    match = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", text)
    if match is None:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a window size such as 1366x768").format(value=text))
    return int(match.group(1)), int(match.group(2))


def apply_size(window: object, size: tuple[int, int], then: Callable[[], None]) -> None:
    """Make the window, frame included, `size` at the top left of its screen, then call
    `then` once it has settled."""
    from PySide6.QtCore import QSize, Qt, QTimer

    wanted = QSize(*size)
    window.setWindowState(Qt.WindowState.WindowNoState)  # type: ignore[attr-defined]
    window.resize(wanted)  # type: ignore[attr-defined]

    def fit_frame() -> None:
        # Only now does the window manager's frame have a size: take it off the client.
        frame, inner = window.frameGeometry(), window.geometry()  # type: ignore[attr-defined]
        extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
        window.resize(wanted - extra)  # type: ignore[attr-defined]
        screen = window.screen()  # type: ignore[attr-defined]
        if screen is not None:
            window.move(screen.availableGeometry().topLeft())  # type: ignore[attr-defined]
        QTimer.singleShot(SETTLE_MS, then)

    QTimer.singleShot(SETTLE_MS, fit_frame)


def prepare_and_capture(window: object, path: Path, size: tuple[int, int] | None,
                        done: Callable[[bool], None]) -> None:
    """Size the window, let it settle, capture it to `path`, then call done(ok)."""
    from PySide6.QtCore import QSize, QTimer

    if size is None:
        QTimer.singleShot(150, lambda: done(_capture(window, path, None)))
        return
    apply_size(window, size, lambda: done(_capture(window, path, QSize(*size))))


def _capture(window: object, path: Path, limit: object) -> bool:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = window.frameGeometry()  # type: ignore[attr-defined]
    inner = window.geometry()  # type: ignore[attr-defined]
    screen = window.screen()  # type: ignore[attr-defined]
    on_screen = screen is not None and screen.geometry().contains(frame)
    framed = frame != inner and on_screen and QGuiApplication.platformName() == "xcb"
    if limit is not None and framed:
        picture = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    else:
        picture = window.grab()  # type: ignore[attr-defined]
    if limit is not None and (picture.width() > limit.width()  # type: ignore[attr-defined]
                              or picture.height() > limit.height()):  # type: ignore[attr-defined]
        print(_("rmdesk: error: {message}").format(message=_(
            "the window needs at least {width}×{height} pixels").format(
                width=picture.width(), height=picture.height())), file=sys.stderr)
        return False
    if not picture.save(str(path), "PNG"):
        print(_("rmdesk: error: {message}").format(message=path), file=sys.stderr)
        return False
    return True
