"""E12 maturity self-assessment: model and checks (no Qt)."""

from __future__ import annotations

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.domain.maturity import (
    MESSAGES,
    MaturityAssessment,
    Rating,
    check_maturity,
    render_maturity_finding,
)

DIMS = ["governance", "data", "people"]
NAMES = {"governance": "Governance", "data": "Data and IT", "people": "People"}


def complete() -> MaturityAssessment:
    return MaturityAssessment({
        "governance": Rating(3, "Risk committee minutes 2025", "Appoint a risk owner"),
        "data": Rating(2, "", "Link the manifest feed"),
        "people": Rating(4, "Training records", "Coach new analysts"),
    })


def test_complete_assessment_is_good() -> None:
    findings = check_maturity(complete(), DIMS)
    assert [f.code for f in findings] == ["maturity_ok"]
    assert findings[0].severity == GOOD
    text = render_maturity_finding(findings[0], lambda s: s, NAMES)
    assert "average level 3" in text and "Weakest: Data and IT" in text


def test_every_dimension_must_be_rated() -> None:
    assessment = complete()
    del assessment.ratings["people"]
    found = check_maturity(assessment, DIMS)
    unrated = next(f for f in found if f.code == "dimension_unrated")
    assert unrated.severity == ERROR
    assert render_maturity_finding(unrated, lambda s: s, NAMES).startswith("People:")


def test_evidence_from_level_three() -> None:
    assessment = complete()
    assessment.ratings["governance"].evidence = "  "
    assessment.ratings["data"].evidence = ""  # level 2: no evidence needed
    found = check_maturity(assessment, DIMS)
    assert [(f.code, f.params) for f in found if f.severity == ERROR] == [
        ("evidence_missing", {"dimension": "governance", "level": 3})]


def test_next_step_for_each_dimension() -> None:
    assessment = complete()
    assessment.ratings["data"].next_step = ""
    assessment.ratings["people"] = Rating(5, "Audit report", "")
    found = check_maturity(assessment, DIMS)
    assert [(f.code, f.severity) for f in found] == [
        ("next_step_missing", WARNING), ("next_step_top", WARNING)]


def test_no_dimensions() -> None:
    assert [f.code for f in check_maturity(MaturityAssessment(), [])] == ["no_dimensions"]


def test_round_trip_and_tolerant_loading() -> None:
    assessment = complete()
    assert MaturityAssessment.from_dict(assessment.to_dict()) == assessment
    odd = MaturityAssessment.from_dict({"ratings": {
        "a": {"level": 9}, "b": {"level": "4", "evidence": 5}, "c": "junk",
        "d": {"level": True}}})
    assert odd.level("a") is None and odd.level("b") == 4 and odd.level("d") is None
    assert odd.ratings["b"].evidence == "" and "c" not in odd.ratings
    assert MaturityAssessment.from_dict("x") == MaturityAssessment()
    assert MaturityAssessment({"x": Rating()}).to_dict() == {"ratings": {}}


def test_every_message_renders() -> None:
    params = {"dimension": "data", "level": 3, "count": 3, "average": 2.333,
              "weakest": ["data"]}
    for code in MESSAGES:
        assert render_maturity_finding(Finding(code, ERROR, params), lambda s: s, NAMES)
