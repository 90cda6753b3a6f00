"""`rmdesk check`: "Check my work" on stored work, headless.

    rmdesk check --data-dir DIR --workshop TITLE (--group NAME | --all-groups)
                 [--exercise ID] [--lang L] [--json]

For a facilitator before the debrief, and for automated checks (the model answer of the
demo must pass). Prints one line per finding, or with --json one JSON object per finding
(exercise, group, severity error/warning/info, code, message), one per line.

Exit status: 0 no error and no warning; 1 an error or a warning was found; 2 the command
cannot run (no store, unknown workshop, group, exercise or language).
"""

from __future__ import annotations

import argparse
import json

from rmdesk.cli_common import open_existing_store

EXIT_OK, EXIT_FINDINGS = 0, 1


def run(args: argparse.Namespace) -> int:
    from rmdesk import i18n
    from rmdesk.errors import RmdeskError

    lang = getattr(args, "lang", None)
    if lang is not None and lang not in i18n.LANGUAGES:
        raise RmdeskError("unknown_language", lang=lang, choices=", ".join(i18n.LANGUAGES))
    lang = lang or i18n.system_language() or "en"
    try:
        i18n.set_language(lang)
    except OSError:
        pass
    return cmd_check(args, lang)


def cmd_check(args: argparse.Namespace, lang: str) -> int:
    from rmdesk.content.exercise_ids import find_exercise
    from rmdesk.i18n import _
    from rmdesk.services.work_checks import WorkChecks
    from rmdesk.services.workshop_reports import workshop_pack
    from rmdesk.services.workshops import WorkshopService

    store = open_existing_store(args)
    try:
        workshops = WorkshopService(store)
        workshop = workshops.find_workshop(args.workshop)
        pack = workshop_pack(store, workshop.id)
        exercises = [find_exercise(pack, args.exercise)] if args.exercise else None
        groups = workshops.list_groups(workshop.id) if args.all_groups \
            else [workshops.find_group(workshop.id, args.group)]
        checks = WorkChecks(store, pack)
        findings = [f for group in groups
                    for f in checks.check_group(group.id, group.name, lang, exercises)]
    finally:
        store.close()
    labels = {"error": _("error"), "warning": _("warning"), "info": _("info")}
    for finding in findings:
        if args.json:
            print(json.dumps(finding.as_json(), ensure_ascii=False))
        else:
            print(f"{finding.group}: {finding.exercise_label}: "
                  f"{labels[finding.severity]}: {finding.message}")
    failed = any(f.severity in ("error", "warning") for f in findings)
    return EXIT_FINDINGS if failed else EXIT_OK
