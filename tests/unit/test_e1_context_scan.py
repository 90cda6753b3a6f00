"""E1 context scan: the answer's JSON shape and the automatic checks (no Qt)."""

from __future__ import annotations

import pytest

from rmdesk.domain.checks import ERROR, GOOD, WARNING
from rmdesk.domain.context_scan import (
    MESSAGES,
    PESTLE,
    SWOT,
    ContextScan,
    Stakeholder,
    check_context_scan,
    placement_word,
    render_context_finding,
)
from rmdesk.i18n import LANGUAGES, gettext_for


def complete() -> ContextScan:
    return ContextScan(
        pestle={k: [f"{k} factor one", f"{k} factor two"] for k in PESTLE},
        swot={
            "strengths": ["Experienced valuation unit"],
            "weaknesses": ["Manual release at land borders"],
            "opportunities": ["Regional data exchange agreement"],
            "threats": ["Organised fraud networks"],
        },
        stakeholders=[Stakeholder("Ministry of Finance", "Revenue targets")],
        objectives=["Protect revenue", "Faster clearance", "Safer borders"],
        risk_criteria="Risks scoring above 9 are treated within one quarter.",
    )


def codes(scan: ContextScan) -> list[str]:
    return [f.code for f in check_context_scan(scan)]


def test_complete_scan_is_good() -> None:
    findings = check_context_scan(complete())
    assert [(f.code, f.severity) for f in findings] == [("context_ok", GOOD)]


def test_empty_scan_names_every_cell() -> None:
    findings = check_context_scan(ContextScan())
    too_few = {f.params["cell"] for f in findings if f.code == "pestle_too_few"}
    assert too_few == set(PESTLE)
    assert {f.params["cell"] for f in findings if f.code == "swot_empty"} == set(SWOT)
    assert {"objectives_too_few", "no_stakeholders", "no_risk_criteria"} <= set(codes(
        ContextScan()))
    assert all(f.severity != GOOD for f in findings)


def test_counts_per_cell() -> None:
    scan = complete()
    scan.pestle["legal"] = ["one", "  ", ""]  # blank rows do not count
    scan.pestle["social"] = ["a", "b", "c", "d", "e"]
    scan.objectives = [f"objective {i}" for i in range(6)]
    findings = {f.code: f for f in check_context_scan(scan)}
    assert findings["pestle_too_few"].params == {"cell": "legal", "count": 1, "minimum": 2}
    assert findings["pestle_too_few"].severity == ERROR
    assert findings["pestle_too_many"].params["cell"] == "social"
    assert findings["pestle_too_many"].severity == WARNING
    assert findings["objectives_too_many"].params["count"] == 6


def test_duplicates_across_cells_ignore_case_accents_and_punctuation() -> None:
    scan = complete()
    scan.pestle["economic"].append("Crise économique régionale.")
    scan.swot["threats"].append("crise economique  regionale")
    dup = [f for f in check_context_scan(scan) if f.code == "duplicate"]
    assert len(dup) == 1
    assert dup[0].params["cells"] == ["economic", "threats"]
    text = render_context_finding(dup[0], lambda s: s)
    assert "Economic, Threats" in text and "Crise économique régionale." in text


def test_twice_in_one_cell() -> None:
    scan = complete()
    scan.objectives.append("protect revenue")
    dup = next(f for f in check_context_scan(scan) if f.code == "duplicate")
    assert "Objectives (×2)" in render_context_finding(dup, lambda s: s)


@pytest.mark.parametrize(("quadrant", "text", "word"), [
    ("threats", "Our staff lack training on valuation", "Our"),
    ("opportunities", "Nuevos procedimientos de despacho", "procedimientos"),
    ("threats", "Orçamento reduzido em 2026", "Orçamento"),
    ("opportunities", "Formation des agents aux scanners", "Formation"),
])
def test_external_quadrant_with_internal_words(quadrant: str, text: str, word: str) -> None:
    scan = complete()
    scan.swot[quadrant] = [text]
    hint = next(f for f in check_context_scan(scan) if f.code == "looks_internal")
    assert hint.params == {"cell": quadrant, "text": text, "word": word}


@pytest.mark.parametrize("text", ["Importers trust the single window",
                                  "Apoyo del gobierno", "Marché régional en croissance"])
def test_internal_quadrant_with_external_words(text: str) -> None:
    scan = complete()
    scan.swot["strengths"] = [text]
    assert "looks_external" in codes(scan)


def test_placement_words_match_whole_words_only() -> None:
    assert placement_word("Tourism growth in the south", internal=True) is None  # "our"
    assert placement_word("Supermarkets expand", internal=False) is None  # "market"
    assert placement_word("New IT system in customs", internal=True) == "IT system"


def test_stakeholders() -> None:
    scan = complete()
    scan.stakeholders = [Stakeholder("Importers' association", ""),
                         Stakeholder("", "Faster release"), Stakeholder("", "")]
    findings = check_context_scan(scan)
    assert any(f.code == "stakeholder_no_interest" for f in findings)
    assert next(f for f in findings if f.code == "stakeholder_no_name").params == {"row": 2}


def test_round_trip_and_tolerant_loading() -> None:
    scan = complete()
    assert ContextScan.from_dict(scan.to_dict()) == scan
    broken = {"pestle": {"political": ["x", 3, None], "legal": "not a list"},
              "swot": [], "stakeholders": [{"name": "A"}, "junk"], "objectives": None,
              "risk_criteria": 42, "unknown": True}
    loaded = ContextScan.from_dict(broken)
    assert loaded.pestle["political"] == ["x"] and loaded.pestle["legal"] == []
    assert loaded.stakeholders == [Stakeholder("A", "")]
    assert loaded.objectives == [] and loaded.risk_criteria == "42"
    assert ContextScan.from_dict(None) == ContextScan()
    assert ContextScan().is_empty() and not scan.is_empty()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_renders(lang: str) -> None:
    _ = gettext_for(lang)
    scan = ContextScan(swot={"threats": ["our staff"], "strengths": ["traders"]},
                       objectives=["a", "a"],
                       stakeholders=[Stakeholder("x", ""), Stakeholder("", "y")])
    rendered = {f.code for f in check_context_scan(scan)}
    for finding in check_context_scan(scan) + check_context_scan(complete()):
        assert render_context_finding(finding, _)
    others = {"context_ok", "pestle_too_many", "objectives_too_many", "no_stakeholders"}
    assert rendered | others == set(MESSAGES)
