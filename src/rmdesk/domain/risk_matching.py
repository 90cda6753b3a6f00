"""Which risks of different groups are the same risk: same area and similar event text.

Groups word one risk differently ("Undervaluation of footwear from Asia", "Asian footwear
undervalued"), and one risk ID (R6) names different risks in different groups, so the
debrief matches by meaning: the words of the event, normalised (case, accents,
punctuation), without the small words of the four languages, each cut to its first
letters as a crude, deterministic stem; two events are similar when these word sets
overlap enough (Jaccard index). The facilitator confirms a match or separates a risk
from it; those decisions are kept per workshop (MatchDecisions, JSON).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Share of common words (Jaccard) from which two events read as the same risk, and the
# letters a word is cut to ("undervaluation", "undervalued" -> "underv").
SIMILAR = 0.5
STEM = 6

# Small words of en, es, pt_BR and fr: they say nothing about which risk it is.
STOP_WORDS = frozenset("""
a an and are as at be by for from in into is it its of on or that the their this to was
with within without via per not no
el la los las un una unos unas y o de del al en por para con sin sobre entre que se su sus
es son como
o a os as um uma uns umas e ou de do da dos das no na nos nas em por pelo pela pelos
pelas para com sem sobre entre que se seu sua seus suas
le la les l un une des du de d et ou en au aux dans par pour sur avec sans entre que qui
se sa son ses leur leurs est sont
""".split())


def words(text: str) -> frozenset[str]:
    """The words that name what an event is about, normalised and stemmed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    found = re.sub(r"[\W_]+", " ", plain).split()
    # Numbers count whole ("6403" is not "6404"); other one-letter words say nothing.
    return frozenset(w if w.isdigit() else w[:STEM] for w in found
                     if w not in STOP_WORDS and (len(w) > 1 or w.isdigit()))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard index of two word sets: 1.0 the same words, 0.0 none in common."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def match_key(risk_ids: Iterable[str]) -> str:
    """A match named by its members: confirming it holds while its members stay the same."""
    return "|".join(sorted(risk_ids))


@dataclass(frozen=True)
class MatchDecisions:
    """What the facilitator decided about the suggested matches of one workshop."""

    confirmed: frozenset[str] = frozenset()  # match keys
    apart: frozenset[str] = frozenset()  # risk ids kept out of every match

    def to_json(self) -> str:
        return json.dumps({"confirmed": sorted(self.confirmed), "apart": sorted(self.apart)})

    @classmethod
    def from_json(cls, text: str | None) -> MatchDecisions:
        """Tolerant: a damaged value means no decisions, never an error."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()

        def strings(value: object) -> frozenset[str]:
            return frozenset(v for v in value if isinstance(v, str)) \
                if isinstance(value, list) else frozenset()

        return cls(strings(data.get("confirmed")), strings(data.get("apart")))

    def confirm(self, key: str) -> MatchDecisions:
        return MatchDecisions(self.confirmed | {key}, self.apart)

    def separate(self, risk_id: str) -> MatchDecisions:
        return MatchDecisions(self.confirmed, self.apart | {risk_id})

    def reset(self) -> MatchDecisions:
        return MatchDecisions()


@dataclass
class Candidate:
    """One group's risk as matching sees it."""

    group_id: str
    risk_id: str
    area: str
    words: frozenset[str]
    payload: object = None


@dataclass
class Cluster:
    members: list[Candidate] = field(default_factory=list)

    def groups(self) -> set[str]:
        return {m.group_id for m in self.members}

    def score(self, candidate: Candidate) -> float:
        """Mean similarity to the members: one odd wording does not pull others in."""
        return sum(similarity(candidate.words, m.words) for m in self.members) / \
            len(self.members)

    def area(self) -> str:
        return next((m.area for m in self.members if m.area), "")


def cluster(candidates: Sequence[Candidate], apart: frozenset[str] = frozenset()
            ) -> list[Cluster]:
    """Group the candidates (in the order given: groups, then their risks) into matches.

    A candidate joins the match it is most similar to (mean similarity at least SIMILAR),
    in the same area (a risk without an area fits any), holding no risk of its group yet;
    otherwise it starts its own. Risks in `apart` stay alone. Deterministic."""
    clusters: list[Cluster] = []
    for candidate in candidates:
        best: Cluster | None = None
        best_score = SIMILAR
        if candidate.risk_id not in apart and candidate.words:
            for found in clusters:
                if candidate.group_id in found.groups() or found.members[0].risk_id in apart:
                    continue
                area = found.area()
                if candidate.area and area and candidate.area != area:
                    continue
                score = found.score(candidate)
                if score >= best_score and (best is None or score > best_score):
                    best, best_score = found, score
        if best is None:
            clusters.append(Cluster([candidate]))
        else:
            best.members.append(candidate)
    return clusters
