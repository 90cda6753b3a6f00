"""The text heuristics of "Check my work" against corpora written as customs officers
write: every line of tests/corpora/wording/<lang>/ in every workshop language, whatever
the interface language (the tie-break when a text says too little)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rmdesk.domain.checks import looks_like_control
from rmdesk.domain.context_scan import PESTLE, ContextScan, Stakeholder, check_context_scan
from rmdesk.i18n import LANGUAGES
from rmdesk.i18n.lexicon import detect_language, lexicon, words

CORPORA = Path(__file__).resolve().parents[1] / "corpora" / "wording"
MINIMUM = {"risk_events": 40, "control_actions": 20, "swot_ok": 40, "swot_misplaced": 20}


def lines(lang: str, name: str) -> list[str]:
    text = (CORPORA / lang / f"{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def cases(name: str) -> list[tuple[str, str]]:
    return [(lang, line) for lang in LANGUAGES for line in lines(lang, name)]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", MINIMUM)
def test_every_language_has_a_full_corpus(lang: str, name: str) -> None:
    found = lines(lang, name)
    assert len(found) >= MINIMUM[name]
    assert len(set(found)) == len(found), "a line is repeated"


def assert_read_as(lang: str, text: str) -> None:
    """Whatever the interface language, the text is judged in its own language."""
    for hint in LANGUAGES:
        assert detect_language(text, hint) == lang, f"read as another language with UI {hint}"


@pytest.mark.parametrize(("lang", "event"), cases("risk_events"))
def test_risk_events_are_not_taken_for_controls(lang: str, event: str) -> None:
    assert_read_as(lang, event)
    assert not looks_like_control(event, lang)
    assert not looks_like_control(event)  # detected, with the UI language as tie-break


@pytest.mark.parametrize(("lang", "action"), cases("control_actions"))
def test_actions_are_flagged(lang: str, action: str) -> None:
    assert_read_as(lang, action)
    assert looks_like_control(action, lang)
    assert looks_like_control(action)


def test_a_trigger_of_one_language_does_not_fire_in_another() -> None:
    # French "former" (to train) opens an action; English "Former officers" a risk.
    assert looks_like_control("Former les agents à la valeur en douane")
    assert not looks_like_control("Former officers advise smugglers on our profiles")
    # Spanish and Portuguese infinitives are not English verbs, and vice versa.
    assert not looks_like_control("Use of forged invoices", "es")
    assert not looks_like_control("Inspeccionar todos los contenedores", "en")
    # Every opener of a language is still read as such in a sentence of that language.
    for lang in LANGUAGES:
        assert lexicon(lang).openers, lang


def complete_scan() -> ContextScan:
    return ContextScan(
        pestle={k: [f"{k} one", f"{k} two"] for k in PESTLE},
        swot={"strengths": ["Experienced valuation unit"],
              "weaknesses": ["Manual release at land borders"],
              "opportunities": ["Regional data exchange agreement"],
              "threats": ["Organised fraud networks"]},
        stakeholders=[Stakeholder("Ministry of Finance", "Revenue targets")],
        objectives=["Protect revenue", "Faster clearance", "Safer borders"],
        risk_criteria="Risks scoring above 9 are treated within one quarter.",
    )


def placement_hints(quadrant: str, item: str) -> list[dict[str, object]]:
    scan = complete_scan()
    scan.swot[quadrant] = [item]
    return [f.params for f in check_context_scan(scan)
            if f.code in ("looks_internal", "looks_external")]


def swot_cases(name: str) -> list[tuple[str, list[str]]]:
    return [(lang, [part.strip() for part in line.split("|")]) for lang, line in cases(name)]


@pytest.mark.parametrize(("lang", "parts"), swot_cases("swot_ok"))
def test_well_placed_swot_items_get_no_hint(lang: str, parts: list[str]) -> None:
    quadrant, item = parts
    assert_read_as(lang, item)
    assert placement_hints(quadrant, item) == []


@pytest.mark.parametrize(("lang", "parts"), swot_cases("swot_misplaced"))
def test_misplaced_swot_items_get_the_hint(lang: str, parts: list[str]) -> None:
    quadrant, item, word = parts
    assert_read_as(lang, item)
    (hint,) = placement_hints(quadrant, item)
    assert hint["word"] == word


@pytest.mark.parametrize("lang", LANGUAGES)
def test_word_lists_are_clean(lang: str) -> None:
    lex = lexicon(lang)
    # A phrase is never both internal and external, nor an opener and a noun marker.
    assert not lex.internal & lex.external
    assert not {p[0] for p in lex.openers | lex.ambiguous if len(p) == 1} & lex.noun_markers
    # Phrases fold to whole words, so "Contrôler" and "controler" both match.
    for phrase in lex.openers | lex.internal | lex.external:
        assert all(word == words(word)[0] for word in phrase)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_opener_of_another_language_never_flags(lang: str) -> None:
    """Any verb that opens an action only in another language, put at the head of a risk
    event written in this language, leaves the event unflagged."""
    own = {p for p in lexicon(lang).openers | lexicon(lang).ambiguous if len(p) == 1}
    events = sorted(lines(lang, "risk_events"), key=lambda e: len(e.split()))[-5:]
    foreign = sorted({p[0] for other in LANGUAGES if other != lang
                      for p in lexicon(other).openers if len(p) == 1 and p not in own})
    assert len(foreign) > 50
    for verb in foreign:
        for event in events:
            text = " ".join([verb.capitalize(), *event.split()[1:]])
            assert not looks_like_control(text), text
