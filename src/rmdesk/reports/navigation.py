"""Finding one's way in a long print: bookmarks (the PDF outline), the running header
("workshop · group" on every page), page "x of y" in the footer and, for prints longer than
CONTENTS_FROM pages, a contents page after the cover.

All of it in one pass of reportlab, so a 30-group report costs no second layout:
- an Anchor (a flowable of no size) placed before a heading records, when it is drawn,
  the page, adds the bookmark and sets the running header;
- the page numbers are form XObjects drawn on every page and defined when the document is
  saved, once the total is known;
- the contents is laid out last (every anchor is known by then) and its pages are moved
  to just after the cover when the document is saved, every page number shifted to match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak

CONTENTS_FROM = 9  # prints longer than 8 pages get a contents page


@dataclass
class Entry:
    title: str
    level: int
    key: str
    page: int  # the page as laid out (before the contents pages are moved)


@dataclass
class Navigation:
    """What the anchors found while the document was laid out."""

    entries: list[Entry] = field(default_factory=list)
    running: dict[int, str] = field(default_factory=dict)  # level -> current title
    slot: int = 0  # the first page after the cover: where the contents goes
    contents_pages: list[int] = field(default_factory=list)
    contents_count: int = 0  # how many pages the contents takes (known when laid out)

    def final_page(self, page: int) -> int:
        """A page's number once the contents pages stand after the cover."""
        if page in self.contents_pages:
            return self.slot + self.contents_pages.index(page)
        if self.slot and page >= self.slot:
            return page + self.contents_count
        return page

    def header(self) -> str:
        return " · ".join(self.running[level] for level in sorted(self.running))


class Anchor(Flowable):
    """A bookmark: an outline entry at `level` and, when `running`, the title the running
    header shows from this page on (a deeper level's title is cleared)."""

    def __init__(self, nav: Navigation, title: str, level: int = 0,
                 running: bool = False) -> None:
        super().__init__()
        self.nav, self.title, self.level, self.running = nav, " ".join(title.split()), \
            level, running
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        key = f"nav{len(self.nav.entries)}"
        canvas.bookmarkPage(key, fit="FitH", top=self._top(canvas))
        # reportlab refuses to skip a level: a child of nothing becomes a top entry.
        deepest = self.nav.entries[-1].level + 1 if self.nav.entries else 0
        level = min(self.level, deepest)
        canvas.addOutlineEntry(self.title or "—", key, level=level, closed=level == 0)
        self.nav.entries.append(Entry(self.title, level, key, canvas.getPageNumber()))
        if self.running:
            self.nav.running = {k: v for k, v in self.nav.running.items() if k < self.level}
            self.nav.running[self.level] = self.title

    def _top(self, canvas: Canvas) -> float:
        return float(canvas.absolutePosition(0, 0)[1]) + 12


class ContentsSlot(Flowable):
    """Marks the first page after the cover: the contents pages go before it."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def __init__(self, nav: Navigation) -> None:
        super().__init__()
        self.nav = nav

    def draw(self) -> None:
        self.nav.slot = self.canv.getPageNumber()


class Contents(Flowable):
    """The contents, laid out at the end of the story (see the module doc). One line per
    entry of a fixed height, so the number of its pages is known before it is drawn. Draws
    nothing when the print is CONTENTS_FROM pages or shorter."""

    LINE = 13.0

    def __init__(self, nav: Navigation, doc: Any, title: str, font: str, bold: str,
                 rows: list[Entry] | None = None, first: bool = True) -> None:
        super().__init__()
        self.nav, self.doc, self.title, self.font, self.bold = nav, doc, title, font, bold
        self.rows, self.first = rows, first

    def _needed(self) -> bool:
        return self.doc.page + 1 >= CONTENTS_FROM and len(self.nav.entries) > 1

    def _head(self) -> float:
        return 30.0 if self.first else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        if self.rows is None:
            if not self._needed():
                return 0, 0
            return availWidth, availHeight + 1  # split() lays it out on fresh pages
        return availWidth, self._head() + len(self.rows) * self.LINE

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if self.rows is not None or not self._needed():
            return []
        if not getattr(self.doc.frame, "_atTop", True):
            return [PageBreak(), self]
        frame_h = availHeight
        chunks: list[list[Entry]] = []
        rows = list(self.nav.entries)
        room = int((frame_h - 30.0) // self.LINE)
        while rows:
            chunks.append(rows[:room])
            rows = rows[room:]
            room = int(frame_h // self.LINE)
        self.nav.contents_count = len(chunks)
        story: list[Flowable] = []
        for index, chunk in enumerate(chunks):
            story += [PageBreak()] if index else []
            story.append(_ContentsPage(self.nav, self.doc, self.title, self.font, self.bold,
                                       chunk, index == 0))
        return story

    def draw(self) -> None:  # only its pages draw
        return


class _ContentsPage(Contents):
    def __init__(self, nav: Navigation, doc: Any, title: str, font: str, bold: str,
                 rows: list[Entry], first: bool) -> None:
        super().__init__(nav, doc, title, font, bold, rows, first)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def draw(self) -> None:
        canvas, rows = self.canv, self.rows or []
        self.nav.contents_pages.append(canvas.getPageNumber())
        self.nav.running = {}  # the contents belongs to no group: no group in its header
        top = self._head() + len(rows) * self.LINE
        canvas.saveState()
        if self.first:
            canvas.setFont(self.bold, 14)
            canvas.drawString(0, top - 16, self.title)
        y = top - self._head()
        for entry in rows:
            y -= self.LINE
            indent = 12.0 * entry.level
            font, size = (self.bold, 9) if entry.level == 0 else (self.font, 8.5)
            number = str(self.nav.final_page(entry.page))
            room = self.width - indent - stringWidth(number, font, size) - 14
            text = _shorten(entry.title, font, size, room)
            canvas.setFont(font, size)
            canvas.drawString(indent, y + 3, text)
            canvas.drawRightString(self.width, y + 3, number)
            canvas.setDash(0.5, 2)
            canvas.setLineWidth(0.3)
            start = indent + stringWidth(text, font, size) + 4
            end = self.width - stringWidth(number, font, size) - 4
            if end > start:
                canvas.line(start, y + 3, end, y + 3)
            canvas.setDash()
            canvas.linkRect("", entry.key, (0, y, self.width, y + self.LINE), relative=1,
                            thickness=0)
        canvas.restoreState()


def _shorten(text: str, font: str, size: float, room: float) -> str:
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


def page_number_form(n: int) -> str:
    return f"rmdeskPage{n}"


class NumberedCanvas(Canvas):
    """A canvas whose page numbers ("Page 3 of 16") are filled in when it is saved, and
    which moves the contents pages to just after the cover. `label` formats (page,
    total); `place` draws the label (right-aligned) on the page; both are set by
    navigated_build."""

    nav: Navigation
    label: Callable[[int, int], str]
    place: Callable[[Canvas, str], None]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._numbered = 0

    def draw_page_number(self) -> None:
        """Called on every page (by the page template): a form filled in at save."""
        self._numbered = max(self._numbered, self.getPageNumber())
        self.doForm(page_number_form(self.getPageNumber()))

    def save(self) -> None:
        if self._code:  # the last page, as Canvas.save would
            self.showPage()
        nav = self.nav
        total = self.getPageNumber() - 1
        for page in range(1, self._numbered + 1):
            self.beginForm(page_number_form(page))
            self.place(self, self.label(nav.final_page(page), total))
            self.endForm()
        if nav.contents_pages and nav.slot:
            pages = self._doc.Pages.pages
            moved = [pages[p - 1] for p in nav.contents_pages]
            rest = [pg for i, pg in enumerate(pages, 1) if i not in nav.contents_pages]
            at = nav.slot - 1
            self._doc.Pages.pages = rest[:at] + moved + rest[at:]
        super().save()


def footer_line(canvas: Canvas, font: str, size: float, width: float, margin: float,
                text: str, right_room: float) -> None:
    """`text` at the left of the footer, shortened to leave `right_room` for the number."""
    room = width - right_room
    canvas.setFont(font, size)
    canvas.drawString(margin, 8.5 * mm, _shorten(text, font, size, room))
