"""`rmdesk data`: a facilitator's own declarations for E7-E9, without the app.

    rmdesk data import --data-dir DIR FILE [--sheet S] [--map field=Header ...]
                       [--keep-other-columns] [--keep COLUMN[=KIND] ...]
                       [--skip-bad-rows] [--name NAME]
    rmdesk data list [--data-dir DIR] [--json]
    rmdesk data delete NAME [--data-dir DIR] [--yes]

The same services as File > Import declarations and the data set manager: the header is
read and the columns mapped as the dialog suggests (services.mapping_suggestions); --map
changes a field's column (or leaves the field out with `field=`); every row is checked
(services.declaration_import) and the table kept as a data set (services.datasets). Bad
rows are all listed on stderr (line, column, reason); without --skip-bad-rows one bad
row means nothing is imported. --keep-other-columns keeps the columns no field is mapped
to as the data set's own fields (services.extra_columns), of the kind their values
suggest; --keep keeps one, optionally of a kind given.

Exit status: 0 done; 1 nothing imported (bad rows, no valid row, a file that cannot be
read or is refused, a data set that cannot be saved) or deletion not confirmed; 2 the
command cannot run (an unknown field, column, sheet, data set or language, no store in
the data folder).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rmdesk.cli_common import data_dir, use_message_language
from rmdesk.errors import RmdeskError
from rmdesk.i18n import N_

if TYPE_CHECKING:
    from rmdesk.services.datasets import DatasetInfo, DatasetService

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Import errors that are the command line's fault, not the file's: exit 2.
USAGE_CODES = frozenset({"unknown_field", "unknown_header", "required_field_unmapped",
                         "unknown_sheet", "too_many_extra_columns", "unknown_extra_column",
                         "extra_column_mapped", "unknown_extra_kind",
                         "extra_column_unnamed"})

MESSAGES: dict[str, str] = {
    "map_syntax": N_("--map takes FIELD=COLUMN (for example hs_code=\"HS code\"), not "
                     "“{value}”."),
    "map_unknown_field": N_("--map {value}: there is no field “{name}”. The fields are: "
                            "{choices}."),
    "map_unknown_header": N_("--map {value}: the file has no column “{header}”. Its "
                             "columns are: {choices}."),
    "keep_unknown_kind": N_("--keep {value}: “{kind}” is not a kind. The kinds are: "
                            "{choices}."),
    "dataset_not_found": N_("There is no data set “{name}” in {path}. See the list with: "
                            "rmdesk data list"),
    "dataset_ambiguous": N_("Several data sets are named “{name}”: give the id of the one "
                            "to delete ({choices})."),
}


class DataCommandError(RmdeskError):
    """A mistake in the command line of `rmdesk data` (exit 2)."""

    def render(self, translate: Callable[[str], str]) -> str:
        template = MESSAGES.get(self.code)
        if template is None:
            return super().render(translate)
        return translate(template).format(**self.params)


def run(args: argparse.Namespace) -> int:
    """Messages in --lang (given before or after the command), else the system's language."""
    use_message_language(args)
    if args.data_command == "import":
        return cmd_import(args)
    if args.data_command == "delete":
        return cmd_delete(args)
    return cmd_list(args)


def _service(args: argparse.Namespace) -> DatasetService:
    """The data sets beside the store of the data folder; a folder without a store is
    refused, so a typo in --data-dir does not leave data sets where no app finds them."""
    from rmdesk.i18n import _
    from rmdesk.paths import STORE_FILENAME
    from rmdesk.services.datasets import DatasetService

    folder = data_dir(args)
    if not (folder / STORE_FILENAME).exists():
        raise RmdeskError("data_dir_unusable", path=str(folder),
                          reason=_("there is no rmdesk store in it"))
    return DatasetService(folder)


def _error(text: str) -> None:
    from rmdesk.i18n import _

    print(_("rmdesk: error: {message}").format(message=text), file=sys.stderr)


# -- import ---------------------------------------------------------------------------


def apply_overrides(suggested: dict[str, str], overrides: Sequence[str],
                    headers: Sequence[str]) -> dict[str, str]:
    """The suggested mapping with each `field=Header` of --map applied (`field=` leaves
    the field out). Unknown fields and headers raise DataCommandError naming the valid
    ones."""
    from rmdesk.domain.declaration_fields import FIELD_BY_NAME, FIELDS

    mapping = dict(suggested)
    for value in overrides:
        name, sep, header = value.partition("=")
        name, header = name.strip(), header.strip()
        if not sep or not name:
            raise DataCommandError("map_syntax", value=value)
        if name not in FIELD_BY_NAME:
            raise DataCommandError("map_unknown_field", value=value, name=name,
                                   choices=", ".join(f.name for f in FIELDS))
        if not header:
            mapping.pop(name, None)
            continue
        if header not in headers:
            raise DataCommandError("map_unknown_header", value=value, header=header,
                                   choices=", ".join(f"“{h}”" for h in headers if h))
        mapping[name] = header
    return mapping


def kept_columns(args: argparse.Namespace, preview: object, mapping: dict[str, str]
                 ) -> dict[str, str]:
    """header -> kind of the other columns to keep: every one with --keep-other-columns,
    plus each --keep COLUMN[=KIND]; kinds not given are guessed from the values."""
    from rmdesk.services.extra_columns import (
        guess_kinds,
        other_columns,
        parse_kind_word,
        sample_rows,
    )

    headers = preview.headers  # type: ignore[attr-defined]
    wanted: dict[str, str | None] = {}
    if args.keep_other_columns:
        wanted = dict.fromkeys(other_columns(headers, mapping))
    for value in args.keep:
        header, sep, word = (value, "", "") if value.strip() in headers \
            else value.rpartition("=") if "=" in value else (value, "", "")
        header = header.strip()
        kind = parse_kind_word(word) if sep else None
        if sep and kind is None:
            raise DataCommandError("keep_unknown_kind", value=value, kind=word,
                                   choices="text, number, date, flag")
        if header not in headers:
            raise DataCommandError("map_unknown_header", value=value, header=header,
                                   choices=", ".join(f"“{h}”" for h in headers if h))
        wanted[header] = kind
    guess = [h for h, kind in wanted.items() if kind is None]
    if guess:
        rows, decimal_comma = sample_rows(preview.path,  # type: ignore[attr-defined]
                                          preview.sheet or None)  # type: ignore[attr-defined]
        guessed = guess_kinds(headers, rows, guess, decimal_comma)
        wanted = {h: kind or guessed[h] for h, kind in wanted.items()}
    return wanted  # type: ignore[return-value]


def _print_kept(kept: dict[str, str], left_out: list[str]) -> None:
    from rmdesk.i18n import _
    from rmdesk.services.extra_columns import KIND_LABELS

    if left_out:  # so a facilitator knows what --keep-other-columns would add
        print(_("Other columns left out (keep them with --keep-other-columns or --keep "
                "COLUMN): {columns}").format(columns=", ".join(f"“{h}”" for h in left_out)))
    if not kept:
        return
    print(_("Other columns kept as the data set's own (change a kind with "
            "--keep COLUMN=KIND):"))
    for header, kind in kept.items():
        print(f"  “{header}” ({_(KIND_LABELS[kind])})")


def _progress() -> Callable[[int, int], None] | None:
    """A percentage on the terminal while a large file is read (Ctrl+C cancels);
    nothing when stderr is a file or a pipe, so logs stay clean."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        print(f"\r{100 * done // max(total, 1):3d} %", end="", file=sys.stderr, flush=True)

    return show


def _print_mapping(mapping: dict[str, str]) -> None:
    from rmdesk.domain.declaration_fields import FIELDS
    from rmdesk.i18n import _

    print(_("Columns used (change one with --map FIELD=COLUMN):"))
    for spec in FIELDS:
        if spec.name in mapping:
            print(f"  {spec.name} ({_(spec.label)}) ← “{mapping[spec.name]}”")


def cmd_import(args: argparse.Namespace) -> int:
    from rmdesk.i18n import _, ngettext
    from rmdesk.i18n.formatting import format_number
    from rmdesk.services.declaration_import import (
        DeclarationImportError,
        import_csv,
        read_csv_header,
        render_note,
        render_problem,
        suggest_mapping,
    )

    service = _service(args)
    path: Path = args.file
    try:
        preview = read_csv_header(path, args.sheet)
        mapping = apply_overrides(suggest_mapping(preview.headers), args.map,
                                  preview.headers)
        _print_mapping(mapping)
        kept = kept_columns(args, preview, mapping)
        from rmdesk.services.extra_columns import other_columns

        _print_kept(kept, [h for h in other_columns(preview.headers, mapping)
                           if h not in kept])
        try:
            result = import_csv(path, mapping, sheet=preview.sheet or None,
                                skip_bad_rows=args.skip_bad_rows, progress=_progress(),
                                keep=kept)
        except KeyboardInterrupt:
            print(_("Cancelled: nothing was imported."), file=sys.stderr)
            return EXIT_FAILED
        finally:
            if sys.stderr.isatty():
                print("\r\033[K", end="", file=sys.stderr, flush=True)
    except DeclarationImportError as error:
        if error.code == "required_field_unmapped":
            _error(error.render(_))
            print(_("Name its column with --map {field}=COLUMN. The file's columns are: "
                    "{choices}.").format(field=error.params["field"], choices=", ".join(
                        f"“{h}”" for h in preview.headers if h)), file=sys.stderr)
            return EXIT_USAGE
        if error.code in USAGE_CODES:
            raise
        _error(error.render(_))
        print(_("Nothing was imported."), file=sys.stderr)
        return EXIT_FAILED

    for problem in result.problems:
        print(render_problem(problem, _), file=sys.stderr)
    for note in result.notes:
        print(render_note(note, _), file=sys.stderr if result.table is None else sys.stdout)
    if result.table is None:
        if 0 < result.bad_rows < result.rows_read:
            print(ngettext(
                "{count} of the {total} rows has a problem. Nothing was imported: correct "
                "the file, check the mapping, or leave the bad rows out with "
                "--skip-bad-rows.",
                "{count} of the {total} rows have problems. Nothing was imported: correct "
                "the file, check the mapping, or leave the bad rows out with "
                "--skip-bad-rows.",
                result.bad_rows).format(count=format_number(result.bad_rows),
                                        total=format_number(result.rows_read)),
                file=sys.stderr)
        else:
            print(_("No row of the file could be imported. Nothing was imported."),
                  file=sys.stderr)
        return EXIT_FAILED

    try:
        info = service.save_dataset(result.table, args.name, str(path))
    except RmdeskError as error:  # a full disk, say: nothing was kept
        _error(error.render(_))
        return EXIT_FAILED
    if result.rows_skipped:
        text = _("Rows imported: {imported}; bad rows left out: {skipped}.")
    else:
        text = _("Every row was imported ({imported}).")
    print(text.format(imported=format_number(result.rows_imported),
                      skipped=format_number(result.rows_skipped)))
    if not result.table.has_outcome():
        print(_("No column holds the outcome (non-compliant or offence found). The "
                "targeting simulation will show selection and workload only: hit and "
                "detection rates need to know which declarations were non-compliant."))
    print(_("Kept as the data set “{name}” (id {id}) in {path}.").format(
        name=info.name, id=info.id, path=service.folder))
    return EXIT_OK


# -- list and delete ------------------------------------------------------------------


def _display_name(info: DatasetInfo) -> str:
    from rmdesk.i18n import _

    return _(info.name) if info.builtin else info.name


def cmd_list(args: argparse.Namespace) -> int:
    from rmdesk.i18n import _
    from rmdesk.i18n.formatting import format_number

    service = _service(args)
    infos = service.list_datasets()
    for error in service.problems:  # a damaged description: left out, and said why
        print(_("Left out: {problem}").format(problem=error.render(_)), file=sys.stderr)
    if args.json:
        for info in infos:
            print(json.dumps({
                "id": info.id, "name": _display_name(info), "rows": info.rows,
                "source": info.source,
                "imported_at": info.imported_at.isoformat() if info.imported_at else None,
                "fields": list(info.fields),
                "extra": [{"name": spec.name, "kind": spec.kind, "label": spec.label}
                          for spec in info.extra],
                "has_outcome": info.has_outcome,
                "builtin": info.builtin}, ensure_ascii=False))
        return EXIT_OK
    from rmdesk.services.extra_columns import KIND_LABELS

    rows = [(_("NAME"), _("ROWS"), _("IMPORTED"), _("OUTCOME"), _("ID"))]
    for info in infos:
        imported = info.imported_at.astimezone().strftime("%Y-%m-%d %H:%M") \
            if info.imported_at else "—"
        rows.append((_display_name(info), format_number(info.rows), imported,
                     _("Yes") if info.has_outcome else _("No"), info.id))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for index, row in enumerate(rows):
        print("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)),
                         row[4]]))
        extra = infos[index - 1].extra if index else ()
        if extra:  # the data set's own columns, under the line of the data set
            print("    " + _("Own columns: {columns}").format(columns="; ".join(
                f"{spec.label} ({_(KIND_LABELS[spec.kind])})" for spec in extra)))
    return EXIT_OK


def find_dataset(service: DatasetService, name: str) -> DatasetInfo:
    """The data set with this id, else the one with this name (as listed)."""
    infos = service.list_datasets()
    for info in infos:
        if info.id == name:
            return info
    named = [i for i in infos if _display_name(i) == name or i.name == name]
    if not named:
        named = [i for i in infos if _display_name(i).casefold() == name.casefold()]
    if len(named) > 1:
        raise DataCommandError("dataset_ambiguous", name=name,
                               choices=", ".join(i.id for i in named))
    if not named:
        raise DataCommandError("dataset_not_found", name=name, path=str(service.folder))
    return named[0]


def cmd_delete(args: argparse.Namespace) -> int:
    from rmdesk.cli_facilitator import _confirmed
    from rmdesk.i18n import _, ngettext
    from rmdesk.i18n.formatting import format_number
    from rmdesk.services.datasets import DatasetError

    service = _service(args)
    info = find_dataset(service, args.name)
    if info.builtin:
        raise DatasetError("dataset_builtin")
    if not args.yes:
        print(ngettext(
            "Delete the data set “{name}” ({count} item) from this laptop?",
            "Delete the data set “{name}” ({count} items) from this laptop?",
            info.rows).format(name=info.name, count=format_number(info.rows)))
        print(_("Runs already made on it keep their figures. Groups that chose it will run "
                "on the built-in practice declarations. This cannot be undone; import the "
                "CSV file again to have it back."))
        if not _confirmed(_("Type “{yes}” to delete the data set: ").format(yes=_("yes"))):
            print(_("Nothing was changed."), file=sys.stderr)
            return EXIT_FAILED
    service.delete_dataset(info.id)
    print(_("Deleted the data set “{name}”.").format(name=info.name))
    return EXIT_OK
