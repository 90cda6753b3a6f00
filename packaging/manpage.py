"""rmdesk(1), generated from the argparse parsers so that it never drifts from the CLI.

    python packaging/manpage.py -o build/rmdesk.1

The build puts it, gzipped, in the .deb at /usr/share/man/man1/rmdesk.1.gz.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def roff(text: str) -> str:
    """Escape text for roff: backslashes, hyphens (as minus signs), and a leading dot."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line
                     for line in text.splitlines())


def _invocation(action: argparse.Action) -> str:
    if not action.option_strings:
        return action.metavar or action.dest  # type: ignore[return-value]
    names = ", ".join(f"\\fB{roff(o)}\\fR" for o in action.option_strings)
    if action.nargs == 0:
        return names
    metavar = action.metavar or action.dest.upper()
    return f"{names} \\fI{roff(str(metavar))}\\fR"


def _subparsers(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:  # noqa: SLF001 - argparse has no public walk
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            helps = {a.dest: a.help or "" for a in action._choices_actions}  # noqa: SLF001
            for name, sub in action.choices.items():
                found.append((name, helps.get(name, ""), sub))
    return found


def _options(parser: argparse.ArgumentParser, *, with_help: bool = True) -> list[str]:
    lines = []
    for action in parser._actions:  # noqa: SLF001
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            continue
        if isinstance(action, argparse._HelpAction) and not with_help:  # noqa: SLF001
            continue
        lines += [".TP", _invocation(action), roff(action.help or "")]
    return lines


def _commands(parser: argparse.ArgumentParser, prefix: str) -> list[str]:
    lines = []
    for name, help_text, sub in _subparsers(parser):
        full = f"{prefix} {name}".strip()
        usage = sub.format_usage().removeprefix("usage: ").strip()
        lines += [".SS " + roff(full), roff(help_text[:1].upper() + help_text[1:]) + ".", ".PP",
                  ".nf", roff(" ".join(usage.split())), ".fi"]
        lines += _options(sub, with_help=False)
        lines += _commands(sub, full)
    return lines


def render(parser: argparse.ArgumentParser, version: str, date: dt.date) -> str:
    description = (parser.description or "").rstrip(".")
    lines = [
        f'.TH RMDESK 1 "{date.isoformat()}" "rmdesk {version}" "User Commands"',
        ".SH NAME", f"rmdesk \\- {roff(description[:1].lower() + description[1:])}",
        ".SH SYNOPSIS", ".B rmdesk", "[\\fIOPTION\\fR]...", ".br",
        ".B rmdesk", "\\fICOMMAND\\fR [\\fIOPTION\\fR]...",
        ".SH DESCRIPTION",
        "rmdesk is a desktop workbook for customs risk\\-management workshops, built on the "
        "practical exercises of the WCO Customs Risk Management Compendium. Without a "
        "command it opens the main window; the commands below work without a screen.",
        ".PP",
        "The interface is in English, Spanish, Brazilian Portuguese and French. "
        "Work is kept in one SQLite file, rmdesk.sqlite3, in the data folder.",
        ".SH OPTIONS", *_options(parser),
        ".SH COMMANDS", *_commands(parser, "rmdesk"),
        ".SH ENVIRONMENT", ".TP", ".B RMDESK_DATA_DIR",
        "The data folder when no \\fB\\-\\-data\\-dir\\fR is given.",
        ".SH FILES", ".TP", ".I ~/.local/share/rmdesk/rmdesk.sqlite3",
        "The workshop store (the user data folder).", ".TP", ".I portable",
        "A file of that name next to the program makes rmdesk keep its data in "
        "\\fIrmdesk\\-data/\\fR beside it.", ".TP",
        ".I /usr/share/doc/rmdesk/copyright",
        "The licences of rmdesk and of the software it includes (also in Help, About).",
        ".SH EXIT STATUS", "0 on success, 1 when a check or a command failed, 2 for bad "
        "input (the message names what is wrong).",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from rmdesk import __version__
    from rmdesk.app import build_parser

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(build_parser(), __version__, dt.date.today()),
                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
