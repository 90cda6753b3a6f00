"""Risks matched across groups by meaning: same area, similar event; never by R-number."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.domain.comparison import MATCH_EVENT, build_overlay
from rmdesk.domain.register import RISK_AREAS, RiskEntry
from rmdesk.domain.risk_matching import MatchDecisions, similarity, words


def risk(rid: str, code: str, event: str, area: str = "revenue", lik: int = 3,
         imp: int = 3) -> RiskEntry:
    return RiskEntry(id=rid, code=code, event=event, area=area, likelihood=lik, impact=imp)


def test_wordings_of_one_risk_are_similar_and_others_are_not() -> None:
    a = words("Undervaluation of footwear from Asia")
    assert similarity(a, words("Footwear from Asia undervalued at import")) >= 0.5
    assert similarity(a, words("Sous-évaluation des chaussures d'Asie")) < 0.5
    assert similarity(words("Cigarrillos en tránsito hacia Sulmara se desvían"),
                      words("Cigarros em trânsito para Sulmara são desviados")) >= 0.5
    assert similarity(a, words("Cocaine in banana containers")) == 0.0
    assert words("the of de la") == frozenset()  # small words say nothing


def test_same_id_different_risks_stay_apart_and_different_ids_same_risk_match() -> None:
    groups = {
        "a": ("Alpha", [risk("a1", "R6", "Firearm parts in postal parcels", "prohibited"),
                        risk("a2", "R1", "Undervaluation of used vehicles")]),
        "b": ("Beta", [risk("b1", "R6", "Used vehicles undervaluation on invoices"),
                       risk("b2", "R9", "Firearm parts sent in postal parcels",
                            "prohibited")]),
    }
    overlay = build_overlay(groups, MATCH_EVENT)
    pairs = sorted(sorted(r.risk_id for r in o.ratings) for o in overlay.risks)
    assert pairs == [["a1", "b2"], ["a2", "b1"]]
    labels = {o.label for o in overlay.risks}
    assert labels == {"Firearm parts in postal parcels", "Undervaluation of used vehicles"}


def test_the_facilitator_separates_and_confirms() -> None:
    groups = {
        "a": ("Alpha", [risk("a1", "R1", "Cocaine hidden in banana containers")]),
        "b": ("Beta", [risk("b1", "R1", "Cocaine concealed in banana containers")]),
        "c": ("Gamma", [risk("c1", "R2", "Cocaine in banana containers from the south")]),
    }
    suggested = build_overlay(groups)
    assert len(suggested.risks) == 1 and not suggested.risks[0].confirmed
    key = suggested.risks[0].key
    confirmed = build_overlay(groups, decisions=MatchDecisions().confirm(key))
    assert confirmed.risks[0].confirmed
    split = build_overlay(groups, decisions=MatchDecisions().confirm(key).separate("c1"))
    assert [sorted(r.risk_id for r in o.ratings) for o in split.risks] == [["a1", "b1"]]
    # The match changed, so the earlier confirmation no longer speaks for it.
    assert not split.risks[0].confirmed
    decisions = MatchDecisions().confirm(key).separate("c1")
    assert MatchDecisions.from_json(decisions.to_json()) == decisions
    for damaged in ("", "[", "[1]", '{"apart": 3}', '{"confirmed": [1, "x"]}'):
        assert MatchDecisions.from_json(damaged).apart == frozenset()


EVENTS = ["Undervaluation of footwear", "Counterfeit medicines in parcels",
          "Cocaine in banana containers", "Misdeclared origin of steel",
          "Cigarette smuggling in transit", "Fake certificates of origin"]


@st.composite
def workshops(draw):
    count = draw(st.integers(1, 6))
    groups = {}
    for g in range(count):
        picks = draw(st.lists(st.tuples(st.sampled_from(EVENTS),
                                        st.sampled_from(sorted(RISK_AREAS)),
                                        st.sampled_from(["R1", "R2", "R3"]),
                                        st.integers(1, 5), st.integers(1, 5)),
                              max_size=6))
        groups[f"g{g}"] = (f"Group {g}", [risk(f"g{g}r{i}", code, event, area, lik, imp)
                                          for i, (event, area, code, lik, imp)
                                          in enumerate(picks)])
    return groups


@settings(max_examples=60, deadline=None)
@given(workshops())
def test_matching_properties(groups) -> None:
    overlay = build_overlay(groups, min_groups=1)
    by_id = {r.id: r for _n, risks in groups.values() for r in risks}
    seen: list[str] = []
    for match in overlay.risks:
        ids = [r.risk_id for r in match.ratings]
        seen += ids
        # One group counts once; one match holds one area.
        assert len({r.group_id for r in match.ratings}) == len(match.ratings)
        assert len({by_id[i].area for i in ids}) == 1
        assert len(match.label) <= 61
    assert len(seen) == len(set(seen))  # a risk is in one match at most
    # IDs play no part: renumbering every risk changes no match.
    renumbered = {gid: (name, [RiskEntry(**{**r.__dict__, "code": f"X{i}"})
                               for i, r in enumerate(risks)])
                  for gid, (name, risks) in groups.items()}
    again = build_overlay(renumbered, min_groups=1)
    assert [sorted(r.risk_id for r in m.ratings) for m in again.risks] == \
        [sorted(r.risk_id for r in m.ratings) for m in overlay.risks]
