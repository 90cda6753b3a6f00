"""Word-list heuristics on typed text: does a risk read like an action, does a SWOT item
sound internal or external?

Each text is judged with the word lists of the language it is written in
(rmdesk.i18n.lexicon), never with a mixed list: "Former officers sell passwords" is an
English risk, although "former" opens an action in French.
"""

from __future__ import annotations

import re
from functools import cache

from rmdesk.i18n.lexicon import Lexicon, Phrase, detect_language, lexicon, words


@cache
def _longest(phrases: frozenset[Phrase]) -> int:
    return max((len(p) for p in phrases), default=0)


def _starts_with(tokens: list[str], phrases: frozenset[Phrase]) -> Phrase | None:
    """The longest phrase `tokens` start with ("carry out" before "carry")."""
    for size in range(min(_longest(phrases), len(tokens)), 0, -1):
        if tuple(tokens[:size]) in phrases:
            return tuple(tokens[:size])
    return None


def opens_with_action(text: str, language: str | None = None) -> bool:
    """True when `text` opens with an action ("Inspect all containers ...") rather than
    an uncertain event ("Use of forged certificates ...", "Inspectors accept bribes")."""
    lex = lexicon(language or detect_language(text))
    tokens = words(text)
    phrase = _starts_with(tokens, lex.openers | lex.ambiguous)
    if phrase is None:
        return False
    following = tokens[len(phrase)] if len(tokens) > len(phrase) else ""
    if following in lex.noun_markers:  # "Increase in ...", "Review of ..."
        return False
    if phrase in lex.openers:
        return True
    return following in lex.objects  # "Check every declaration", not "Check lists ..."


def _find(tokens: list[str], phrases: frozenset[Phrase], lex: Lexicon) -> tuple[int, int] | None:
    """Start and length of the first signal phrase, skipping "former officers" and the like."""
    longest = _longest(phrases)
    for start in range(len(tokens)):
        for size in range(min(longest, len(tokens) - start), 0, -1):
            if tuple(tokens[start : start + size]) in phrases:
                if start and tokens[start - 1] in lex.not_after:
                    break
                return start, size
    return None


def signal_word(text: str, internal: bool, language: str | None = None) -> str | None:
    """The first word of `text` that points inside (or outside) the administration, as
    the group typed it, or None."""
    lex = lexicon(language or detect_language(text))
    tokens = words(text)
    found = _find(tokens, lex.internal if internal else lex.external, lex)
    if found is None:
        return None
    start, size = found
    typed = re.findall(r"[^\W_]+", text)
    source = typed if len(typed) == len(tokens) else tokens
    return " ".join(source[start : start + size])


def misplaced_word(text: str, internal_quadrant: bool, language: str | None = None) -> str | None:
    """A word suggesting the item belongs on the other side of the SWOT, when nothing in it
    speaks for the side it is on ("Traders distrust our procedures" stays a weakness)."""
    language = language or detect_language(text)
    if signal_word(text, internal=internal_quadrant, language=language):
        return None
    return signal_word(text, internal=not internal_quadrant, language=language)
