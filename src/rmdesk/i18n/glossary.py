"""The workshop's vocabulary: one term per concept in en, es, pt_BR and fr
(resources/glossary.toml), the test that catalogs and packs use it, and docs/glossary.md.

Run `python -m rmdesk.i18n.glossary` to regenerate docs/glossary.md after editing the TOML.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rmdesk.i18n import LANGUAGES
from rmdesk.paths import resources_dir

SOURCES = ("WCO Compendium", "WCO Glossary", "SAFE Framework", "WCO Data Model", "Workshop")
DOC_PATH = Path(__file__).resolve().parents[3] / "docs" / "glossary.md"


def _normal(text: str) -> str:
    """Lower case without accents, placeholders or accelerators, typographic apostrophes
    and non-breaking spaces made plain: "declaración" and "declaraciones" share a stem,
    and "{lane}" is not the word "lane"."""
    text = re.sub(r"\{[^{}]*\}", " ", text).replace("&", "").lower().replace("’", "'")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _plural(word: str) -> str:
    """The word and its plurals: -s, -es, French -x, Portuguese -ão/-ões, -l/-is, -m/-ns."""
    escaped = re.escape(word)
    if word.endswith("ao"):
        return re.escape(word[:-2]) + r"(?:ao|aos|oes|aes)"
    if word.endswith("l"):
        return re.escape(word[:-1]) + r"(?:l|ls|les|is|ux)"
    if word.endswith("m"):
        return re.escape(word[:-1]) + r"(?:m|ms|ns)"
    return escaped + r"(?:s|es|x)?"


def _form_pattern(form: str) -> str:
    """Whole words; each may take a plural ending, and "escal*" any ending."""
    parts = []
    for word in _normal(form).split():
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w-]*")
        else:
            parts.append(_plural(word))
    return r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w])"


@dataclass(frozen=True)
class Term:
    names: dict[str, str]  # language -> headword
    source: str
    definition: str
    variants: dict[str, list[str]] = field(default_factory=dict)
    exceptions: tuple[str, ...] = ()

    def forms(self, lang: str) -> list[str]:
        return [self.names[lang], *self.variants.get(lang, [])]

    @cached_property
    def _patterns(self) -> dict[str, re.Pattern[str]]:
        return {lang: re.compile("|".join(_form_pattern(f) for f in self.forms(lang)))
                for lang in LANGUAGES}

    def used_in(self, text: str, lang: str) -> bool:
        """Whether `text` (written in `lang`) uses this term or one of its variants."""
        text = _normal(text)
        if lang == "en":
            for phrase in self.exceptions:
                text = text.replace(_normal(phrase), " ")
        return self._patterns[lang].search(text) is not None


def load_glossary(path: Path | None = None) -> list[Term]:
    import tomllib  # kept local: start-up does not load tomllib

    with open(path or resources_dir() / "glossary.toml", "rb") as handle:
        data = tomllib.load(handle)
    return [
        Term(names={lang: entry[lang] for lang in LANGUAGES}, source=entry["source"],
             definition=entry["definition"], variants=dict(entry.get("variants", {})),
             exceptions=tuple(entry.get("except", [])))
        for entry in data["terms"]
    ]


def mismatches(terms: list[Term], source: str, translation: str, lang: str) -> list[Term]:
    """The glossary terms the English `source` uses that its translation does not."""
    return [t for t in terms if t.used_in(source, "en") and not t.used_in(translation, lang)]


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n|\n(?=- )", text.strip()) if p.strip()]


def text_mismatches(terms: list[Term], source: str, translation: str,
                    lang: str) -> list[tuple[Term, str]]:
    """Like `mismatches` for a long text: paragraph by paragraph (and bullet by bullet)
    when the translation has as many as the English, else the text as a whole.
    Returns each missing term with the English paragraph that uses it."""
    ours, theirs = _paragraphs(source), _paragraphs(translation)
    pairs = list(zip(ours, theirs, strict=True)) if len(ours) == len(theirs) \
        else [(source, translation)]
    return [(term, en) for en, tr in pairs for term in mismatches(terms, en, tr, lang)]


def render_markdown(terms: list[Term]) -> str:
    header = [
        "# Glossary",
        "",
        "The key terms of the workshop and the one word rmdesk uses for each in every",
        "language, chosen from the terms customs administrations use: the WCO Customs Risk",
        "Management Compendium, the WCO Glossary of International Customs Terms (and the",
        "Revised Kyoto Convention), the SAFE Framework and the WCO Data Model; \"Workshop\"",
        "marks a term of this workshop's own tools. The interface catalogs and the built-in",
        "pack use these terms, and tests/unit/test_glossary.py keeps them doing so.",
        "",
        "Generated from resources/glossary.toml by `python -m rmdesk.i18n.glossary`: edit the",
        "TOML, not this file. Other accepted forms (a short form, a verb) follow the table.",
        "",
        "| English | Español | Português (Brasil) | Français | Source | Meaning |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    rows = [
        "| " + " | ".join([*(t.names[lang] for lang in LANGUAGES), t.source,
                          t.definition.replace("|", "\\|")]) + " |"
        for t in sorted(terms, key=lambda t: t.names["en"].lower())
    ]
    variants = ["", "## Other accepted forms", "",
                "Short forms, verbs and regional usage that count as the term in a text.", ""]
    for t in sorted(terms, key=lambda t: t.names["en"].lower()):
        forms = [f"{lang}: " + ", ".join(t.variants[lang]) for lang in LANGUAGES
                 if t.variants.get(lang)]
        if forms:
            variants.append(f"- **{t.names['en']}**: " + "; ".join(forms))
    return "\n".join(header + rows + variants) + "\n"


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0]) if argv else DOC_PATH
    target.write_text(render_markdown(load_glossary()), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
