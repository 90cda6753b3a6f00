"""Per-language word lists for the text heuristics of "Check my work", and the guess of
which language a typed text is written in.

The lists live in resources/lexicon/<lang>.toml, one file per language, so that a word is
a trigger only in the language it belongs to: French "former" (to train) opens an action,
English "Former officers ..." opens a risk. Texts are compared folded (lower case, no
accents) and as whole words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

from rmdesk.i18n import LANGUAGES, current_language
from rmdesk.paths import resources_dir

Phrase = tuple[str, ...]


def fold(text: str) -> str:
    """Lower case without accents: "Contrôler" and "controler" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("œ", "oe").replace("æ", "ae")


def words(text: str) -> list[str]:
    """The folded whole words of `text`: "X-ray all high-risk" -> x, ray, all, high, risk."""
    return re.findall(r"[^\W_]+", fold(text))


@dataclass(frozen=True)
class Lexicon:
    language: str
    detect: frozenset[str]
    endings: frozenset[str]  # weaker clues for words the detect list does not know
    letters: frozenset[str]  # "ñ", "ã", "è" (looked for before accents are removed)
    openers: frozenset[Phrase]  # always an action at the start of a text
    ambiguous: frozenset[Phrase]  # noun or verb: an action only before an object
    objects: frozenset[str]
    noun_markers: frozenset[str]  # after an opener: it was a noun ("Use of ...")
    internal: frozenset[Phrase]
    external: frozenset[Phrase]
    not_after: frozenset[str]  # "former officers" are not staff


def _phrases(items: list[str]) -> frozenset[Phrase]:
    return frozenset(tuple(words(item)) for item in items if words(item))


def _words(items: list[str]) -> frozenset[str]:
    return frozenset(w for item in items for w in words(item))


def lexicon_path(lang: str) -> str:
    return str(resources_dir() / "lexicon" / f"{lang}.toml")


@cache
def lexicon(lang: str) -> Lexicon:
    """The word lists of one shipped language (resources/lexicon/<lang>.toml)."""
    import tomllib  # kept local: start-up does not load tomllib (see test_layers)

    with open(lexicon_path(lang), "rb") as handle:
        data = tomllib.load(handle)
    detect, control = data.get("detect", {}), data.get("control", {})
    placement = data.get("placement", {})
    return Lexicon(
        language=lang,
        # Every listed word is a clue to the language, not only the frequent ones.
        detect=_words(detect.get("words", []) + control.get("openers", [])
                      + placement.get("internal", []) + placement.get("external", [])),
        endings=_words(detect.get("endings", [])),
        letters=frozenset(detect.get("letters", [])),
        openers=_phrases(control.get("openers", [])),
        ambiguous=_phrases(control.get("ambiguous", [])),
        objects=_words(control.get("objects", [])),
        noun_markers=_words(control.get("noun_markers", [])),
        internal=_phrases(placement.get("internal", [])),
        external=_phrases(placement.get("external", [])),
        not_after=_words(placement.get("not_after", [])),
    )


def _shares(lists: dict[str, frozenset[str]]) -> dict[str, dict[str, float]]:
    """For each clue, the languages it belongs to, each with 1/len(languages): "de" says
    little (es, pt_BR, fr), "the" says English."""
    owners: dict[str, list[str]] = {}
    for lang, clues in lists.items():
        for clue in clues:
            owners.setdefault(clue, []).append(lang)
    return {c: {lang: 1 / len(langs) for lang in langs} for c, langs in owners.items()}


@cache
def _clues() -> tuple[dict[str, dict[str, float]], ...]:
    return (
        _shares({lang: lexicon(lang).detect for lang in LANGUAGES}),
        _shares({lang: lexicon(lang).endings for lang in LANGUAGES}),
        _shares({lang: lexicon(lang).letters for lang in LANGUAGES}),
    )


ENDING_WEIGHT = 0.5  # an ending is a weaker clue than a known word


def language_scores(text: str) -> Counter[str]:
    known, endings, letters = _clues()
    scores: Counter[str] = Counter()
    for word in set(words(text)):
        if word in known:
            scores.update(known[word])
            continue
        for size in range(min(len(word) - 2, 6), 1, -1):  # the longest known ending
            shares = endings.get(word[-size:])
            if shares:
                scores.update({lang: ENDING_WEIGHT * v for lang, v in shares.items()})
                break
    for letter in set(text.lower()) & letters.keys():
        scores.update(letters[letter])
    return scores


def detect_language(text: str, hint: str | None = None) -> str:
    """The language `text` is most likely written in.

    Scores the frequent words, word endings and letters of each language; when the text
    says too little to tell (a tie, or no clue), the `hint` wins if it is among the best,
    and the hint defaults to the interface language (the one the group is working in)."""
    hint = hint if hint in LANGUAGES else current_language()
    scores = language_scores(text)
    if not scores:
        return hint if hint in LANGUAGES else next(iter(LANGUAGES))
    best = max(scores.values())
    leaders = [lang for lang in LANGUAGES if scores[lang] >= best - 1e-9]
    return hint if hint in leaders else leaders[0]
