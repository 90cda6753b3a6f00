"""`rmdesk self-check`: prove an installation has everything it needs, without a screen."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from rmdesk import i18n
from rmdesk.i18n import LANGUAGES, _


def _check_catalogs() -> str:
    counts = []
    for lang in LANGUAGES[1:]:
        catalog = i18n.translations(lang)
        count = len(getattr(catalog, "_catalog", {})) - 1  # minus the header entry
        if count <= 0:
            raise RuntimeError(f"catalog {lang} is empty")
        counts.append(f"{lang} {count}")
    return ", ".join(counts)


def _check_qtbase() -> str:
    from rmdesk.i18n.qt import load_qtbase

    missing = [lang for lang in LANGUAGES[1:] if load_qtbase(lang) is None]
    if missing:
        raise RuntimeError("qtbase translations missing for " + ", ".join(missing))
    return ", ".join(LANGUAGES[1:])


def _check_fonts() -> str:
    from rmdesk.reports.fonts import register_fonts

    return ", ".join(register_fonts())


def _check_content() -> str:
    from rmdesk.content.pack import builtin_pack

    pack = builtin_pack()
    return f"{pack.pack.id} {pack.pack.version}, {len(pack.texts())} texts"


def _check_exercise_modules() -> str:
    """The editors and PDF sections are imported by name when first used: a bundle that
    left one out would fail only then, in front of a group."""
    import importlib

    from rmdesk.reports.sections import SECTION_MODULES
    from rmdesk.ui.exercise_pages import PAGE_CLASSES

    for target in PAGE_CLASSES.values():
        module, name = target.split(":")
        getattr(importlib.import_module(f"rmdesk.ui.{module}"), name)
    for module in SECTION_MODULES.values():
        importlib.import_module(f"rmdesk.reports.sections.{module}").section  # noqa: B018
    return f"{len(PAGE_CLASSES)} editors, {len(SECTION_MODULES)} PDF sections"


def _check_signatures() -> str:
    """Exchange files are signed with Ed25519 from `cryptography`, whose native part a
    bundle must carry: sign, check, and see a changed byte refused."""
    from rmdesk.services.exchange import trust

    pair = trust.new_keypair()
    signature = trust.sign(pair.private, b"self-check")
    if not trust.verify(pair.public, signature, b"self-check") or \
            trust.verify(pair.public, signature, b"self-checK"):
        raise RuntimeError("Ed25519 signatures do not verify as they should")
    return "Ed25519"


class Skipped(Exception):
    """A check of something optional that this installation does not have."""


def _check_server_driver() -> str:
    """psycopg with its own libpq (the binary implementation), and SQLAlchemy's dialect
    for it: what connecting to a classroom server needs. Optional in a Python install
    (the "server" extra); a package for laptops must carry it, as they have neither
    internet nor a system libpq."""
    import sys

    from rmdesk.store.server import driver_missing

    frozen = getattr(sys, "frozen", False)
    try:
        import psycopg
    except ImportError as exc:  # the reason too: a package may carry a part, not all
        said = f"{driver_missing().render(_)} ({' '.join(str(exc).split())[:300]})"
        if frozen:
            raise RuntimeError(said) from None
        raise Skipped(said) from None
    from sqlalchemy import create_engine

    if frozen and psycopg.pq.__impl__ != "binary":  # a system libpq a laptop lacks
        raise RuntimeError(f"psycopg uses its {psycopg.pq.__impl__} implementation, not "
                           "the binary one with its own libpq")
    create_engine("postgresql+psycopg://self-check@localhost/none").dispose()  # no connection
    return (f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}), libpq "
            f"{psycopg.pq.version() // 10000}.{psycopg.pq.version() % 10000}")


def _check_store_and_pdf(folder: Path) -> str:
    from rmdesk.services.register import RegisterService
    from rmdesk.services.reports import gather_group_report, write_group_pdf
    from rmdesk.services.workshops import WorkshopInput, WorkshopService
    from rmdesk.store.database import open_store

    store = open_store(folder / "store")
    try:
        workshops = WorkshopService(store)
        workshop = workshops.create_workshop(WorkshopInput("Self-check", "Ação ñ é"))
        group = workshops.add_group(workshop.id, "Group 1")
        RegisterService(store).add_risk(group.id, event="Subfaturamento de calçados",
                                        likelihood=4, impact=3, area="revenue")
        report = gather_group_report(store, workshop.id, group.id, today=dt.date.today())
        sizes = []
        for lang in LANGUAGES:
            pdf = write_group_pdf(report, lang, folder / f"check-{lang}.pdf")
            data = pdf.read_bytes()
            if not data.startswith(b"%PDF"):
                raise RuntimeError(f"{pdf} is not a PDF")
            sizes.append(f"{lang} {len(data) // 1024} KiB")
    finally:
        store.close()
    return ", ".join(sizes)


def run_self_check() -> int:
    checks: list[tuple[str, Callable[[], str]]] = [
        (_("translation catalogs"), _check_catalogs),
        (_("Qt's own translations"), _check_qtbase),
        (_("PDF fonts"), _check_fonts),
        (_("built-in content"), _check_content),
        (_("exercise editors and PDF sections"), _check_exercise_modules),
        (_("exchange file signatures"), _check_signatures),
        (_("classroom server driver"), _check_server_driver),
    ]
    failed = skipped = 0
    # Windows cannot delete a file another handle still holds (an antivirus scanning the
    # PDFs): a leftover temporary folder must not turn a passed check into a traceback.
    with tempfile.TemporaryDirectory(prefix="rmdesk-selfcheck-",
                                     ignore_cleanup_errors=True) as tmp:
        checks.append((_("store and PDF"), lambda: _check_store_and_pdf(Path(tmp))))
        for name, check in checks:
            try:
                detail = check()
            except Skipped as exc:  # optional, not installed here: said, not counted
                skipped += 1
                print(f"skip  {name}: {exc}")
                continue
            except Exception as exc:  # noqa: BLE001 - every failure is reported, then counted
                failed += 1
                print(f"FAIL  {name}: {exc}")
            else:
                print(f"ok    {name}: {detail}")
    print(_("{passed} passed, {failed} failed").format(
        passed=len(checks) - failed - skipped, failed=failed))
    return 0 if failed == 0 else 1
