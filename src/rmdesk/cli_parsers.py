"""The argument parsers of `rmdesk pack ...`, `rmdesk export`, `rmdesk import` and
`rmdesk facilitator ...`.

Kept apart from cli_pack, cli_exchange and cli_facilitator, which do the work: app.py needs
every parser to parse a command line, but starting the app should not load the code of the
commands.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rmdesk.i18n import LANGUAGES

EXCHANGE_COMMANDS = ("export", "import")


def database_option(parser: argparse.ArgumentParser, required: bool = False) -> None:
    """--database URL: the store on a PostgreSQL server instead of the data folder's file."""
    parser.add_argument("--database", metavar="URL", required=required,
                        **({} if required else {"default": argparse.SUPPRESS}),
                        help="postgresql://user:password@host:port/database: the workshop "
                             "store on a classroom server (default: $RMDESK_DATABASE, else "
                             "the file in the data folder)")


def _pack_data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="data folder whose packs/ directory holds imported packs")


def add_pack_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`rmdesk pack validate|list|import|schema` (run by rmdesk.cli_pack)."""
    pack = subparsers.add_parser(
        "pack", help="validate, list or import content packs; export their JSON Schema",
        description="Content packs: the case study and exercises a workshop uses "
                    "(see docs/content-packs.md).")
    _pack_data_dir_option(pack)
    pack.add_argument("--lang", default=argparse.SUPPRESS,
                      help="language of the messages: " + ", ".join(LANGUAGES))
    sub = pack.add_subparsers(dest="pack_command", required=True, metavar="COMMAND")
    validate = sub.add_parser("validate", help="check packs and list every problem")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    listing = sub.add_parser("list", help="list the built-in and the imported packs")
    _pack_data_dir_option(listing)
    imports = sub.add_parser("import", help="validate a pack and add it to the data folder")
    imports.add_argument("file", type=Path, metavar="FILE")
    _pack_data_dir_option(imports)
    schema = sub.add_parser("schema", help="print or write the JSON Schema of the format")
    schema.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write the schema to FILE instead of printing it")


def _exchange_data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="folder of the workshop store (default: the user data folder)")
    database_option(parser)


def add_exchange_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`rmdesk export` and `rmdesk import` (run by rmdesk.cli_exchange)."""
    export = subparsers.add_parser(
        "export", help="write the workshop kit, or one group's work, to a file")
    _exchange_data_dir_option(export)
    export.add_argument("--workshop", required=True, help="workshop title")
    what = export.add_mutually_exclusive_group()
    what.add_argument("--group", help="group name: export this group's work, not the kit")
    what.add_argument("--kit-for", metavar="GROUP",
                        help="group name: a kit that sets laptops up for this group "
                             "(carries its signing key)")
    export.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    imp = subparsers.add_parser(
        "import", help="import workshop kits or group work files (all or nothing per file)")
    _exchange_data_dir_option(imp)
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true",
                     help="show what each file would change, and write nothing")


CHECK_COMMAND = "check"


def add_check_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`rmdesk check` (run by rmdesk.cli_check)."""
    check = subparsers.add_parser(
        CHECK_COMMAND, help="print the “Check my work” findings of stored work",
        description="Runs “Check my work” on a group's stored work, as F5 does in each "
                    "exercise. Exit status 0 when nothing is wrong, 1 when an error or a "
                    "warning is found, 2 when the command cannot run.")
    check.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                       help="folder of the workshop store (default: the user data folder)")
    database_option(check)
    check.add_argument("--workshop", required=True, help="workshop title")
    who = check.add_mutually_exclusive_group(required=True)
    who.add_argument("--group", help="group name")
    who.add_argument("--all-groups", action="store_true", help="every group of the workshop")
    check.add_argument("--exercise", metavar="ID",
                       help="one exercise, as shown (E3, E8) or by the pack's id (e2e3)")
    check.add_argument("--lang", default=argparse.SUPPRESS,
                       help="language of the messages: " + ", ".join(LANGUAGES))
    check.add_argument("--json", action="store_true",
                       help="one JSON object per finding: exercise, group, severity, code, "
                            "message")


FACILITATOR_COMMAND = "facilitator"


def add_facilitator_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`rmdesk facilitator reset-pin` (run by rmdesk.cli_facilitator)."""
    facilitator = subparsers.add_parser(
        FACILITATOR_COMMAND, help="facilitator tools on this laptop: reset a forgotten PIN")
    sub = facilitator.add_subparsers(dest="facilitator_command", required=True,
                                     metavar="COMMAND")
    reset = sub.add_parser(
        "reset-pin", help="forget the facilitator PIN; the next unlock chooses a new one")
    reset.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                       help="folder of the workshop store (default: the user data folder)")
    reset.add_argument("--lang", default=argparse.SUPPRESS,
                       help="language of the messages")
    database_option(reset)
    reset.add_argument("-y", "--yes", action="store_true",
                       help="do not ask for confirmation")
    set_pin = sub.add_parser(
        "set-pin", help="choose the facilitator PIN on this laptop (read from the terminal "
                        "or standard input), when none is set")
    set_pin.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                         help="folder of the workshop store (default: the user data folder)")
    set_pin.add_argument("--lang", default=argparse.SUPPRESS,
                         help="language of the messages")
    database_option(set_pin)
    new_key = sub.add_parser(
        "new-group-key", help="replace a group's signing key (a laptop of the group was lost "
                              "or stolen); write that group's kit again afterwards")
    new_key.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                         help="folder of the workshop store (default: the user data folder)")
    new_key.add_argument("--lang", default=argparse.SUPPRESS,
                         help="language of the messages")
    database_option(new_key)
    new_key.add_argument("--workshop", required=True, help="workshop title")
    new_key.add_argument("--group", required=True, help="group name")
    agenda = sub.add_parser(
        "agenda", help="choose which exercises a workshop uses (a preset of the pack, or a "
                       "list of exercise ids); without a choice, show the current one")
    agenda.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="folder of the workshop store (default: the user data folder)")
    agenda.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages")
    agenda.add_argument("--workshop", help="workshop title (default: this laptop's workshop)")
    choice = agenda.add_mutually_exclusive_group()
    choice.add_argument("--preset", help="id of an agenda of the pack, e.g. 2-day or 4-day")
    choice.add_argument("--exercises", help="comma-separated exercise ids, e.g. e1,e2e3,e4")
    choice.add_argument("--all", action="store_true", help="use every exercise of the pack")


RESTORE_COMMAND = "restore"


def add_restore_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`rmdesk restore` (run by rmdesk.cli_restore)."""
    restore = subparsers.add_parser(
        RESTORE_COMMAND, help="list the automatic backups of the store, or bring one back")
    restore.add_argument("backup", nargs="?", metavar="BACKUP",
                         help="the backup to bring back, by its name in the list "
                              "(default: the newest)")
    restore.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                         help="folder of the workshop store (default: the user data folder)")
    restore.add_argument("--list", action="store_true", help="list the backups, newest first")
    database_option(restore)
    restore.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages")
    restore.add_argument("-y", "--yes", action="store_true",
                         help="do not ask for confirmation")


DATA_COMMAND = "data"


def add_data_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`rmdesk data import|list|delete` (run by rmdesk.cli_data)."""
    data = subparsers.add_parser(
        DATA_COMMAND, help="import, list or delete declaration data sets for E7-E9",
        description="A facilitator's own declarations (CSV, XLSX or ODS), kept as data "
                    "sets in the data folder, as File > Import declarations does.")
    sub = data.add_subparsers(dest="data_command", required=True, metavar="COMMAND")
    imports = sub.add_parser(
        "import", help="check a file of declarations and keep it as a data set",
        description="Columns are mapped to fields as the import dialog suggests; --map "
                    "changes one field (field=Header, or field= to leave it out). Exit "
                    "status: 0 imported; 1 nothing imported (a bad row without "
                    "--skip-bad-rows, no valid row, or a file that cannot be read); 2 the "
                    "command cannot run (unknown field, column or sheet, no store).")
    imports.add_argument("file", type=Path, metavar="FILE", help="CSV, XLSX or ODS file")
    imports.add_argument("--data-dir", type=Path, required=True,
                         help="folder of the workshop store")
    imports.add_argument("--sheet", help="sheet of an XLSX or ODS file (default: the first "
                                         "with data)")
    imports.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help="map a field to a column, overriding the suggestion "
                              "(repeatable)")
    imports.add_argument("--keep-other-columns", action="store_true",
                         help="keep every column no field is mapped to as a field of the "
                              "data set's own, of the kind its values suggest")
    imports.add_argument("--keep", action="append", default=[], metavar="COLUMN[=KIND]",
                         help="keep this column as a field of the data set's own, as text, "
                              "number, date or flag (default: as its values suggest); "
                              "repeatable")
    imports.add_argument("--skip-bad-rows", action="store_true",
                         help="leave bad rows out and import the rest (they are listed)")
    imports.add_argument("--name", default="", help="name of the data set (default: the "
                                                    "file's name)")
    listing = sub.add_parser("list", help="list the data sets of the data folder")
    listing.add_argument("--json", action="store_true",
                         help="one JSON object per data set: id, name, rows, source, "
                              "imported_at, fields, extra, has_outcome, builtin")
    delete = sub.add_parser("delete", help="delete an imported data set (after asking)")
    delete.add_argument("name", metavar="NAME", help="the data set's name or id, as listed")
    delete.add_argument("-y", "--yes", action="store_true",
                        help="do not ask for confirmation")
    for parser in (listing, delete):
        parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                            help="folder of the workshop store (default: the user data "
                                 "folder)")
    for parser in (data, imports, listing, delete):
        parser.add_argument("--lang", default=argparse.SUPPRESS,
                            help="language of the messages: " + ", ".join(LANGUAGES))


SERVER_COMMAND = "server"


def add_server_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`rmdesk server init|add-group` (run by rmdesk.cli_server)."""
    server = subparsers.add_parser(
        SERVER_COMMAND, help="set up a classroom server (PostgreSQL): its tables and roles",
        description="The workshop store on a PostgreSQL server, for a room with a network. "
                    "Run these with the server administrator's URL (the owner of the "
                    "database, allowed to create roles).")
    sub = server.add_subparsers(dest="server_command", required=True, metavar="COMMAND")
    init = sub.add_parser(
        "init", help="create or upgrade the rmdesk tables and the facilitator's role",
        description="Creates the tables in an empty database, or upgrades an older rmdesk "
                    "schema after asking (back the database up with pg_dump first), and "
                    "the facilitator's login role. Exit status: 0 done; 1 not confirmed; "
                    "2 the command cannot run.")
    init.add_argument("-y", "--yes", action="store_true",
                      help="upgrade an older schema without asking")
    add = sub.add_parser(
        "add-group", help="a login role for a group: its own work only",
        description="Creates a PostgreSQL login role for each group, which may write only "
                    "its group's work and read nothing of the other groups'; prints each "
                    "group's connection URL. A group that has a role keeps it.")
    add.add_argument("--workshop", required=True, help="workshop title")
    who = add.add_mutually_exclusive_group(required=True)
    who.add_argument("--group", action="append", help="group name (repeatable)")
    who.add_argument("--all-groups", action="store_true", help="every group of the workshop")
    for parser in (init, add):
        parser.add_argument("--host", help="the server's address as the laptops reach it, in "
                                           "the URLs printed (default: the host of "
                                           "--database)")
        database_option(parser, required=True)
        parser.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                            help="folder of this laptop's files (default: the user data "
                                 "folder)")
        parser.add_argument("--lang", default=argparse.SUPPRESS,
                            help="language of the messages: " + ", ".join(LANGUAGES))


SYNC_COMMAND = "sync"


def add_sync_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`rmdesk sync` (run by rmdesk.cli_sync)."""
    sync = subparsers.add_parser(
        SYNC_COMMAND, help="sync this laptop's group work with a classroom server",
        description="Sends the group's work to the classroom server and brings back the "
                    "workshop, phases, reveals, the group's work from its other laptops and "
                    "shared feedback. Exit status: 0 synced; 1 the server could not be "
                    "reached or refused the work (--once); 2 a setting that cannot be used.")
    sync.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                      help="folder of the workshop store (default: the user data folder)")
    sync.add_argument("--database", metavar="URL", default=argparse.SUPPRESS,
                      help="the server, postgresql://user:password@host/database (default: "
                           "the one this laptop last connected to); it is remembered")
    sync.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages")
    when = sync.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="one round, then exit (the default)")
    when.add_argument("--every", metavar="SECONDS", nargs="?", const="", default=None,
                      help="a round every SECONDS until interrupted (Ctrl+C); rounds go on "
                           "when the server is unreachable. Without SECONDS: this laptop's "
                           "interval (--interval)")
    sync.add_argument("--interval", metavar="SECONDS", default=None,
                      help="this laptop's time between two rounds, 2 to 60 seconds "
                           "(default 2), for `--every` and the app's background sync; it "
                           "is remembered")
