"""Developer tool: re-extract messages into translations/rmdesk.pot and update catalogs.

    python -m rmdesk.i18n.extract          # rewrite the .pot, merge it into every .po
    python -m rmdesk.i18n.extract --check  # exit 1 if the .pot is stale

The test suite calls `extract_catalog()` to prove the committed .pot is current.
"""

from __future__ import annotations

import argparse
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[3]
SOURCE_DIR = ROOT / "src" / "rmdesk"
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "rmdesk.pot"
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "Nn_": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHOD_MAP = [("**.py", "python")]


def extract_catalog() -> Catalog:
    catalog = Catalog(project="rmdesk", domain="rmdesk", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE_DIR), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(
            message,
            None,
            [(f"src/rmdesk/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def pot_bytes(catalog: Catalog) -> bytes:
    buf = BytesIO()
    # No dates or line numbers: the .pot then changes only when messages change.
    write_po(buf, catalog, omit_header=False, include_lineno=False, width=100)
    text = buf.getvalue().decode("utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith('"POT-Creation-Date')]
    return ("\n".join(lines) + "\n").encode("utf-8")


def message_ids(catalog: Catalog) -> set[object]:
    return {m.id if not m.context else (m.context, m.id) for m in catalog if m.id}


def update_catalogs(template: Catalog) -> None:
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/rmdesk.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=po.parent.parent.name)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False
        buf = BytesIO()
        write_po(buf, catalog, include_lineno=False, width=100, ignore_obsolete=True)
        po.write_bytes(buf.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--init", metavar="LANG", help="start a catalog for a new language")
    args = parser.parse_args(argv)
    catalog = extract_catalog()
    if args.check:
        with POT.open("rb") as fh:
            committed = read_po(fh)
        stale = message_ids(catalog) ^ message_ids(committed)
        for item in sorted(map(str, stale)):
            print(f"stale: {item}")
        return 1 if stale else 0
    POT.write_bytes(pot_bytes(catalog))
    if args.init:
        target = TRANSLATIONS / args.init / "LC_MESSAGES" / "rmdesk.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        new = Catalog(locale=args.init, domain="rmdesk", project="rmdesk", charset="utf-8")
        new.update(catalog)
        new.fuzzy = False  # a fuzzy header would drop Plural-Forms from the compiled .mo
        buf = BytesIO()
        write_po(buf, new, include_lineno=False, width=100)
        target.write_bytes(buf.getvalue())
    update_catalogs(catalog)
    print(f"{len(catalog)} messages -> {POT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
