"""Pages a reader would not accept: a heading alone at the foot of a page, one table row
alone on a page, a page holding only a group's title.

Every demo group's output and the consolidated report are laid out in each language while
recording which flowable lands on which page (the document's afterFlowable hook) and which
tables were split at a page break (Table.split, wrapped).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from rmdesk.i18n import LANGUAGES
from rmdesk.reports import group_output, workshop_output
from rmdesk.reports.navigation import Anchor, ContentsSlot
from rmdesk.services import workshop_reports as printing
from rmdesk.services.demo import create_demo
from rmdesk.services.reports import gather_group_report
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store, open_store

TODAY = dt.date(2026, 3, 6)
HEADINGS = {"h1", "h2", "group", "title"}
NOT_CONTENT = (Spacer, CondPageBreak, PageBreak, Anchor, ContentsSlot, KeepTogether)

Pages = dict[int, list[object]]


class Recorder:
    """Which flowable was drawn on which page, and which tables are pieces of a split."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.pages: Pages = {}
        original_split = Table.split

        def split(table: Table, width: float, height: float) -> list[object]:
            pieces = original_split(table, width, height)
            if len(pieces) > 1:
                for piece in pieces:
                    piece._piece_of_split = True  # type: ignore[attr-defined]
            return pieces

        monkeypatch.setattr(Table, "split", split)
        original_document = group_output.a4_document

        def document(*args: object, **kwargs: object):
            doc = original_document(*args, **kwargs)  # type: ignore[arg-type]
            self.pages = {}
            doc.afterFlowable = lambda f: self.pages.setdefault(doc.page, []).append(f)
            return doc

        monkeypatch.setattr(group_output, "a4_document", document)
        monkeypatch.setattr(workshop_output, "a4_document", document)


def style(flowable: object) -> str:
    return getattr(getattr(flowable, "style", None), "name", "") \
        if isinstance(flowable, Paragraph) else ""


def content(items: list[object]) -> list[object]:
    return [f for f in items if not isinstance(f, NOT_CONTENT)
            and not (isinstance(f, Paragraph) and not f.getPlainText().strip())]


def text(flowable: object) -> str:
    if isinstance(flowable, list | tuple) and flowable:
        return text(flowable[0])
    if isinstance(flowable, Paragraph):
        return flowable.getPlainText()[:60]
    return type(flowable).__name__


def faults(pages: Pages) -> list[str]:
    found = []
    numbers = sorted(pages)
    for number in numbers:
        items = content(pages[number])
        if not items:
            continue
        last = items[-1]
        following = content(pages.get(number + 1, []))
        if number != numbers[-1] and style(last) in HEADINGS:
            found.append(f"page {number}: heading alone at the foot: {text(last)!r}")
        if (len(items) >= 2 and style(items[-2]) in HEADINGS and style(last) == "small"
                and following and isinstance(following[0], Table)):
            found.append(f"page {number}: heading and its note, table overleaf: "
                         f"{text(items[-2])!r}")
        if all(style(f) in HEADINGS | {"small", "subtitle"} for f in items) and any(
                style(f) == "group" for f in items):
            found.append(f"page {number}: only a group's title: {text(items[0])!r}")
        for f in items:
            if isinstance(f, Table) and getattr(f, "_piece_of_split", False):
                body = len(f._cellvalues) - (f.repeatRows if isinstance(f.repeatRows, int)
                                             else len(f.repeatRows))
                if body < 2:
                    found.append(f"page {number}: one table row alone: "
                                 f"{text(f._cellvalues[-1][0])!r}")
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str, list[str]]:
    store = open_store(tmp_path_factory.mktemp("typeset") / "data")
    workshop = create_demo(store)
    groups = [g.id for g in WorkshopService(store).list_groups(workshop.id)]
    yield store, workshop.id, groups
    store.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_group_outputs_break_pages_well(demo, lang: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    store, workshop_id, groups = demo
    recorder = Recorder(monkeypatch)
    problems = []
    for group_id in groups:
        report = gather_group_report(store, workshop_id, group_id, today=TODAY,
                                     with_feedback=True)
        printing.write_group_output(report, (lang,), tmp_path / "group.pdf")
        assert len(recorder.pages) > 3
        problems += [f"{report.group_name}: {p}" for p in faults(recorder.pages)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_consolidated_report_breaks_pages_well(demo, lang: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store, workshop_id, _groups = demo
    recorder = Recorder(monkeypatch)
    printing.write_consolidated_pdf(store, workshop_id, tmp_path / "all.pdf", (lang,),
                                    today=TODAY)
    assert not faults(recorder.pages), "\n".join(faults(recorder.pages))


def test_the_checks_see_each_fault() -> None:
    """The rules above flag what they are meant to flag."""
    from reportlab.lib.styles import ParagraphStyle

    def para(name: str, words: str = "Text") -> Paragraph:
        return Paragraph(words, ParagraphStyle(name))

    piece = Table([["Head"], ["Row 9"]], repeatRows=1)
    piece._piece_of_split = True  # type: ignore[attr-defined]
    assert faults({1: [para("body"), para("h2", "Risk register")],
                   2: [para("body")]})[0].startswith("page 1: heading alone")
    assert "only a group's title" in " ".join(faults({
        1: [para("body")], 2: [para("group", "G")], 3: [para("body")]}))
    assert "one table row alone" in faults({1: [piece]})[0]
    assert "table overleaf" in " ".join(faults({
        1: [para("h2", "Indicators"), para("small", "Which ones")],
        2: [Table([["a"], ["b"]])]}))
    assert faults({1: [para("h2"), para("body")], 2: [para("h1")]}) == []
