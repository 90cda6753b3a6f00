"""E6 risk indicator selection: feedback as precision and recall against the key."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

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
    "field_not_fitting": N_("Indicator {indicator} tests these data elements: {fields}. "
                            "“{field}” is not one of them."),
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
    # The data elements the indicator tests (from its rule in the pack); empty: any
    # data element of the declarations is accepted.
    fields: frozenset[str] = frozenset()


class _BankIndicator(Protocol):
    id: str
    relevant: bool

    def data_elements(self) -> set[str]: ...


def key_of(indicators: Iterable[_BankIndicator]) -> list[KeyEntry]:
    """The facilitator's key of a pack's bank (rmdesk.content.pack.Indicator)."""
    return [KeyEntry(i.id, i.relevant, frozenset(i.data_elements())) for i in indicators]


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
        elif known[pick.indicator_id].fields and \
                pick.field not in known[pick.indicator_id].fields:
            findings.append(Finding("field_not_fitting", WARNING, {
                **who, "field": pick.field,
                "fields": sorted(known[pick.indicator_id].fields)}))
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
    if finding.code == "field_not_fitting":
        def label(name: str) -> str:
            spec = FIELD_BY_NAME.get(name)
            return translate(spec.label) if spec else name

        params["field"] = label(str(params["field"]))
        params["fields"] = ", ".join(
            label(str(name)) for name in params["fields"])  # type: ignore[attr-defined]
    for name in ("precision", "recall"):
        if name in params:
            value = float(params[name])
            params[name] = format_percent(value) if format_percent else f"{value:.0%}"
    return translate(MESSAGES[finding.code]).format(**params)
