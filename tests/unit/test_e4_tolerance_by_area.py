"""E4 risk tolerance by area: the appetite may give a risk area its own highest accepted
score (lower for health and safety or security, higher for minor revenue). The checks,
the appetite line and E5 follow each risk's own tolerance; a pack without tolerances by
area behaves as before."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.content.pack import appetite_rule, builtin_pack
from rmdesk.domain.evaluation import (
    ACCEPT,
    TREAT,
    AppetiteRule,
    Evaluation,
    RiskDecision,
    appetite_line,
    check_evaluation,
    ranked,
    render_evaluation_finding,
    tolerance_text,
)
from rmdesk.domain.register import RISK_AREAS, RiskEntry
from rmdesk.domain.treatment import TreatmentPlan, TreatmentRow, check_treatment
from rmdesk.i18n import LANGUAGES, gettext_for

RULE = AppetiteRule(9, area_max=(("health_safety", 6), ("revenue", 12), ("security", 4)))
AREAS = list(RISK_AREAS)

risks = st.lists(st.builds(
    lambda i, area, likelihood, impact: RiskEntry(
        id=f"id-{i}", code=f"R{i}", event="e", area=area, likelihood=likelihood,
        impact=impact),
    st.integers(0, 10**6), st.sampled_from(AREAS), st.integers(1, 5), st.integers(1, 5)),
    min_size=1, max_size=8, unique_by=lambda r: r.id)


def accept_all(entries: list[RiskEntry]) -> list:  # noqa: ANN001
    evaluation = Evaluation([], {r.id: RiskDecision(ACCEPT, "known", "DG", "why")
                                 for r in entries})
    return ranked(evaluation, entries)


@settings(max_examples=200, deadline=None)
@given(risks)
def test_accepting_above_a_risks_own_tolerance_is_always_an_error(entries) -> None:  # noqa: ANN001
    found = check_evaluation(accept_all(entries), 9, RULE)
    flagged = {f.params["code"] for f in found
               if f.code in ("accepted_above_appetite", "accepted_above_area_tolerance")}
    for entry in entries:
        limit = dict(RULE.area_max).get(entry.area, 9)
        assert (entry.code in flagged) == (entry.score > limit), (entry, limit)
    for finding in found:  # and every message reads, with the area named, in every language
        for lang in LANGUAGES:
            text = render_evaluation_finding(finding, gettext_for(lang))
            assert "{" not in text
            if finding.code == "accepted_above_area_tolerance":
                area = gettext_for(lang)(RISK_AREAS[str(finding.params["area"])])
                assert area in text and str(finding.params["maximum"]) in text


@settings(max_examples=200, deadline=None)
@given(risks, st.integers(1, 25))
def test_without_tolerances_by_area_nothing_changes(entries, maximum: int) -> None:  # noqa: ANN001
    rows = accept_all(entries)
    plain = check_evaluation(rows, maximum)
    assert check_evaluation(rows, maximum, AppetiteRule(maximum)) == plain
    # a tolerance equal to the general one is no tolerance of its own
    same = AppetiteRule(maximum, area_max=(("revenue", maximum),))
    assert check_evaluation(rows, maximum, same) == plain and not same.by_area()
    assert "accepted_above_area_tolerance" not in {f.code for f in plain}
    assert appetite_line(rows, maximum, AppetiteRule(maximum)) == appetite_line(rows, maximum)


def test_the_line_falls_after_the_last_risk_above_its_areas_tolerance() -> None:
    entries = [RiskEntry(id="a", code="A", area="revenue", likelihood=3, impact=4),  # 12 ≤ 12
               RiskEntry(id="b", code="B", area="security", likelihood=1, impact=5),  # 5 > 4
               RiskEntry(id="c", code="C", area="ipr", likelihood=2, impact=2)]  # 4 ≤ 9
    rows = ranked(Evaluation(["a", "b", "c"], {}), entries)
    assert appetite_line(rows, 9, RULE) == 2  # after B, although A scores more
    assert appetite_line(rows, 9) == 1  # one threshold: after A (12 > 9)


def test_e5_asks_who_accepts_a_residual_above_its_areas_tolerance() -> None:
    health = RiskEntry(id="h", code="H1", area="health_safety", likelihood=4, impact=4)
    row = TreatmentRow("reduce", "Profile", "Owner", "2026-01-01", "2026-06-30", "",
                       2, 4, "KPI")  # residual 8: below 9, above health's 6
    found = {f.code for f in check_treatment([health], TreatmentPlan({"h": row}), RULE)}
    assert "residual_above_appetite" in found
    row.acceptor = "Director General"
    assert check_treatment([health], TreatmentPlan({"h": row}), RULE)[0].code == "plan_ok"


def test_the_builtin_appetite_is_stricter_for_health_and_security() -> None:
    pack = builtin_pack()
    e4 = pack.exercise("evaluation")
    rule = appetite_rule(e4)
    assert rule.by_area()
    assert rule.max_for("health_safety") == rule.max_for("security") == 6
    assert rule.max_for("revenue") == rule.max_accepted == 9
    for lang in LANGUAGES:
        # the statement and the model answer say it, and the page's sentence lists it
        assert " 6" in e4.appetite.statement.get(lang).replace("\u00a0", " ")
        assert "6" in e4.model_answer.get(lang).strip().split("\n")[0]
        text = tolerance_text(rule, gettext_for(lang))
        assert gettext_for(lang)(RISK_AREAS["health_safety"]) in text and "9" in text


def test_the_model_answer_accepts_only_within_each_tolerance() -> None:
    pack = builtin_pack()
    register = {r["code"]: r for r in pack.model_work["e2e3"]}
    rule = appetite_rule(pack.exercise("evaluation"))
    decisions = pack.model_work["e4"]["decisions"]
    accepted = [c for c, d in decisions.items() if d["decision"] == ACCEPT]
    assert accepted  # the exercise still has something to accept
    for code, decision in decisions.items():
        risk = register[code]
        exceeds = rule.exceeds(risk["likelihood"], risk["impact"], risk["area"])
        assert not (exceeds and decision["decision"] == ACCEPT), code
        assert decision["decision"] in (ACCEPT, TREAT)
