"""Text is text in every print: markup in pack texts, typed answers, names and feedback
is printed literally (and no <img> pulls a local file into a PDF)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile_text import MARK, hostile_workshop, interpreted, leaks, pdf_text

from rmdesk.services.reports import gather_group_report
from rmdesk.services.workshop_reports import (
    write_consolidated_pdf,
    write_exercise_pdf,
    write_group_output,
)
from rmdesk.store.database import Store


@pytest.fixture
def hostile(store: Store, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    return hostile_workshop(store, monkeypatch)


def _check(path: Path, least: int) -> None:
    text = pdf_text(path)
    assert not interpreted(text), (path.name, leaks(text)[:5])
    assert text.count("QB") >= least, path.name  # the marks were printed, as text
    assert "passwd" in text


def test_every_group_output_prints_markup_literally(store: Store, hostile, tmp_path: Path
                                                    ) -> None:
    workshop_id, groups, pack = hostile
    for i, group_id in enumerate(groups):
        report = gather_group_report(store, workshop_id, group_id, pack)
        langs = (("en",), ("es", "fr"), ("pt_BR",))[i % 3]
        out = write_group_output(report, langs, tmp_path / f"group-{i}.pdf")
        _check(out, 20)


def test_the_workshop_report_prints_markup_literally(store: Store, hostile, tmp_path: Path
                                                     ) -> None:
    workshop_id, _groups, pack = hostile
    _check(write_consolidated_pdf(store, workshop_id, tmp_path / "all.pdf", ("fr",), pack), 50)


def test_every_exercise_report_prints_markup_literally(store: Store, hostile, tmp_path: Path
                                                       ) -> None:
    workshop_id, _groups, pack = hostile
    for exercise in pack.exercises:
        out = write_exercise_pdf(store, workshop_id, exercise.id,
                                 tmp_path / f"{exercise.id}.pdf", ("es",), pack)
        _check(out, 2)


def test_the_mark_is_markup_indeed() -> None:
    """The check can fail: the same text, taken as markup, is caught."""
    from reportlab.platypus import Paragraph

    assert interpreted(Paragraph(MARK.replace("<img src=\"/etc/passwd\"/>", "")).getPlainText())
    assert not interpreted(MARK)


@pytest.mark.parametrize("tag", ['<img src="/etc/passwd"/>', "<IMG src='a.png'>",
                                 '< img src="a.png" width="9"/>'])
def test_no_paragraph_can_hold_a_picture(tag: str, tmp_path: Path) -> None:
    """However a text reached a paragraph unescaped, an <img> in it stays text."""
    from reportlab.platypus import Paragraph

    from rmdesk.reports.group_output import no_images

    paragraph = Paragraph(no_images(f"<b>bold</b> {tag}"))
    assert "img" in paragraph.getPlainText().lower()
    assert "<b>" not in paragraph.getPlainText()  # the code's own markup still works
