"""E14 compliance pyramid: the checks, as properties over every placement and language,
and the built-in pack's segments, whose facts quote figures the engine computes from the
practice declarations."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rmdesk.content.pack import builtin_pack
from rmdesk.domain import figures
from rmdesk.domain.checks import GOOD
from rmdesk.domain.compliance_pyramid import (
    ENFORCE,
    LEVELS,
    MESSAGES,
    CompliancePyramid,
    Placement,
    SegmentInfo,
    TreatmentRef,
    check_pyramid,
    render_pyramid_finding,
    with_risk_ids,
)
from rmdesk.i18n import LANGUAGES, gettext_for
from rmdesk.services.targeting import builtin_table

PACK = builtin_pack()
E14 = PACK.exercise("compliance_pyramid")
SEGMENTS = [SegmentInfo("aeo", aeo=True), SegmentInfo("regular"), SegmentInfo("repeat")]
TREATMENTS = [TreatmentRef("r-1", "R01", "reduce", "Audits"),
              TreatmentRef("r-4", "R04", "reduce", "Guarantees")]

texts = st.sampled_from(["", "  ", "Audited traders", "Green lane"])
placements = st.builds(Placement, level=st.sampled_from(("", *LEVELS)), reason=texts,
                       response=st.sampled_from(("", *LEVELS)), measures=texts,
                       treatment=st.sampled_from(("", "r-1", "r-4", "gone")))
pyramids = st.dictionaries(st.sampled_from([s.id for s in SEGMENTS]), placements).map(
    CompliancePyramid)


def good() -> CompliancePyramid:
    return CompliancePyramid({
        "aeo": Placement("facilitate", "1.5% non-compliant", "facilitate", "Green lane", "r-1"),
        "regular": Placement("assist", "Honest errors", "assist", "Guidance", "r-1"),
        "repeat": Placement("enforce", "Unchanged by fines", "enforce", "Prosecution", "r-4"),
    })


def codes(pyramid: CompliancePyramid, treatments=TREATMENTS) -> list[str]:  # noqa: ANN001
    return [f.code for f in check_pyramid(pyramid, SEGMENTS, treatments)]


def test_a_complete_pyramid_passes_and_counts_the_levels() -> None:
    findings = check_pyramid(good(), SEGMENTS, TREATMENTS)
    assert [(f.code, f.severity) for f in findings] == [("pyramid_ok", GOOD)]
    assert findings[0].params == {"count": 3, "facilitate": 1, "assist": 1, "deter": 0,
                                  "enforce": 1}


@settings(max_examples=300, deadline=None)
@given(pyramids)
def test_every_rule_holds_for_every_placement(pyramid: CompliancePyramid) -> None:
    findings = check_pyramid(pyramid, SEGMENTS, TREATMENTS)
    found = {(f.code, f.params.get("segment")) for f in findings}
    for segment in SEGMENTS:
        p = pyramid.placement(segment.id)
        # every segment placed
        assert (("segment_unplaced", segment.id) in found) == (not p.level)
        # the response fits the level
        inconsistent = bool(p.level and p.response and p.response != p.level)
        assert (("response_inconsistent", segment.id) in found) == inconsistent
        # an AEO never at "enforce" without a stated reason
        unexplained = segment.aeo and ENFORCE in (p.level, p.response) \
            and not p.reason.strip()
        assert (("aeo_enforce_unexplained", segment.id) in found) == unexplained
        # the link present and pointing to a treatment of the plan
        assert (("link_missing", segment.id) in found) == bool(p.level and not p.treatment)
        assert (("link_unknown", segment.id) in found) == (p.treatment == "gone")
    # "all good" only when nothing else is said, and never together with an error
    ok = [f for f in findings if f.code == "pyramid_ok"]
    assert bool(ok) == (len(findings) == 1 and findings[0].severity == GOOD)


@settings(max_examples=200, deadline=None)
@given(pyramids, st.sampled_from(LANGUAGES))
def test_every_finding_reads_in_every_language(pyramid: CompliancePyramid,
                                               lang: str) -> None:
    names = {"aeo": "AEOs", "regular": "Regular importers", "repeat": "Repeat offenders"}
    for finding in check_pyramid(pyramid, SEGMENTS, TREATMENTS) + \
            check_pyramid(pyramid, SEGMENTS, []):
        text = render_pyramid_finding(finding, gettext_for(lang), names)
        assert "{" not in text and "}" not in text, text
        if "segment" in finding.params:  # named as the pack names it, never by its id
            assert names[str(finding.params["segment"])] in text, text


def test_without_an_e5_plan_the_links_wait_for_it() -> None:
    found = codes(CompliancePyramid({"aeo": Placement("facilitate", "r", "facilitate", "m")}),
                  treatments=[])
    assert found[0] == "no_treatments" and "link_missing" not in found


def test_an_aeo_at_enforce_is_accepted_with_a_stated_reason() -> None:
    pyramid = good()
    pyramid.placements["aeo"] = Placement("enforce", "", "enforce", "Suspend", "r-1")
    assert "aeo_enforce_unexplained" in codes(pyramid)
    assert "reason_missing" not in codes(pyramid)  # said once, as the AEO rule
    pyramid.placements["aeo"].reason = "Authorisation suspended after a proven fraud"
    assert codes(pyramid) == ["pyramid_ok"]


def test_one_level_for_every_segment_is_questioned() -> None:
    pyramid = CompliancePyramid({s.id: Placement("deter", "r", "deter", "m", "r-1")
                                 for s in SEGMENTS})
    assert codes(pyramid) == ["one_level"]


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12))
def test_any_stored_json_loads_and_round_trips(data: object) -> None:
    pyramid = CompliancePyramid.from_dict({"placements": data})
    again = CompliancePyramid.from_dict(pyramid.to_dict())
    assert again.to_dict() == pyramid.to_dict()


def test_prepared_work_names_treatments_by_code() -> None:
    data = {"placements": {"aeo": {"level": "facilitate", "treatment": "R01"},
                           "x": {"treatment": "R99"}}}
    assert with_risk_ids(data, {"R01": "id-1"})["placements"] == {
        "aeo": {"level": "facilitate", "treatment": "id-1"}, "x": {"treatment": ""}}


def test_every_message_has_a_translation() -> None:
    for lang in ("es", "pt_BR", "fr"):
        tr = gettext_for(lang)
        untranslated = [code for code, text in MESSAGES.items() if tr(text) == text]
        assert not untranslated, (lang, untranslated)


# -- the built-in pack ------------------------------------------------------------------


def test_the_pack_gives_six_to_ten_segments_with_an_aeo_segment() -> None:
    assert E14 is not None and 6 <= len(E14.segments) <= 10
    assert [s.id for s in E14.segments if s.aeo] == ["aeo"]
    assert "Volume 1" in E14.facilitator_notes.en and "compliance" in \
        E14.facilitator_notes.en


def _percent(value: float, lang: str) -> str:
    number = f"{value * 100:.1f}"
    return number if lang == "en" else number.replace(".", ",")


@pytest.mark.parametrize("segment", [s for s in E14.segments if s.rule is not None],
                         ids=lambda s: s.id)
def test_a_segments_facts_quote_what_the_engine_computes(segment) -> None:  # noqa: ANN001
    """Its share of the declarations (or their count) and its non-compliance rate, as the
    engine computes them on the practice declarations, in every language."""
    table = builtin_table()
    share = figures.compute(table, "declaration_selection_rate", condition=segment.rule)
    count = figures.compute(table, "selected_declarations", condition=segment.rule)
    rate = figures.compute(table, "hit_rate", condition=segment.rule)
    for lang in LANGUAGES:
        facts = " ".join(f.get(lang) for f in segment.facts).replace("\u00a0", " ")
        assert re.search(rf"(?<![\d.,]){_percent(rate, lang)} ?%", facts), (lang, rate)
        assert re.search(rf"(?<![\d.,]){_percent(share, lang)} ?%", facts) or \
            re.search(rf"(?<![\d.,]){round(count)} ", facts), (lang, share, count)


def test_the_model_answer_quotes_the_segments_rates() -> None:
    table = builtin_table()
    for segment in E14.segments:
        if segment.rule is None:
            continue
        rate = figures.compute(table, "hit_rate", condition=segment.rule)
        for lang in LANGUAGES:
            assert _percent(rate, lang) in E14.model_answer.get(lang), (segment.id, lang)


def test_the_model_placements_are_all_checked_levels() -> None:
    placements = PACK.model_work["e14"]["placements"]
    assert set(placements) == {s.id for s in E14.segments}
    assert {p["level"] for p in placements.values()} == set(LEVELS)
    assert all(p["response"] == p["level"] for p in placements.values())
