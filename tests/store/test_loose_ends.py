"""Loose ends of printing: `report --group` prints with the workshop's own pack, and a
report killed half-way leaves no hidden temporary file once rmdesk starts again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tests.hostile_text import pdf_text

from rmdesk import leftovers
from rmdesk.app import EXIT_OK, main
from rmdesk.content.pack import BUILTIN_PACK_FILE
from rmdesk.paths import builtin_content_dir
from rmdesk.services.demo import create_demo
from rmdesk.services.packs import PackRegistry
from rmdesk.services.workshops import WorkshopInput, WorkshopService
from rmdesk.store.database import open_store

ROOT = Path(__file__).resolve().parents[2]


def test_report_group_prints_with_the_workshops_own_pack(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    source = builtin_content_dir() / BUILTIN_PACK_FILE
    text = source.read_text(encoding="utf-8")
    own = text.replace('en = "Practice pack: the Customs', 'en = "Harbour pack: the Customs', 1)
    assert own != text
    own = own.replace('\nid = "', '\nid = "harbour-', 1)
    pack_file = tmp_path / "harbour.toml"
    pack_file.write_text(own, encoding="utf-8")
    store = open_store(data)
    try:
        info = PackRegistry(data).import_pack(pack_file).info
        workshops = WorkshopService(store)
        workshop = workshops.create_workshop(WorkshopInput("Harbour"), info.id, info.version)
        workshops.add_group(workshop.id, "Alpha")
    finally:
        store.close()
    out = tmp_path / "alpha.pdf"
    assert main(["report", "--data-dir", str(data), "--workshop", "Harbour", "--group",
                 "Alpha", "-o", str(out)]) == EXIT_OK
    printed = " ".join(pdf_text(out).split())
    assert "Harbour pack: the Customs" in printed  # the cover names the workshop's pack


_KILLED_REPORT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from rmdesk import leftovers
    from rmdesk.reports import group_output
    from rmdesk.app import main

    def killed(report, lang, path):
        Path(path).write_bytes(b"%PDF-1.4 half")
        os.kill(os.getpid(), signal.SIGKILL)  # as a laptop's power button would

    group_output.build_group_pdf = killed
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
@pytest.mark.parametrize("what", [["--group", "Group 1"], ["--all-groups"]])
def test_a_killed_report_leaves_nothing_once_rmdesk_starts_again(
        tmp_path: Path, what: list[str]) -> None:
    data = tmp_path / "data"
    store = open_store(data)
    try:
        create_demo(store)
    finally:
        store.close()
    out = tmp_path / "usb stick"
    out.mkdir()
    target = out / "out.pdf" if "--group" in what else out
    run = subprocess.run(
        [sys.executable, "-c", _KILLED_REPORT, "report", "--data-dir", str(data),
         "--workshop", "Demo workshop", *what, "-o", str(target)],
        capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr
    hidden = [p for p in out.iterdir() if p.name.startswith(".")]
    assert hidden  # what the killed report left
    removed = leftovers.clean(data)  # what the next start does
    assert sorted(removed) == sorted(hidden)
    assert list(out.iterdir()) == []


def test_the_journal_never_deletes_files_rmdesk_did_not_make(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    precious = tmp_path / "thesis.pdf"
    precious.write_text("mine")
    dotted = tmp_path / ".rmdesk-notes.txt"
    dotted.write_text("mine too")
    leftovers.use(data)
    journal = data / "cache" / leftovers.JOURNAL_NAME
    journal.parent.mkdir()
    journal.write_text(f"{precious}\n{dotted}\nrelative/.rmdesk-x.pdf\n\x00\n")
    leftovers.clean(data)
    assert precious.read_text() == "mine" and dotted.read_text() == "mine too"
    assert not journal.exists()


def test_a_finished_report_leaves_the_journal_empty(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(data)
    try:
        create_demo(store)
    finally:
        store.close()
    assert main(["report", "--data-dir", str(data), "--workshop", "Demo workshop",
                 "--group", "Group 2", "-o", str(tmp_path / "g.pdf")]) == EXIT_OK
    journal = data / "cache" / leftovers.JOURNAL_NAME
    assert not journal.exists() or journal.read_text() == ""
    assert leftovers.clean(data) == []
