"""Composition root: command line, wiring, start-up."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

from rmdesk import __version__, cli_parsers, i18n
from rmdesk.cli_common import data_dir, open_command_store, open_existing_store
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES, _, ngettext

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_TRACE = bool(os.environ.get("RMDESK_TRACE_STARTUP"))


def _trace(stage: str) -> None:
    """Start-up stages on stderr, for bench/ and for anyone chasing a slow start."""
    if _TRACE:
        print(f"[startup] {time.perf_counter() * 1000:8.0f} ms  {stage}", file=sys.stderr)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="folder of the workshop store (default: the user data folder)")
    cli_parsers.database_option(parser)


def _window_size(text: str) -> tuple[int, int]:
    from rmdesk.screenshot import parse_size

    return parse_size(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rmdesk", description="Workbook for customs risk-management workshops.")
    parser.add_argument("--version", action="version", version=f"rmdesk {__version__}")
    _common(parser)
    parser.add_argument("--lang", help="interface language for this run: " + ", ".join(LANGUAGES))
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the main window and exit")
    parser.add_argument("--exercise", dest="open_exercise", metavar="ID",
                        help="open this exercise first (E9 or e9)")
    parser.add_argument("--size", dest="window_size", metavar="WxH", type=_window_size,
                        help="window size, frame included, e.g. 1366x768 (with --screenshot "
                        "the picture is the whole window, never larger)")
    parser.add_argument("--exit-when-shown", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("self-check", help="check catalogs, fonts, content, store and PDF")
    demo = sub.add_parser("demo", help="fill the data folder with the demo workshop")
    _common(demo)
    report = sub.add_parser(
        "report", help="write a group output PDF, every group's, or the workshop report")
    _common(report)
    report.add_argument("--workshop", required=True, help="workshop title")
    what = report.add_mutually_exclusive_group(required=True)
    what.add_argument("--group", help="group name: that group's output")
    what.add_argument("--all-groups", action="store_true",
                      help="one group output PDF per group into the folder given by -o")
    what.add_argument("--consolidated", action="store_true",
                      help="the whole workshop: status, comparisons and every group's work")
    what.add_argument("--exercise", metavar="ID",
                      help="one exercise across all groups, as shown (E3, E8) or by the "
                           "pack's id (e2e3)")
    release = report.add_mutually_exclusive_group()
    release.add_argument("--with-feedback", dest="with_feedback", action="store_true",
                         help="group outputs carry the facilitator's scores, feedback and "
                              "overall comment")
    release.add_argument("--without-feedback", dest="with_feedback", action="store_false",
                         help="leave them out of group outputs (the default)")
    report.add_argument("--lang", default="en",
                        help="PDF language: " + ", ".join(LANGUAGES)
                        + "; two separated by a comma (en,fr): each part in the first "
                        "language, then in the second")
    report.add_argument("-o", "--output", type=Path, required=True,
                        help="PDF file to write (a folder with --all-groups)")
    cli_parsers.add_pack_parser(sub)  # the commands' code loads only when they run
    cli_parsers.add_exchange_parsers(sub)
    cli_parsers.add_facilitator_parser(sub)
    cli_parsers.add_check_parser(sub)
    cli_parsers.add_restore_parser(sub)
    cli_parsers.add_data_parser(sub)
    cli_parsers.add_server_parser(sub)
    cli_parsers.add_sync_parser(sub)
    return parser


def _cli_language() -> None:
    """Messages on the terminal follow the system language when it is one we ship."""
    lang = i18n.system_language()
    if lang:
        try:
            i18n.set_language(lang)
        except OSError:
            pass


def _fail(error: RmdeskError | str) -> int:
    text = error.render(_) if isinstance(error, RmdeskError) else error
    print(_("rmdesk: error: {message}").format(message=text), file=sys.stderr)
    return EXIT_USAGE


def _check_language(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise RmdeskError("unknown_language", lang=lang, choices=", ".join(LANGUAGES))



def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "self-check":
            _cli_language()
            from rmdesk.selfcheck import run_self_check

            return run_self_check()
        if args.command == "demo":
            _cli_language()
            return cmd_demo(args)
        if args.command == "report":
            _cli_language()
            return cmd_report(args)
        if args.command == "pack":
            from rmdesk import cli_pack

            return cli_pack.run(args)
        if args.command == cli_parsers.CHECK_COMMAND:
            from rmdesk import cli_check

            return cli_check.run(args)
        if args.command == cli_parsers.FACILITATOR_COMMAND:
            from rmdesk import cli_facilitator

            return cli_facilitator.run(args)
        if args.command == cli_parsers.RESTORE_COMMAND:
            from rmdesk import cli_restore

            return cli_restore.run(args)
        if args.command == cli_parsers.SERVER_COMMAND:
            from rmdesk import cli_server

            return cli_server.run(args)
        if args.command == cli_parsers.DATA_COMMAND:
            from rmdesk import cli_data

            return cli_data.run(args)
        if args.command == cli_parsers.SYNC_COMMAND:
            from rmdesk import cli_sync

            return cli_sync.run(args)
        if args.command in cli_parsers.EXCHANGE_COMMANDS:
            _cli_language()
            from rmdesk import cli_exchange

            return cli_exchange.run(args)
        _check_language(args.lang)
        return run_gui(args)
    except RmdeskError as exc:
        if args.command is None:
            _cli_language()
        return _fail(exc)


def cmd_demo(args: argparse.Namespace) -> int:
    from rmdesk.services.demo import DEMO_TITLE, create_demo
    from rmdesk.services.workshops import WorkshopService

    store = open_command_store(args)
    try:
        workshops = WorkshopService(store)
        if any(w.title == DEMO_TITLE for w in workshops.list_workshops()):
            print(_("The demo workshop is already in {path}.").format(path=store.location))
            return EXIT_OK
        workshop = create_demo(store)
        groups = workshops.list_groups(workshop.id)
        workshops.select(workshop.id, groups[0].id if groups else None)
        print(ngettext("Created “{title}” with {count} group in {path}.",
                       "Created “{title}” with {count} groups in {path}.", len(groups)).format(
            title=workshop.title, count=len(groups), path=store.location))
    finally:
        store.close()
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from rmdesk import leftovers
    from rmdesk.services.workshop_reports import parse_languages, write_group_output

    leftovers.use(data_dir(args))  # a killed report's temporary PDF goes at the next start

    langs = parse_languages(args.lang)
    if args.group is None:
        return cmd_workshop_report(args, langs)
    from rmdesk.services.reports import gather_group_report
    from rmdesk.services.workshop_reports import workshop_pack
    from rmdesk.services.workshops import WorkshopService

    store = open_existing_store(args)
    try:
        workshops = WorkshopService(store)
        workshop = workshops.find_workshop(args.workshop)
        group = workshops.find_group(workshop.id, args.group)
        pack = workshop_pack(store, workshop.id)  # the workshop's own pack, as on screen
        report = gather_group_report(store, workshop.id, group.id, pack,
                                     with_feedback=args.with_feedback)
        out = write_group_output(report, langs, args.output)
    finally:
        store.close()
    print(out)
    print(feedback_note(args.with_feedback))
    return EXIT_OK


def feedback_note(released: bool) -> str:
    """Says whether the group outputs carry the facilitator's scores and feedback."""
    return (_("The facilitator's scores and feedback are included.") if released else
            _("The facilitator's scores and feedback are not included "
              "(--with-feedback adds them)."))


def cmd_workshop_report(args: argparse.Namespace, langs: tuple[str, ...]) -> int:
    """--all-groups, --consolidated or --exercise: the facilitator's PDFs, headless."""
    from rmdesk.services import workshop_reports as printing
    from rmdesk.services.workshops import WorkshopService

    store = open_existing_store(args)
    try:
        workshop = WorkshopService(store).find_workshop(args.workshop)
        if args.all_groups:
            written = printing.write_group_batch(store, workshop.id, args.output, langs,
                                                 with_feedback=args.with_feedback)
        elif args.consolidated:
            written = [printing.write_consolidated_pdf(store, workshop.id, args.output, langs)]
        else:
            from rmdesk.content.exercise_ids import find_exercise

            exercise = find_exercise(printing.workshop_pack(store, workshop.id), args.exercise)
            written = [printing.write_exercise_pdf(store, workshop.id, exercise.id,
                                                   args.output, langs)]
    finally:
        store.close()
    for path in written:
        print(path)
    if args.all_groups:
        print(feedback_note(args.with_feedback))
    return EXIT_OK


def run_gui(args: argparse.Namespace) -> int:
    # Start-up makes ~90,000 long-lived objects (modules, classes, SQLAlchemy and Qt
    # wrappers) and almost no garbage, yet the cyclic collector would scan them over and
    # over while they are made. Pause it until the window is shown, then freeze what exists
    # so that neither later collections nor the ones at exit scan it again.
    gc.disable()
    try:
        return _run_gui(args)
    finally:
        gc.enable()


def _run_gui(args: argparse.Namespace) -> int:
    # Store and content first, Qt after: once PySide6 is imported it inspects the source
    # of every module imported later, which made SQLAlchemy's import ~100 ms slower.
    _trace("run_gui")
    error: RmdeskError | None = None
    lang: str | None = None
    try:
        from rmdesk.content.pack import builtin_pack
        from rmdesk.services import settings as keys
        from rmdesk.services.settings import SettingsService

        store = open_command_store(args)
        from rmdesk import leftovers

        leftovers.clean(store.path.parent)  # what a killed rmdesk left half-written
        saved = SettingsService(store).get(keys.LANGUAGE)
        lang = args.lang or (saved if saved in LANGUAGES else None) or i18n.system_language()
        _trace("store open")
        from rmdesk import paths

        pack = builtin_pack(paths.cache_dir(store.path.parent))
        _trace("content loaded")
    except RmdeskError as exc:
        error = exc
    if error is not None and (args.screenshot or args.exit_when_shown):
        # Nobody is there to close a dialog: say it on stderr and stop (status 2).
        if args.lang:
            i18n.set_language(args.lang)
        else:
            _cli_language()
        return _fail(error)

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from rmdesk.i18n.qt import LanguageManager

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("rmdesk")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("rmdesk")  # Wayland/GNOME match the window to rmdesk.desktop
    _set_window_icon(app)
    manager = LanguageManager(app)
    if lang is None:  # Windows and macOS tell Qt, not the environment
        from PySide6.QtCore import QLocale

        lang = i18n.normalize_language(QLocale.system().name())
    manager.switch(lang or "en")
    _trace("QApplication and language")
    if error is not None:
        box = QMessageBox(QMessageBox.Icon.Critical, "rmdesk", error.render(_))
        box.setTextFormat(Qt.TextFormat.PlainText)  # it quotes a path
        box.exec()
        print(_("rmdesk: error: {message}").format(message=error.render(_)), file=sys.stderr)
        return EXIT_USAGE

    from rmdesk.ui.main_window import MainWindow

    _trace("ui imported")
    window = MainWindow(store, pack, manager)
    _trace("window built")
    if args.open_exercise or args.window_size:
        from rmdesk.content.exercise_ids import find_exercise

        try:
            if args.open_exercise:
                window.open_exercise(find_exercise(window.pack, args.open_exercise).id)
        except RmdeskError as exc:
            window.close()
            store.close()
            return _fail(exc)
        if args.window_size:
            window.remember_geometry = False  # a size for this run, not the next ones
            window.resize(*args.window_size)
    window.show()
    _trace("window shown")
    gc.freeze()
    gc.enable()
    if args.screenshot:
        from rmdesk.screenshot import prepare_and_capture

        prepare_and_capture(window, args.screenshot, args.window_size,
                            lambda ok: _quit(window, ok))
    elif args.window_size:
        from rmdesk.screenshot import apply_size

        apply_size(window, args.window_size, lambda: None)
    elif args.exit_when_shown:
        QTimer.singleShot(0, app.quit)
    elif not store.is_server:  # a start of the app: a rolling backup, once the window is up
        # (a server's database is backed up on the server, with pg_dump)
        from rmdesk.store import backups

        QTimer.singleShot(1500, lambda: backups.rolling_backup(store.path))
        daily = QTimer(app)  # a laptop left running for days still gets one a day
        daily.timeout.connect(lambda: backups.daily_backup(store.path))
        daily.start(3_600_000)
    code = app.exec()
    store.close()
    return code


def _set_window_icon(app: object) -> None:
    from PySide6.QtGui import QIcon

    from rmdesk import paths

    # A PNG, not the SVG: it needs no image plugin in a frozen build.
    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "rmdesk-256.png")))  # type: ignore[attr-defined]


def _quit(window: object, ok: bool) -> None:
    from PySide6.QtWidgets import QApplication

    window.close()  # type: ignore[attr-defined]
    QApplication.exit(EXIT_OK if ok else EXIT_FAILED)
