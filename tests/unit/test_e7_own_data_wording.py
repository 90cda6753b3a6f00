"""E7's "Check my work" says which declarations it counted on: the built-in sample by
the pack's words (with the yearly estimate), a facilitator's data set by its name."""

from __future__ import annotations

import datetime as dt

import pytest

from rmdesk.domain.checks import Finding
from rmdesk.domain.profile_logic import (
    MESSAGES,
    OWN_DATA_MESSAGES,
    ProfileSummary,
    check_profiles,
    render_profile_finding,
)
from rmdesk.i18n import LANGUAGES, gettext_for

FIELDS = {"area": "revenue", "description": "d", "action": "a", "instructions": "i",
          "owner": "o", "effectiveness": "e", "activation_date": dt.date(2026, 1, 5),
          "review_date": dt.date(2026, 4, 5)}


def summary(selected: int, dataset: str | None) -> ProfileSummary:
    return ProfileSummary("Cars", dict(FIELDS), 1, [], selected * 2,
                          1000, selected, 1000, dataset)


def rendered(finding: Finding, lang: str) -> str:
    return render_profile_finding(finding, gettext_for(lang), lambda v: f"{v:.1%}", str)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("selected", [0, 20, 400])  # nothing, fine, too much
def test_counts_on_own_data_name_the_data_set(lang: str, selected: int) -> None:
    own = [f for f in check_profiles([summary(selected, "Port Kestria 2025")], str)
           if f.code in OWN_DATA_MESSAGES]
    sample = [f for f in check_profiles([summary(selected, None)], str)
              if f.code in OWN_DATA_MESSAGES]
    assert [f.code for f in own] == [f.code for f in sample] and len(own) == 1
    text, builtin = rendered(own[0], lang), rendered(sample[0], lang)
    assert "Port Kestria 2025" in text and "Port Kestria 2025" not in builtin
    _ = gettext_for(lang)
    assert builtin == _(MESSAGES[own[0].code]).format(**{
        **own[0].params, "share": f"{own[0].params.get('share', 0):.1%}",
        "limit": f"{own[0].params.get('limit', 0):.1%}",
        **{k: str(v) for k, v in own[0].params.items()
           if k in ("count", "total", "items", "yearly")}})
    if "yearly" in own[0].params:  # the sample's year says nothing of another's data
        assert str(own[0].params["yearly"]) not in text.replace(str(selected), "")
    if lang != "en":
        assert _(OWN_DATA_MESSAGES[own[0].code]) != OWN_DATA_MESSAGES[own[0].code]
