"""`rmdesk server`: set up a classroom server on PostgreSQL.

    rmdesk server init --database URL [--yes]
    rmdesk server add-group --database URL --workshop TITLE (--group NAME... | --all-groups)
                            [--host ADDRESS]

Both run with the server administrator's URL (the owner of the database, allowed to
create roles). `init` creates the rmdesk tables in an empty database, or upgrades an older
schema after printing how to back it up (pg_dump) and asking (or --yes): never silently.
It creates the facilitator's login role and prints its URL once. `add-group` creates one
login role per group and prints the URL each group's laptops connect with.

Exit status: 0 done; 1 the upgrade was not confirmed; 2 the command cannot run (no
server, not the administrator, a schema newer than this rmdesk, no such workshop...).
"""

from __future__ import annotations

import argparse
import sys

from rmdesk.cli_common import use_message_language

EXIT_OK, EXIT_FAILED = 0, 1


def run(args: argparse.Namespace) -> int:
    use_message_language(args)
    if args.server_command == "init":
        return cmd_init(args)
    return cmd_add_group(args)


def backup_hint(database: str) -> str:
    """The pg_dump command that backs the database up, password hidden."""
    from rmdesk.store.server import parse_url, redact

    url = parse_url(database)
    return (f"pg_dump --format=custom --file={url.database}-before-upgrade.dump "
            f"'{redact(url)}'")


def cmd_init(args: argparse.Namespace) -> int:
    from rmdesk.cli_facilitator import _confirmed
    from rmdesk.i18n import _
    from rmdesk.services import server_admin
    from rmdesk.store.database import HEAD_REVISION
    from rmdesk.store.server import redact

    where = redact(args.database)
    before = server_admin.schema_revision(args.database)
    if before is None:
        print(_("Creating the rmdesk tables in {server}.").format(server=where))
    elif before != HEAD_REVISION:
        print(_("The database {server} has the rmdesk schema {old}; this version of rmdesk "
                "upgrades it to {new}. Back the database up first, on the server, e.g.:")
              .format(server=where, old=before, new=HEAD_REVISION))
        print("  " + backup_hint(args.database))
        if not args.yes and not _confirmed(
                _("Type “{yes}” to upgrade the database: ").format(yes=_("yes"))):
            print(_("Nothing was changed."), file=sys.stderr)
            return EXIT_FAILED
    result = server_admin.init_server(args.database)
    if before == HEAD_REVISION:
        print(_("The rmdesk tables in {server} are up to date (schema {revision}).").format(
            server=where, revision=result.after))
    else:
        print(_("The rmdesk tables in {server} are at schema {revision}.").format(
            server=where, revision=result.after))
    if result.facilitator_password is not None:
        url = server_admin.role_url(args.database, result.facilitator_role,
                                    result.facilitator_password, args.host)
        print(_("The facilitator's role {role} was created. Its connection (shown only "
                "this once; keep it for the facilitator's laptop):").format(
            role=result.facilitator_role))
        print("  " + url)
    else:
        print(_("The facilitator's role {role} already exists; its password is unchanged.")
              .format(role=result.facilitator_role))
    print(_("Next: create the workshop (e.g. rmdesk demo --database URL), then a role per "
            "group with rmdesk server add-group."))
    return EXIT_OK


def cmd_add_group(args: argparse.Namespace) -> int:
    from rmdesk.cli_common import open_command_store
    from rmdesk.i18n import _
    from rmdesk.services import server_admin

    store = open_command_store(args)
    try:
        roles = server_admin.add_group_roles(
            store, args.workshop, None if args.all_groups else list(args.group))
    finally:
        store.close()
    for role in roles:
        url = server_admin.role_url(args.database, role.role, role.password, args.host)
        if role.created:
            print(_("Group “{name}”: role {role} created.").format(name=role.group_name,
                                                                   role=role.role))
        else:
            print(_("Group “{name}”: role {role} (it already had one).").format(
                name=role.group_name, role=role.role))
        print("  " + url)
    print(_("Each group's laptops connect with their own group's URL only; a workshop kit "
            "written for a group (rmdesk export --kit-for) carries it."))
    return EXIT_OK
