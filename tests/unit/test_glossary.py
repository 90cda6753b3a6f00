"""One vocabulary: resources/glossary.toml gives each key term of the workshop in en, es,
pt_BR and fr; docs/glossary.md is generated from it; and every catalog message and every
text of the built-in pack that uses a term in English uses the glossary's term (or an
allowed variant) in each translation."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from rmdesk.i18n import LANGUAGES
from rmdesk.i18n.glossary import (
    DOC_PATH,
    SOURCES,
    Term,
    load_glossary,
    mismatches,
    render_markdown,
    text_mismatches,
)
from rmdesk.paths import builtin_content_dir

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = ("es", "pt_BR", "fr")
TERMS = load_glossary()


def test_the_glossary_has_the_workshops_key_terms_in_every_language() -> None:
    assert 40 <= len(TERMS) <= 60
    english = [t.names["en"].lower() for t in TERMS]
    assert len(set(english)) == len(english)
    for term in TERMS:
        assert term.source in SOURCES, term.names["en"]
        assert term.definition.strip()
        for lang in LANGUAGES:
            assert term.names[lang].strip(), (term.names["en"], lang)
            # the headword and each variant are recognised, plural included
            for form in term.forms(lang):
                assert term.used_in(form.rstrip("*"), lang), (form, lang)
    key = {"risk appetite", "escalation", "examiner", "heat map", "review trigger", "lift",
           "post-arrival", "random selection", "targeting", "selectivity", "PESTLE",
           "risk register", "likelihood", "consequence", "risk owner", "control",
           "treatment", "residual risk", "hit rate", "detection rate", "red lane",
           "green lane", "risk profile", "risk indicator", "authorised economic operator",
           "post-clearance audit"}
    assert key <= set(t.names["en"] for t in TERMS)


def test_docs_glossary_is_generated_from_the_data() -> None:
    assert DOC_PATH == ROOT / "docs" / "glossary.md"
    assert DOC_PATH.read_text(encoding="utf-8") == render_markdown(TERMS), (
        "run `python -m rmdesk.i18n.glossary` to regenerate docs/glossary.md")


def term(en: str) -> Term:
    return next(t for t in TERMS if t.names["en"] == en)


def test_the_check_sees_a_wrong_term_and_accepts_inflections() -> None:
    appetite, examiner = term("risk appetite"), term("examiner")
    assert mismatches(TERMS, "Risk appetite:", "Tolerancia al riesgo:", "es") == [appetite]
    assert mismatches(TERMS, "Risk appetite:", "Apetito de riesgo:", "es") == []
    assert not mismatches(TERMS, "{count} declarations", "{count} declaraciones", "es")
    assert not mismatches(TERMS, "{count} declarations", "{count} declarações", "pt_BR")
    assert mismatches(TERMS, "the examiners", "os fiscais", "pt_BR") == []
    assert mismatches(TERMS, "the examiners", "les agents", "fr") == [examiner]
    # placeholders and accelerators are not words: "{lane}" does not use "lane"
    assert not mismatches(TERMS, "{lane}: 5%", "{lane} : 5 %", "fr")
    assert not mismatches(TERMS, "&Model answer", "Corri&gé type", "fr")
    # an English phrase listed as an exception does not count as the term
    assert not mismatches(TERMS, "Release for home use", "Despacho a consumo", "es")


def catalog_cases(lang: str) -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) pairs of one catalog, each plural form with its source."""
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "rmdesk.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) \
            else (message.string,)
        for index, translation in enumerate(strings):
            yield ids[min(index, len(ids) - 1)], translation or ""


def describe(problems: list[str]) -> str:
    return f"{len(problems)} text(s) do not use the glossary's term:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogs_use_the_glossary_terms(lang: str) -> None:
    problems = [
        f"  {t.names['en']!r} -> {t.forms(lang)} missing: {source!r} -> {translation!r}"
        for source, translation in catalog_cases(lang) if translation
        for t in mismatches(TERMS, source, translation, lang)
    ]
    assert not problems, describe(problems)


def localised_texts(data: object, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Every {en = ..., es = ..., ...} table of a pack, with where it is."""
    if isinstance(data, dict):
        if isinstance(data.get("en"), str) and any(lang in data for lang in TRANSLATED):
            yield path, data
            return
        for key, value in data.items():
            yield from localised_texts(value, f"{path}.{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from localised_texts(value, f"{path}[{index}]")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_builtin_pack_uses_the_glossary_terms(lang: str) -> None:
    with (builtin_content_dir() / "builtin-practice.toml").open("rb") as handle:
        pack = tomllib.load(handle)
    texts = list(localised_texts(pack))
    assert len(texts) > 100
    problems = [
        f"  {where}: {t.names['en']!r} -> {t.forms(lang)} missing in: {english[:90]!r}"
        for where, text in texts if text.get(lang)
        for t, english in text_mismatches(TERMS, text["en"], text[lang], lang)
    ]
    assert not problems, describe(problems)
