"""Every print a facilitator hands out, read back as text: each exercise of every demo group
through the group output, the one-exercise print, the consolidated report and a bilingual
print, in each language. None shows an internal id, a stored key, an ISO date, a number the
way Python writes it, or a sentence of rmdesk's own left in English. And each long print can
be found one's way in: bookmarks, page "x of y", a contents page, metadata, fonts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader
from tests.pdf_text import flat, page_texts

from rmdesk.content.exercise_ids import exercise_label
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.i18n.extract import POT
from rmdesk.services import workshop_reports as printing
from rmdesk.services.demo import create_demo
from rmdesk.services.facilitation import FacilitationService
from rmdesk.services.reports import gather_group_report
from rmdesk.services.workshops import WorkshopService
from rmdesk.store.database import Store, open_store

TODAY = dt.date(2026, 3, 6)

UUID = re.compile(r"\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b")
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# "33000.0", "96383400": a float or a long number as Python prints it (the version line
# "rmdesk 0.1.0" is taken out first; HS codes have 6 digits and stay). "4.0%" is English
# formatting, and what groups typed may hold any number ("USD 2.4 million").
RAW_NUMBER = re.compile(r"\b\d+\.0\b(?!\s?%)|\b\d{7,}\b")
VERSION = re.compile(r"rmdesk \d+(\.\d+)+")


def english_fragments(lang: str) -> list[str]:
    """rmdesk's own sentences whose translation differs: pieces between placeholders long
    enough (three words) that finding one in a print means it was left in English."""
    with (POT.parent / lang / "LC_MESSAGES" / "rmdesk.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    found = set()
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue  # an untranslated one (empty) counts: it prints in English
        for piece in re.split(r"\{[^}]*\}|\n", message.id):
            piece = " ".join(piece.split()).strip(" .:;,()")
            if len(piece.split()) >= 3 and len(piece) >= 16:
                found.add(piece)
    return sorted(found)


def faults(text: str, lang: str, fragments: list[str]) -> list[str]:
    text = VERSION.sub("", flat(text))
    problems = [f"{name}: {m}" for name, pattern in (
        ("internal id", UUID), ("stored key", SNAKE), ("ISO date", ISO_DATE),
        ("raw number", RAW_NUMBER)) for m in sorted(set(pattern.findall(text)))]
    if lang != "en":
        problems += [f"left in English: {f!r}" for f in fragments if f in text]
    return problems


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    store = open_store(tmp_path_factory.mktemp("demo"))
    workshop = create_demo(store)
    groups = WorkshopService(store).list_groups(workshop.id)
    # The facilitator has scored and commented, and released it to Group 1.
    facilitation = FacilitationService(store)
    facilitation.set_score(groups[0].id, "e4", 85)
    facilitation.set_feedback(groups[0].id, "e4", "Good ranking; say who escalates R7.")
    facilitation.set_overall_comment(groups[0].id, "A careful register.")
    yield store, workshop.id
    store.close()


def group_names(store: Store, workshop_id: str) -> list[str]:
    return [g.name for g in WorkshopService(store).list_groups(workshop_id)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_print_of_every_exercise_reads_in_its_language(
        demo: tuple[Store, str], tmp_path: Path, lang: str) -> None:
    store, workshop_id = demo
    pack = printing.workshop_pack(store, workshop_id)
    fragments = english_fragments(lang) if lang != "en" else []
    pdfs: list[Path] = []
    for group in WorkshopService(store).list_groups(workshop_id):
        report = gather_group_report(store, workshop_id, group.id, pack, TODAY,
                                     with_feedback=True)
        pdfs.append(printing.write_group_output(report, (lang,),
                                                tmp_path / f"{group.name}.pdf"))
    pdfs.append(printing.write_consolidated_pdf(store, workshop_id, tmp_path / "all.pdf",
                                                (lang,), today=TODAY))
    for exercise in pack.exercises:
        pdfs.append(printing.write_exercise_pdf(store, workshop_id, exercise.id,
                                                tmp_path / f"{exercise.id}.pdf", (lang,),
                                                today=TODAY))
    problems = {p.name: faults(" ".join(page_texts(p)), lang, fragments) for p in pdfs}
    assert not {k: v for k, v in problems.items() if v}

    # The one-exercise print shows each group's work as its group output does: the
    # complete Group 1's E4 decisions appear as words of this language.
    e4 = flat(" ".join(page_texts(tmp_path / "e4.pdf")))
    for name in group_names(store, workshop_id):
        assert name in e4
    _ = gettext_for(lang)
    assert _("Decision") in e4


def test_a_bilingual_print_reads_in_both_languages(demo: tuple[Store, str],
                                                   tmp_path: Path) -> None:
    store, workshop_id = demo
    pack = printing.workshop_pack(store, workshop_id)
    group = WorkshopService(store).list_groups(workshop_id)[0]
    report = gather_group_report(store, workshop_id, group.id, pack, TODAY)
    out = printing.write_group_output(report, ("en", "fr"), tmp_path / "en-fr.pdf")
    text = " ".join(page_texts(out))
    assert not faults(text, "en", [])
    info = PdfReader(out).metadata
    assert info is not None and "en" in str(info.get("/Keywords")) \
        and "fr" in str(info.get("/Keywords"))
    assert gettext_for("fr")("Case summary") in flat(text)
    assert "Case summary" in flat(text)


def outline_titles(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items: list[object], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title),  # type: ignore[attr-defined]
                              reader.get_destination_page_number(item)))  # type: ignore[arg-type]

    walk(reader.outline, 0)
    return found


@pytest.mark.parametrize("lang", ["fr", "pt_BR"])
def test_the_consolidated_report_can_be_found_ones_way_in(
        demo: tuple[Store, str], tmp_path: Path, lang: str) -> None:
    store, workshop_id = demo
    pack = printing.workshop_pack(store, workshop_id)
    out = printing.write_consolidated_pdf(store, workshop_id, tmp_path / "all.pdf", (lang,),
                                          today=TODAY)
    _ = gettext_for(lang)
    reader = PdfReader(out)
    pages = page_texts(out)
    total = len(pages)
    # Page "x of y" on every page, in the language of the print.
    for number, text in enumerate(pages, 1):
        assert _("Page {page} of {total}").format(page=number, total=total) in text
    # A bookmark for every group, with every exercise the group printed under it.
    outline = outline_titles(out)
    titles = [t for _d, t, _p in outline]
    names = group_names(store, workshop_id)
    for name in names:
        assert (0, name) in [(d, t) for d, t, _p in outline]
    complete = names.index("Group 1")
    start = titles.index(names[complete])
    children = [t for d, t, _p in outline[start + 1:start + 1 + len(pack.exercises) + 1]
                if d == 1]
    for exercise in pack.exercises:
        assert any(t.startswith(exercise_label(exercise) + " · ") for t in children)
    # Each bookmark leads to the page that shows it; the running header names the group.
    for depth, title, page in outline:
        assert flat(title)[:30] in pages[page], title
        if depth == 0 and title in names:
            assert f"Demo workshop · {title}" in pages[page]
    # A long print has its contents on page 2, pointing at the right pages.
    assert total > 8 and _("Contents") in pages[1]
    for name in names:
        line = re.search(re.escape(name) + r"[ .…]*(\d+)", pages[1])
        assert line is not None
        assert (0, name, int(line.group(1)) - 1) in outline
    # Metadata in the print's language; every font it uses is embedded.
    assert reader.trailer["/Root"]["/Lang"] == lang.replace("_", "-")
    assert _("Workshop report") in str(reader.metadata.get("/Title"))
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get(
                "/FontDescriptor")
            assert descriptor is not None, font["/BaseFont"]
            assert any(k in descriptor.get_object() for k in
                       ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


def test_a_short_print_has_no_contents_page(demo: tuple[Store, str], tmp_path: Path
                                            ) -> None:
    store, workshop_id = demo
    # Group 3 has barely started; on the 2-day agenda its output is a short print.
    from rmdesk.services import agenda

    full = printing.workshop_pack(store, workshop_id)
    pack = agenda.apply(full, agenda.preset_ids(full, "2-day"))
    group = WorkshopService(store).list_groups(workshop_id)[2]
    report = gather_group_report(store, workshop_id, group.id, pack, TODAY)
    out = printing.write_group_output(report, ("en",), tmp_path / "g3.pdf")
    pages = page_texts(out)
    assert len(pages) <= 8
    assert not any(text.lstrip().startswith("Demo workshop · Group 3 Contents")
                   for text in pages)
    assert all(f"Page {n} of {len(pages)}" in t for n, t in enumerate(pages, 1))


def test_the_scan_catches_what_it_looks_for() -> None:
    """The checks above can fail: each kind of fault, planted in a French text, is found."""
    fragments = english_fragments("fr")
    planted = ("Décision : 33000.0 le 2026-03-16 pour 3f2b9c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e "
               "(risk_area) — The register is empty: no risk has been entered yet.")
    found = " ".join(faults(planted, "fr", fragments))
    for kind in ("internal id", "stored key", "ISO date", "raw number", "left in English"):
        assert kind in found, kind
    assert not faults("Décision : 33 000 le 16 mars 2026 (zone de risque) 4.0%", "fr",
                      fragments)


def test_the_debrief_compares_what_the_groups_decided(demo: tuple[Store, str],
                                                      tmp_path: Path) -> None:
    """E6 choices and E12 levels as counts over the groups, E4 decisions per shared risk."""
    from rmdesk.services.targeting import TargetingService

    store, workshop_id = demo
    out = printing.write_consolidated_pdf(store, workshop_id, tmp_path / "all.pdf", ("en",),
                                          today=TODAY)
    pages = page_texts(out)
    start = next(i for i, t in enumerate(pages) if "What the groups decided" in t
                 and "Contents" not in t)
    text = flat(" ".join(pages[start:start + 3]))
    debrief = text[text.index("What the groups decided"):text.index("Case summary")]
    groups = WorkshopService(store).list_groups(workshop_id)
    picked: dict[str, int] = {}
    for group in groups:
        for pick in {p.indicator_id for p in TargetingService(store).picks(group.id)}:
            picked[pick] = picked.get(pick, 0) + 1
    assert picked
    for indicator_id, count in picked.items():
        assert re.search(rf"\b{indicator_id}\b .*? {count}/{len(groups)}\b", debrief), \
            indicator_id
    assert "How many groups treat or accept each risk they share." in debrief
    assert "Median" in debrief
