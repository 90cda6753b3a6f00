"""`rmdesk facilitator reset-pin`: the way back in when the facilitator PIN is forgotten;
`rmdesk facilitator set-pin`: choose it without the app (before writing the first kit).

    rmdesk facilitator reset-pin [--data-dir DIR] [--yes]
    rmdesk facilitator set-pin [--data-dir DIR]        the PIN from the terminal or stdin
    rmdesk facilitator new-group-key --workshop T --group G   after a group's laptop is lost
    rmdesk facilitator agenda [--workshop T] [--preset ID | --exercises E1,E4,… | --all]

Asks for confirmation (unless --yes), then removes the stored PIN hash and the count of
wrong tries; the next person to open facilitator mode chooses a new PIN. This is no hole:
whoever can run commands on the laptop can read the store file anyway. The PIN keeps
participants from wandering into facilitator mode; it encrypts nothing.

Exit status: 0 reset (or nothing to reset); 1 not confirmed; 2 the data folder or the
language cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from rmdesk.cli_common import open_existing_store, use_message_language
from rmdesk.cli_parsers import FACILITATOR_COMMAND, add_facilitator_parser

if TYPE_CHECKING:
    from rmdesk.content.pack import ContentPack
    from rmdesk.store.database import Store
    from rmdesk.store.models import Workshop

COMMAND = FACILITATOR_COMMAND
EXIT_OK, EXIT_FAILED = 0, 1


# The parser is rmdesk.cli_parsers.add_facilitator_parser (app.py builds it without this
# module).
add_parser = add_facilitator_parser



def _confirmed(prompt: str) -> bool:
    from rmdesk.i18n import _

    try:
        answer = input(prompt)
    except EOFError:  # no terminal to answer on: not confirmed
        print(file=sys.stderr)
        return False
    # TRANSLATORS: the one-letter form of "yes" a user may type to confirm (e.g. "s", "o").
    short = _("y")
    words = {"y", "yes", short, _("yes")}
    return answer.strip().casefold() in {w.casefold() for w in words}


def run(args: argparse.Namespace) -> int:
    """Messages in --lang (given before or after the command), else the system's language."""
    use_message_language(args)
    if args.facilitator_command == "set-pin":
        return cmd_set_pin(args)
    if args.facilitator_command == "new-group-key":
        return cmd_new_group_key(args)
    if args.facilitator_command == "agenda":
        return cmd_agenda(args)
    return cmd_reset_pin(args)


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def cmd_set_pin(args: argparse.Namespace) -> int:
    """The PIN a kit carries (as a hash) to the participants' laptops; needed before the
    first kit, and the same as choosing it in the app."""
    from rmdesk.errors import RmdeskError
    from rmdesk.i18n import _
    from rmdesk.services.roles import RolesService

    store = open_existing_store(args)
    try:
        roles = RolesService(store)
        if roles.has_pin():
            raise RmdeskError("pin_already_set")
        pin = _read_pin(_("Facilitator PIN (4 to 12 digits): "))
        confirm = _read_pin(_("The same PIN again: ")) if sys.stdin.isatty() else pin
        roles.set_first_pin(pin, confirm)
        print(_("The facilitator PIN is set in {path}.").format(path=store.location))
    finally:
        store.close()
    return EXIT_OK


def cmd_reset_pin(args: argparse.Namespace) -> int:
    from rmdesk.i18n import _
    from rmdesk.services.roles import RolesService

    store = open_existing_store(args)
    try:
        roles = RolesService(store)
        if not roles.has_pin() and roles.wait_seconds() <= 0:
            print(_("No facilitator PIN is set in {path}; there is nothing to reset.")
                  .format(path=store.location))
            return EXIT_OK
        if not args.yes:
            print(_("This removes the facilitator PIN kept in {path}. The groups' work stays "
                    "as it is. The next person to open facilitator mode on this laptop "
                    "chooses a new PIN.").format(path=store.location))
            if not _confirmed(_("Type “{yes}” to reset the PIN: ").format(yes=_("yes"))):
                print(_("Nothing was changed."), file=sys.stderr)
                return EXIT_FAILED
        roles.reset_pin()
        print(_("The facilitator PIN in {path} was removed and the count of wrong tries "
                "cleared. The next person to open facilitator mode on this laptop chooses "
                "a new PIN.").format(path=store.location))
    finally:
        store.close()
    return EXIT_OK


def cmd_new_group_key(args: argparse.Namespace) -> int:
    """A lost or stolen laptop of a group holds that group's key: a new key makes files
    signed with the old one refused here, and on every laptop once it has a newer kit."""
    from rmdesk.i18n import _
    from rmdesk.services.exchange import ExchangeService
    from rmdesk.services.workshops import WorkshopService

    store = open_existing_store(args)
    try:
        workshops = WorkshopService(store)
        workshop = workshops.find_workshop(args.workshop)
        group = workshops.find_group(workshop.id, args.group)
        ExchangeService(store).new_group_key(workshop.id, group.id)
        print(_("Group “{name}” has a new signing key. Files signed with the old one are "
                "refused here from now on. Write the group's kit again and import it on the "
                "group's laptops; import a new kit on the other laptops too.").format(
            name=group.name))
    finally:
        store.close()
    return EXIT_OK


def cmd_agenda(args: argparse.Namespace) -> int:
    """Which exercises the workshop shows (navigation, prints, progress); hidden exercises
    keep their work. Without a choice, lists the exercises and the pack's presets."""
    from rmdesk.i18n import _, current_language
    from rmdesk.services import agenda
    from rmdesk.services.workshops import WorkshopService

    store = open_existing_store(args)
    try:
        workshops = WorkshopService(store)
        if args.workshop:
            workshop = workshops.find_workshop(args.workshop)
        else:
            workshop = workshops.current_selection()[0]
            if workshop is None:
                from rmdesk.errors import RmdeskError

                raise RmdeskError("agenda_no_workshop")
        full = _full_pack(store, workshop)  # every exercise, hidden ones included
        if args.preset:
            agenda.choose(store, workshop.id, full, agenda.preset_ids(full, args.preset))
        elif args.exercises is not None:
            agenda.choose(store, workshop.id, full, agenda.parse_exercise_list(args.exercises))
        elif args.all:
            agenda.choose(store, workshop.id, full, [e.id for e in full.exercises])
        shown = {e.id for e in agenda.visible_pack(store, workshop.id, full).exercises}
        lang = current_language()
        print(_("Exercises in workshop “{title}”:").format(title=workshop.title))
        for exercise in full.exercises:
            mark = _("shown") if exercise.id in shown else _("hidden")
            print(f"  {exercise.id:6} {mark:10} {exercise.title.get(lang)}")
        for preset in full.agendas:
            print(_("Preset {id}: {title}").format(id=preset.id, title=preset.title.get(lang)))
    finally:
        store.close()
    return EXIT_OK


def _full_pack(store: Store, workshop: Workshop) -> ContentPack:
    from rmdesk.services.packs import PackRegistry

    return PackRegistry.for_store(store).pack_for_workshop(workshop)
