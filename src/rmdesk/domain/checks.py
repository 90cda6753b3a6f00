"""Automatic "Check my work" feedback for E2 (register) and E3 (analysis).

Checks judge structure and arithmetic only; the quality of a risk statement stays with
the facilitator. A finding carries a code and parameters, never translated text:
`render_finding` turns it into a sentence in whichever language the caller needs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from rmdesk.domain.register import RISK_AREAS, RiskEntry
from rmdesk.domain.scales import in_scale
from rmdesk.domain.wording import opens_with_action
from rmdesk.i18n import N_

ERROR, WARNING, GOOD = "error", "warning", "good"
INFO = "info"  # a comparison worth reading, not a fault (nothing to fix or reconsider)

MESSAGES: dict[str, str] = {
    "register_empty": N_("The register is empty: add the risks your group identified."),
    "missing_code": N_("Row {row}: give the risk an ID."),
    "duplicate_code": N_("The ID {code} is used by {count} risks: IDs must be unique."),
    "missing_event": N_("Risk {code}: describe the event (what could happen)."),
    "missing_cause": N_("Risk {code}: the cause is missing (why could it happen?)."),
    "missing_consequence": N_("Risk {code}: the consequence is missing (what would it lead to?)."),
    "missing_area": N_("Risk {code}: choose a risk area."),
    "missing_owner": N_("Risk {code}: name an owner who answers for this risk."),
    "missing_controls": N_("Risk {code}: list the existing controls, or write “none”."),
    "looks_like_control": N_(
        "Risk {code} reads like a control or an action (“{start}…”), not a risk: describe "
        "the uncertain event instead, and move the action to the treatment plan."
    ),
    "areas_not_considered": N_("Areas with no risk yet: {areas}. Did your group consider them?"),
    "register_ok": N_(
        "The register is complete: every risk has an event, a cause, a consequence, an area "
        "and an owner."
    ),
    "missing_likelihood": N_("Risk {code}: rate the likelihood from 1 to 5."),
    "missing_impact": N_("Risk {code}: rate the consequence from 1 to 5."),
    "rating_out_of_range": N_("Risk {code}: the rating {value} is outside the 1-5 scale."),
    "missing_likelihood_reason": N_("Risk {code}: give a reason for the likelihood rating."),
    "missing_impact_reason": N_("Risk {code}: give a reason for the consequence rating."),
    "ratings_identical": N_(
        "{share} of the risks have the same rating (likelihood {likelihood} × consequence "
        "{impact}). Are they really alike? Discuss which ones differ."
    ),
    "analysis_ok": N_(
        "Every risk is rated with reasons: {extreme} extreme, {high} high, {medium} medium, "
        "{low} low."
    ),
}

IDENTICAL_SHARE = 0.6  # above this share of identical ratings we ask the group to discuss
IDENTICAL_MIN_RISKS = 4


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    params: dict[str, object] = field(default_factory=dict)


def looks_like_control(event: str, language: str | None = None) -> bool:
    # The word lists of the event's own language (resources/lexicon): "Inspect all ..."
    # is an action, "Inspectors accept bribes" and "Use of ..." are risks.
    return opens_with_action(event, language)


def check_register(risks: list[RiskEntry]) -> list[Finding]:
    if not risks:
        return [Finding("register_empty", ERROR)]
    findings: list[Finding] = []
    codes = Counter(r.code.strip() for r in risks if r.code.strip())
    for code, count in sorted(codes.items()):
        if count > 1:
            findings.append(Finding("duplicate_code", ERROR, {"code": code, "count": count}))
    for row, risk in enumerate(risks, start=1):
        code = risk.code.strip()
        if not code:
            findings.append(Finding("missing_code", ERROR, {"row": row}))
            code = f"#{row}"
        for part in ("event", "cause", "consequence"):
            if not getattr(risk, part).strip():
                findings.append(Finding(f"missing_{part}", ERROR, {"code": code}))
        if risk.event.strip() and looks_like_control(risk.event):
            start = " ".join(risk.event.split()[:3])
            findings.append(Finding("looks_like_control", WARNING, {"code": code, "start": start}))
        if risk.area not in RISK_AREAS:
            findings.append(Finding("missing_area", ERROR, {"code": code}))
        if not risk.owner.strip():
            findings.append(Finding("missing_owner", WARNING, {"code": code}))
        if not risk.controls.strip():
            findings.append(Finding("missing_controls", WARNING, {"code": code}))
    missing_areas = [area for area in RISK_AREAS if area not in {r.area for r in risks}]
    if missing_areas:
        findings.append(Finding("areas_not_considered", WARNING, {"areas": missing_areas}))
    if not any(f.severity == ERROR or f.code == "missing_owner" for f in findings):
        findings.append(Finding("register_ok", GOOD))
    return findings


def check_analysis(risks: list[RiskEntry]) -> list[Finding]:
    if not risks:
        return [Finding("register_empty", ERROR)]
    findings: list[Finding] = []
    for row, risk in enumerate(risks, start=1):
        code = risk.code.strip() or f"#{row}"
        for rating in ("likelihood", "impact"):
            value = getattr(risk, rating)
            if value is None:
                findings.append(Finding(f"missing_{rating}", ERROR, {"code": code}))
            elif not in_scale(value):
                findings.append(
                    Finding("rating_out_of_range", ERROR, {"code": code, "value": value})
                )
            elif not getattr(risk, f"{rating}_reason").strip():
                findings.append(Finding(f"missing_{rating}_reason", WARNING, {"code": code}))
    rated = [(r.likelihood, r.impact) for r in risks if r.score is not None]
    if len(rated) >= IDENTICAL_MIN_RISKS:
        (pair, count), = Counter(rated).most_common(1)
        if count / len(rated) >= IDENTICAL_SHARE:
            findings.append(
                Finding(
                    "ratings_identical",
                    WARNING,
                    {"share": count / len(rated), "likelihood": pair[0], "impact": pair[1]},
                )
            )
    if not findings:
        levels = Counter(r.level() for r in risks)
        findings.append(
            Finding(
                "analysis_ok",
                GOOD,
                {lvl: levels.get(lvl, 0) for lvl in ("extreme", "high", "medium", "low")},
            )
        )
    return findings


def render_finding(
    finding: Finding,
    translate: Callable[[str], str],
    format_percent: Callable[[float], str] | None = None,
) -> str:
    """The finding as a sentence, using `translate` for the template and for area names."""
    params = dict(finding.params)
    if "areas" in params:
        params["areas"] = ", ".join(translate(RISK_AREAS[a]) for a in params["areas"])
    if "share" in params:
        share = float(params["share"])
        params["share"] = format_percent(share) if format_percent else f"{share:.0%}"
    return translate(MESSAGES[finding.code]).format(**params)
