"""Translation catalogs: the .pot matches the code, and es / pt_BR / fr are complete and
safe to format (placeholders kept, one keyboard accelerator where the source has one).

The checks are plain functions taking the translations folder, so they can be pointed at
any copy of the catalogs.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from rmdesk.i18n.extract import POT, extract_catalog

TRANSLATIONS_DIR = POT.parent
TRANSLATED_LANGUAGES = ("es", "pt_BR", "fr")
REGENERATE = "run `python -m rmdesk.i18n.extract` to update the .pot and merge the .po files"

MessageKey = tuple[str | None, str | tuple[str, ...]]


def pot_path(root: Path) -> Path:
    return root / "rmdesk.pot"


def po_path(root: Path, lang: str) -> Path:
    return root / lang / "LC_MESSAGES" / "rmdesk.po"


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain="rmdesk")


def key(message: Message) -> MessageKey:
    return (message.context, message.id)


def keys(catalog: Catalog) -> set[MessageKey]:
    return {key(m) for m in catalog if m.id}


def describe(item: MessageKey) -> str:
    context, msgid = item
    text = " / ".join(msgid) if isinstance(msgid, tuple) else msgid
    return f"{context}|{text!r}" if context else repr(text)


def forms(message: Message) -> tuple[str, ...]:
    """The translation(s) of a message: one string, or one per plural form."""
    value = message.string
    return tuple(value) if isinstance(value, (tuple, list)) else (value or "",)


def source_texts(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (tuple, list)) else (message.id,)


# -- (1) the .pot is current ------------------------------------------------------------


def stale_ids(extracted: Catalog, committed: Catalog) -> tuple[list[str], list[str]]:
    """(in the code but not in the .pot, in the .pot but no longer in the code)."""
    new, old = keys(extracted), keys(committed)
    return sorted(map(describe, new - old)), sorted(map(describe, old - new))


# -- (2) complete -----------------------------------------------------------------------


def completeness_problems(template: Catalog, catalog: Catalog) -> list[str]:
    problems = []
    if catalog.fuzzy:
        problems.append("the header is marked fuzzy")
    for source in template:
        if not source.id:
            continue
        name = describe(key(source))
        message = catalog.get(source.id, context=source.context)
        if message is None:
            problems.append(f"missing: {name}")
        elif message.fuzzy:
            problems.append(f"fuzzy: {name}")
        elif source.pluralizable and not message.pluralizable:
            problems.append(f"no plural forms: {name}")
        elif len(forms(message)) < (catalog.num_plurals if source.pluralizable else 1):
            problems.append(f"too few plural forms: {name}")
        elif not all(text.strip() for text in forms(message)):
            problems.append(f"untranslated: {name}")
    return problems


# -- (3) placeholders -------------------------------------------------------------------


def placeholders(text: str) -> set[str]:
    """Names of the python-brace fields of `text` ({name}, {name:spec}, {name!r})."""
    return {
        field.split(".")[0].split("[")[0]
        for _literal, field, _spec, _conv in string.Formatter().parse(text)
        if field is not None
    }


def placeholder_problems(catalog: Catalog) -> list[str]:
    """Translated messages whose placeholders differ from the source's."""
    problems = []
    for message in catalog:
        translations = [t for t in forms(message) if t]
        if not message.id or not translations:
            continue  # untranslated messages are completeness_problems' business
        name = describe(key(message))
        try:
            expected = set().union(*(placeholders(s) for s in source_texts(message)))
        except ValueError:
            continue  # the source is not a format string
        found: set[str] = set()
        for text in translations:
            try:
                names = placeholders(text)
            except ValueError as exc:
                problems.append(f"{name}: {text!r} is not a valid format string ({exc})")
                break
            if names - expected:
                problems.append(f"{name}: invents {sorted(names - expected)}")
            found |= names
        else:
            if expected - found:
                problems.append(f"{name}: drops {sorted(expected - found)}")
    return problems


# -- (4) accelerators -------------------------------------------------------------------


def accelerators(text: str) -> list[str]:
    """Characters marked as Qt keyboard accelerators: '&x'; '&&' is a literal ampersand."""
    marked = []
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&" and text[i + 1].isalnum():
                marked.append(text[i + 1])
            i += 2
        else:
            i += 1
    return marked


def accelerator_problems(catalog: Catalog) -> list[str]:
    problems = []
    for message in catalog:
        if not message.id or not any(accelerators(s) for s in source_texts(message)):
            continue
        for text in forms(message):
            if text and len(accelerators(text)) != 1:
                problems.append(
                    f"{describe(key(message))}: {text!r} has {len(accelerators(text))} "
                    "accelerators, expected exactly one"
                )
    return problems


# -- the tests --------------------------------------------------------------------------


def _report(problems: list[str], limit: int = 60) -> str:
    shown = "\n  ".join(problems[:limit])
    more = f"\n  … and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} problem(s):\n  {shown}{more}"


@pytest.fixture(scope="module")
def template() -> Catalog:
    if not pot_path(TRANSLATIONS_DIR).is_file():
        pytest.skip("translations/ is only in a source checkout")
    return read_catalog(pot_path(TRANSLATIONS_DIR))


def test_pot_is_up_to_date_with_the_code(template: Catalog) -> None:
    missing, obsolete = stale_ids(extract_catalog(), template)
    assert not missing and not obsolete, (
        f"translations/rmdesk.pot is stale; {REGENERATE}.\n"
        f"In the code but not in the .pot ({len(missing)}):\n  " + "\n  ".join(missing)
        + f"\nIn the .pot but no longer in the code ({len(obsolete)}):\n  "
        + "\n  ".join(obsolete)
    )


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_catalog_translates_every_message(template: Catalog, lang: str) -> None:
    problems = completeness_problems(template, read_catalog(po_path(TRANSLATIONS_DIR, lang), lang))
    assert not problems, f"{lang}: " + _report(problems)


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    catalog = read_catalog(po_path(TRANSLATIONS_DIR, lang), lang)
    problems = placeholder_problems(catalog)
    assert not problems, f"{lang}: " + _report(problems)


@pytest.mark.parametrize("lang", TRANSLATED_LANGUAGES)
def test_translations_keep_one_accelerator(lang: str) -> None:
    catalog = read_catalog(po_path(TRANSLATIONS_DIR, lang), lang)
    problems = accelerator_problems(catalog)
    assert not problems, f"{lang}: " + _report(problems)
