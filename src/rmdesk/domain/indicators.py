"""E6 risk indicator selection: feedback as precision and recall against the key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.domain.declaration_fields import FIELD_BY_NAME
from rmdesk.i18n import N_

PHASE_LABELS: dict[str, str] = {
    "pre_arrival": N_("Pre-arrival"),
    "arrival": N_("Arrival"),
    "post_arrival": N_("Post-arrival"),
}

MESSAGES: dict[str, str] = {
    "no_indicators": N_("Select the indicators your group would use for this case."),
    "unknown_indicator": N_("Indicator {indicator} is not in this pack's bank."),
    "field_missing": N_("Indicator {indicator}: choose the data element it tests."),
    "field_unknown": N_("Indicator {indicator}: “{field}” is not a data element of the "
                        "declarations."),
    "phase_missing": N_("Indicator {indicator}: choose the phase (pre-arrival, arrival or "
                        "post-arrival)."),
    "reason_missing": N_("Indicator {indicator}: say why your group chose it."),
    "precision_recall": N_(
        "{right} of your {chosen} indicators are in the facilitator's key (precision "
        "{precision}); you found {right} of its {key} (recall {recall})."
    ),
}


@dataclass(frozen=True)
class IndicatorPick:
    """What a group chose for one indicator of the bank."""

    indicator_id: str
    field: str = ""
    phase: str = ""
    reason: str = ""


@dataclass(frozen=True)
class KeyEntry:
    indicator_id: str
    relevant: bool


def check_indicator_selection(picks: list[IndicatorPick], key: list[KeyEntry]) -> list[Finding]:
    if not picks:
        return [Finding("no_indicators", ERROR)]
    known = {entry.indicator_id: entry for entry in key}
    findings: list[Finding] = []
    for pick in picks:
        who = {"indicator": pick.indicator_id}
        if pick.indicator_id not in known:
            findings.append(Finding("unknown_indicator", ERROR, who))
            continue
        spec = FIELD_BY_NAME.get(pick.field)
        if not pick.field:
            findings.append(Finding("field_missing", ERROR, who))
        elif spec is None or spec.hidden:
            findings.append(Finding("field_unknown", ERROR, {**who, "field": pick.field}))
        if pick.phase not in PHASE_LABELS:
            findings.append(Finding("phase_missing", WARNING, who))
        if not pick.reason.strip():
            findings.append(Finding("reason_missing", WARNING, who))
    chosen = {p.indicator_id for p in picks if p.indicator_id in known}
    relevant = {e.indicator_id for e in key if e.relevant}
    right = len(chosen & relevant)
    precision = right / len(chosen) if chosen else 0.0
    recall = right / len(relevant) if relevant else 0.0
    severity = GOOD if precision >= 0.75 and recall >= 0.75 else WARNING
    findings.append(Finding("precision_recall", severity, {
        "right": right, "chosen": len(chosen), "key": len(relevant),
        "precision": precision, "recall": recall,
    }))
    return findings


def render_indicator_finding(
    finding: Finding,
    translate: Callable[[str], str],
    format_percent: Callable[[float], str] | None = None,
) -> str:
    params = dict(finding.params)
    for name in ("precision", "recall"):
        if name in params:
            value = float(params[name])
            params[name] = format_percent(value) if format_percent else f"{value:.0%}"
    return translate(MESSAGES[finding.code]).format(**params)
