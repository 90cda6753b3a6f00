"""`rmdesk pack ...`: validate, list and import content packs, export their JSON Schema.

    rmdesk pack validate FILE...     exit 0 if every file is a valid pack, else 1
    rmdesk pack list                 the built-in and the imported packs
    rmdesk pack import FILE          validate, then copy into <data folder>/packs/
    rmdesk pack schema [-o FILE]     the JSON Schema of the format, for editors

Exit status: 0 done; 1 a pack was refused (every problem is printed, one per line);
2 anything else, as for the other commands (an unknown language, an unusable data folder,
a schema file that cannot be written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rmdesk import i18n
from rmdesk.cli_common import data_dir
from rmdesk.cli_parsers import add_pack_parser
from rmdesk.errors import RmdeskError
from rmdesk.i18n import LANGUAGES, _, ngettext

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


# The parser is rmdesk.cli_parsers.add_pack_parser (app.py builds it without this module).
add_parser = add_pack_parser


def run(args: argparse.Namespace) -> int:
    try:
        _set_language(getattr(args, "lang", None))
    except RmdeskError as exc:
        return _error(exc, EXIT_USAGE)
    command = {"validate": cmd_validate, "list": cmd_list, "import": cmd_import,
               "schema": cmd_schema}[args.pack_command]
    try:
        return command(args)
    except RmdeskError as exc:  # a refused pack is 1; anything else (data folder...) is 2
        return _error(exc, EXIT_FAILED if exc.code.startswith("pack_") else EXIT_USAGE)


def _set_language(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise RmdeskError("unknown_language", lang=lang, choices=", ".join(LANGUAGES))
    lang = lang or i18n.system_language()
    if lang:
        try:
            i18n.set_language(lang)
        except OSError:
            pass


def _error(error: RmdeskError, code: int) -> int:
    print(_("rmdesk: error: {message}").format(message=error.render(_)), file=sys.stderr)
    return code



def _registry(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from rmdesk.services.packs import PackRegistry

    return PackRegistry(data_dir(args))


def cmd_validate(args: argparse.Namespace) -> int:
    from rmdesk.content.loader import load_pack
    from rmdesk.content.problems import PackError

    status = EXIT_OK
    for path in args.files:
        try:
            pack = load_pack(path)
        except PackError as exc:
            status = EXIT_FAILED
            for problem in exc.problems:
                print(problem.render(_))
            print(ngettext("{file}: not valid, {count} problem.",
                           "{file}: not valid, {count} problems.", len(exc.problems)).format(
                file=path, count=len(exc.problems)))
            continue
        meta = pack.pack
        print(ngettext(
            "{file}: valid. Pack “{id}” version {version}; languages: {languages}; "
            "{count} exercise.",
            "{file}: valid. Pack “{id}” version {version}; languages: {languages}; "
            "{count} exercises.", len(pack.exercises)).format(
            file=path, id=meta.id, version=meta.version, languages=", ".join(meta.languages),
            count=len(pack.exercises)))
    return status


def cmd_list(args: argparse.Namespace) -> int:
    from rmdesk.content.problems import PackError

    errors: list[PackError] = []
    packs = _registry(args).list_packs(errors)
    lang = i18n.current_language()
    rows = [(_("ID"), _("VERSION"), _("LANGUAGES"), _("EXERCISES"), _("TITLE"))]
    for info in packs:
        where = _("built-in") if info.builtin else str(info.path)
        rows.append((info.id, info.version, " ".join(info.languages), str(info.exercise_count),
                     f"{info.title.get(lang)} ({where})"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)),
                         row[4]]).rstrip())
    for error in errors:
        print(_("Skipped, not valid: {path}").format(path=error.params["path"]), file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem.render(_)}", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    result = _registry(args).import_pack(args.file)
    info = result.info
    if result.added:
        text = _("Imported content pack “{id}” version {version} to {path}.")
    else:
        text = _("Content pack “{id}” version {version} is already installed ({path}); "
                 "nothing changed.")
    where = _("built-in") if info.builtin else str(info.path)
    print(text.format(id=info.id, version=info.version, path=where))
    return EXIT_OK


def schema_text() -> str:
    import json

    from rmdesk.content.pack import json_schema

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    import os
    import tempfile

    out = Path(args.output)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise RmdeskError("schema_write_failed", path=str(out),
                          reason=exc.strerror or str(exc)) from None
    print(out)
    return EXIT_OK
