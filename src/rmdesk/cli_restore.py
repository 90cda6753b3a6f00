"""`rmdesk restore`: list the store's backups, or bring one back.

    rmdesk restore --list [--data-dir DIR]
    rmdesk restore [BACKUP] [--data-dir DIR] [--yes]

rmdesk keeps a copy of its store at every start (rmdesk.store.backups says which copies
it keeps). `restore` checks the chosen backup (the newest by default), asks for
confirmation (unless --yes), keeps the current file as a backup, and puts the chosen one
in its place. rmdesk must be closed on this laptop while it runs.

Exit status: 0 listed or restored; 1 not confirmed; 2 no such backup, a damaged backup,
rmdesk still open, or a data folder or language that cannot be used.
"""

from __future__ import annotations

import argparse
import sys

from rmdesk.cli_common import data_dir, use_message_language
from rmdesk.cli_facilitator import _confirmed

EXIT_OK, EXIT_FAILED = 0, 1


def run(args: argparse.Namespace) -> int:
    from rmdesk.cli_common import database

    use_message_language(args)
    if database(args):
        from rmdesk.errors import RmdeskError
        from rmdesk.store.server import redact

        raise RmdeskError("server_no_backups", server=redact(database(args) or ""))
    return cmd_list(args) if args.list else cmd_restore(args)


def _kind(kind: str) -> str:
    from rmdesk.i18n import _
    from rmdesk.store import backups

    if kind == backups.AUTO:
        return _("automatic")
    if kind == backups.BEFORE_RESTORE:
        return _("the file a restore replaced")
    return _("before an upgrade (schema {revision})").format(revision=kind)


def _made(backup: object) -> str:
    return backup.made.strftime("%Y-%m-%d %H:%M:%S")  # type: ignore[attr-defined]


def cmd_list(args: argparse.Namespace) -> int:
    from rmdesk.i18n import _
    from rmdesk.store import backups

    found = backups.list_backups(data_dir(args))
    if not found:
        print(_("There are no backups in {path}.").format(
            path=backups.backups_dir(data_dir(args))))
        return EXIT_OK
    rows = [(_("BACKUP"), _("MADE"), _("SIZE"), _("KIND"))]
    rows += [(b.name, _made(b), f"{b.size / 1e6:.1f} MB", _kind(b.kind)) for b in found]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)),
                         row[3]]))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from rmdesk.i18n import _
    from rmdesk.paths import STORE_FILENAME
    from rmdesk.store import backups

    folder = data_dir(args)
    store_path = folder / STORE_FILENAME
    backup = backups.find_backup(folder, args.backup)
    backups.check_backup(backup.path)  # before asking: a damaged one is refused at once
    if not args.yes:
        print(_("This replaces the workshop file {path} with the backup {name}, made on "
                "{made}. The current file is kept as a backup first.").format(
            path=store_path, name=backup.name, made=_made(backup)))
        if not _confirmed(_("Type “{yes}” to restore the backup: ").format(yes=_("yes"))):
            print(_("Nothing was changed."), file=sys.stderr)
            return EXIT_FAILED
    kept = backups.restore(folder, backup)
    print(_("Restored the backup {name} to {path}.").format(name=backup.name, path=store_path))
    if kept is not None:
        print(_("The file it replaced is kept as {kept}.").format(kept=kept))
    return EXIT_OK
