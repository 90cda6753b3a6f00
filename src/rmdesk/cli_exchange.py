"""`rmdesk export` and `rmdesk import`: moving work between laptops from the command line.

    rmdesk export --workshop TITLE -o kit.rmdx                 the workshop kit
    rmdesk export --workshop TITLE --kit-for NAME -o kit.rmdx  the kit for one group's laptops
    rmdesk export --workshop TITLE --group NAME -o work.rmdx   one group's work
    rmdesk import FILE... [--dry-run]                          kits or group work files

Each file is imported on its own, all or nothing; a refused file does not stop the others,
and the exit status is 1 when any file was refused.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from rmdesk.cli_common import open_command_store, open_existing_store
from rmdesk.cli_parsers import EXCHANGE_COMMANDS, add_exchange_parsers

if TYPE_CHECKING:
    from rmdesk.services.exchange import ImportReport

COMMANDS = EXCHANGE_COMMANDS
EXIT_OK, EXIT_FAILED = 0, 1


# The parsers are rmdesk.cli_parsers.add_exchange_parsers (app.py builds them without
# this module).
add_parser = add_exchange_parsers



def run(args: argparse.Namespace) -> int:
    if args.command == "export":
        return _export(args)
    return _import(args)


def _export(args: argparse.Namespace) -> int:
    from rmdesk.i18n import _
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.services.workshops import WorkshopService

    store = open_existing_store(args)
    try:
        workshops = WorkshopService(store)
        workshop = workshops.find_workshop(args.workshop)
        exchange = ExchangeService(store)
        store.check()  # a damaged store is not copied to other laptops
        if args.group is None:
            kit_group = (workshops.find_group(workshop.id, args.kit_for)
                         if args.kit_for else None)
            report = exchange.export_kit(workshop.id, args.output,
                                         kit_group.id if kit_group else None)
            if kit_group is None:
                print(_("Wrote the workshop kit of “{title}” to {path}.").format(
                    title=workshop.title, path=report.path))
            else:
                print(_("Wrote the workshop kit of “{title}” for the laptops of group "
                        "“{name}” to {path}.").format(
                    title=workshop.title, name=kit_group.name, path=report.path))
            if report.missing_pack:
                print(_("Warning: the content pack {name} is not in the data folder, so the "
                        "kit does not carry it.").format(name=report.missing_pack),
                      file=sys.stderr)
        else:
            group = workshops.find_group(workshop.id, args.group)
            report = exchange.export_group_work(group.id, args.output)
            print(_("Wrote the work of group “{name}” to {path}.").format(
                name=group.name, path=report.path))
    finally:
        store.close()
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from rmdesk.i18n import _
    from rmdesk.services.exchange import ExchangeService

    store = open_command_store(args)
    try:
        reports = ExchangeService(store).import_files(args.files, dry_run=args.dry_run)
    finally:
        store.close()
    if args.dry_run:
        print(_("Dry run: nothing was written."))
    for report in reports:
        for line in describe_report(report):
            print(line, file=sys.stderr if report.refused else sys.stdout)
    return EXIT_FAILED if any(r.refused for r in reports) else EXIT_OK


def describe_report(report: ImportReport) -> list[str]:
    """Lines summing up one file's import (plain text, translated)."""
    from rmdesk.i18n import _
    from rmdesk.services.exchange.archive import display_name

    if report.error is not None:
        return [_("Refused: {message}").format(message=report.error.render(_))]
    lines = [_("{file}: added {added}, updated {updated}, conflicts {conflicts}, "
               "unchanged {unchanged}.").format(
        file=display_name(report.path), added=report.added, updated=report.updated,
        conflicts=len(report.conflicts), unchanged=report.unchanged)]
    if report.kind == "workshop-kit" and report.group_name and report.applied:
        lines.append("  " + _("This laptop is set up for group “{name}”: it can sign that "
                              "group's work.").format(name=report.group_name))
    for change in report.conflicts:
        lines.append("  " + _("Conflict: {what} “{label}”: both versions are kept; choose "
                              "one in the import dialog.").format(
            what=_(change.table_label), label=change.label))
    return lines
