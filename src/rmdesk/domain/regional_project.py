"""E11 regional targeting project: partners, data exchange, milestones with dependencies.

Milestones and partners carry short stable ids ("m1", "p2"), so renaming a partner or
reordering milestones keeps every assignment and dependency. Dates are ISO strings in the
stored answer and `datetime.date` in the checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rmdesk.domain.checks import ERROR, GOOD, WARNING, Finding
from rmdesk.i18n import N_, Nn_, translate_message

MIN_MILESTONES, MAX_MILESTONES = 5, 8
MAX_ROWS = 40  # partners or milestones kept from a stored answer
MAX_TEXT = 4000

TEXT_FIELDS: tuple[str, ...] = (
    "objective", "data_exchanged", "legal_basis", "indicators", "evaluation",
)
FIELD_LABELS: dict[str, str] = {
    "objective": N_("Objective"),
    "data_exchanged": N_("Data exchanged"),
    "legal_basis": N_("Legal basis"),
    "indicators": N_("Joint indicators"),
    "evaluation": N_("Evaluation"),
    "window": N_("Operation window"),
    "administration": N_("Administration"),
    "contact": N_("Contact point"),
    "role": N_("Role"),
    "title": N_("Milestone"),
    "start": N_("Start"),
    "end": N_("End"),
    "responsible": N_("Responsible partner"),
    "depends_on": N_("Depends on"),
}

MESSAGES: dict[str, str] = {
    "missing_objective": N_("State the objective of the joint operation."),
    "missing_data_exchanged": N_("Say which data the partners will exchange."),
    "missing_legal_basis": N_("Name the legal basis for exchanging the data (agreement, "
                              "convention, MoU)."),
    "missing_indicators": N_("List the joint risk indicators the partners will apply."),
    "missing_evaluation": N_("Say how the operation will be evaluated."),
    "missing_window": N_("Set the operation window: its first and last day."),
    "window_reversed": N_("The operation window ends ({end}) before it starts ({start})."),
    "no_partners": N_("Add the partner administrations taking part."),
    "partner_missing_administration": N_("Partner row {row}: name the administration."),
    "partner_missing_contact": N_("Partner “{partner}”: name a contact point."),
    "partner_missing_role": N_("Partner “{partner}”: describe its role in the operation."),
    "too_few_milestones": Nn_("The plan has {count} milestone: plan {minimum} to {maximum}.",
                              "The plan has {count} milestones: plan {minimum} to {maximum}."),
    "too_many_milestones": N_("The plan has {count} milestones: keep it to {maximum} at most "
                              "by merging small steps."),
    "milestone_missing_title": N_("Milestone {milestone}: give it a title."),
    "milestone_missing_dates": N_("Milestone {milestone}: set its start and end dates."),
    "milestone_reversed": N_("Milestone {milestone} ends ({end}) before it starts ({start})."),
    "window_outside_project": N_(
        "The operation window ({window_start} – {window_end}) lies outside the project "
        "period its milestones span ({start} – {end}): the operation is part of the "
        "project."
    ),
    "window_without_milestone": N_(
        "No milestone covers the operation window ({window_start} – {window_end}): add "
        "the operation phase to the plan."
    ),
    "milestone_before_predecessor": N_(
        "Milestone {milestone} starts on {start}, before {predecessor} ends on {end}, "
        "although it depends on it."
    ),
    "milestone_unknown_dependency": N_("Milestone {milestone} depends on a milestone that no "
                                       "longer exists; choose its predecessors again."),
    "milestone_no_responsible": N_("Milestone {milestone}: choose the responsible partner."),
    "dependency_cycle": N_(
        "The dependencies go round in a circle: {cycle}. Nothing in the circle could ever "
        "start; remove one of these dependencies."
    ),
    "project_ok": N_(
        "The plan is consistent: {count} milestones in date order, the operation window "
        "inside the project period, no circular dependency, and every milestone and "
        "partner has a role."
    ),
}


def _text(data: Any, key: str, limit: int = MAX_TEXT) -> str:
    value = data.get(key, "") if isinstance(data, dict) else ""
    return value[:limit] if isinstance(value, str) else ""


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _date_text(data: Any, key: str) -> str:
    day = parse_date(_text(data, key, 20))
    return day.isoformat() if day else ""


def next_id(prefix: str, taken: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


@dataclass
class Partner:
    id: str = ""
    administration: str = ""
    contact: str = ""
    role: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> Partner:
        return cls(_text(data, "id", 20), _text(data, "administration"),
                   _text(data, "contact"), _text(data, "role"))

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "administration": self.administration,
                "contact": self.contact, "role": self.role}

    def label(self, row: int) -> str:
        return self.administration.strip() or f"#{row}"


@dataclass
class Milestone:
    id: str = ""
    title: str = ""
    start: str = ""  # ISO date or ""
    end: str = ""
    responsible: str = ""  # a partner id, or ""
    depends_on: list[str] = field(default_factory=list)  # milestone ids

    @classmethod
    def from_dict(cls, data: Any) -> Milestone:
        deps = data.get("depends_on") if isinstance(data, dict) else None
        return cls(
            _text(data, "id", 20), _text(data, "title"), _date_text(data, "start"),
            _date_text(data, "end"), _text(data, "responsible", 20),
            list(dict.fromkeys(d for d in deps if isinstance(d, str)))[:MAX_ROWS]
            if isinstance(deps, list) else [],
        )

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "start": self.start, "end": self.end,
                "responsible": self.responsible, "depends_on": list(self.depends_on)}

    @property
    def start_date(self) -> dt.date | None:
        return parse_date(self.start)

    @property
    def end_date(self) -> dt.date | None:
        return parse_date(self.end)


@dataclass
class RegionalProject:
    objective: str = ""
    partners: list[Partner] = field(default_factory=list)
    data_exchanged: str = ""
    legal_basis: str = ""
    indicators: str = ""
    window_start: str = ""
    window_end: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    evaluation: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> RegionalProject:
        """Tolerant of missing or malformed keys; ids are made unique and non-empty."""
        if not isinstance(data, dict):
            return cls()
        partners = data.get("partners")
        milestones = data.get("milestones")
        project = cls(
            **{name: _text(data, name) for name in TEXT_FIELDS},
            window_start=_date_text(data, "window_start"),
            window_end=_date_text(data, "window_end"),
            partners=[Partner.from_dict(p) for p in
                      (partners if isinstance(partners, list) else [])
                      if isinstance(p, dict)][:MAX_ROWS],
            milestones=[Milestone.from_dict(m) for m in
                        (milestones if isinstance(milestones, list) else [])
                        if isinstance(m, dict)][:MAX_ROWS],
        )
        for rows, prefix in ((project.partners, "p"), (project.milestones, "m")):
            seen: set[str] = set()
            for row in rows:
                if not row.id or row.id in seen:
                    row.id = next_id(prefix, seen | {r.id for r in rows})
                seen.add(row.id)
        return project

    def to_dict(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in TEXT_FIELDS},
            "window_start": self.window_start, "window_end": self.window_end,
            "partners": [p.to_dict() for p in self.partners],
            "milestones": [m.to_dict() for m in self.milestones],
        }

    def partner(self, partner_id: str) -> Partner | None:
        return next((p for p in self.partners if p.id == partner_id), None)

    def milestone(self, milestone_id: str) -> Milestone | None:
        return next((m for m in self.milestones if m.id == milestone_id), None)

    def new_partner(self) -> Partner:
        partner = Partner(next_id("p", {p.id for p in self.partners}))
        self.partners.append(partner)
        return partner

    def new_milestone(self, title: str = "") -> Milestone:
        milestone = Milestone(next_id("m", {m.id for m in self.milestones}), title)
        self.milestones.append(milestone)
        return milestone

    def remove_partner(self, partner_id: str) -> None:
        self.partners = [p for p in self.partners if p.id != partner_id]
        for m in self.milestones:
            if m.responsible == partner_id:
                m.responsible = ""

    def remove_milestone(self, milestone_id: str) -> None:
        self.milestones = [m for m in self.milestones if m.id != milestone_id]
        for m in self.milestones:
            m.depends_on = [d for d in m.depends_on if d != milestone_id]

    def milestone_label(self, milestone_id: str) -> str:
        """'M3 Joint risk analysis': its place in the list and its title."""
        for number, m in enumerate(self.milestones, start=1):
            if m.id == milestone_id:
                title = m.title.strip()
                return f"M{number} {title}" if title else f"M{number}"
        return "?"

    def short_label(self, milestone_id: str) -> str:
        for number, m in enumerate(self.milestones, start=1):
            if m.id == milestone_id:
                return f"M{number}"
        return "?"

    def would_cycle(self, milestone_id: str, predecessor_id: str) -> bool:
        """True if making `predecessor_id` a predecessor of `milestone_id` closes a circle
        (the editor offers only choices that keep the graph acyclic)."""
        if milestone_id == predecessor_id:
            return True
        graph = {m.id: m.depends_on for m in self.milestones}
        stack, seen = [predecessor_id], set()
        while stack:  # does predecessor (transitively) depend on milestone?
            node = stack.pop()
            if node == milestone_id:
                return True
            if node in seen:
                continue
            seen.add(node)
            stack.extend(graph.get(node, []))
        return False

    def is_empty(self) -> bool:
        return self.to_dict() == RegionalProject().to_dict()


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of `node -> predecessors` as [a, b, ..., a] in dependency order, or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = GREY
        path.append(node)
        for nxt in graph.get(node, []):
            if nxt not in colour:
                continue
            if colour[nxt] == GREY:
                cycle = path[path.index(nxt):] + [nxt]
                return cycle
            if colour[nxt] == WHITE:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        colour[node] = BLACK
        return None

    for node in graph:
        if colour[node] == WHITE:
            found = visit(node)
            if found:
                # Edges point from a milestone to what it waits for; read it forwards.
                return list(reversed(found))
    return None


def check_regional_project(project: RegionalProject) -> list[Finding]:
    findings: list[Finding] = []
    for name in TEXT_FIELDS:
        if not getattr(project, name).strip():
            severity = WARNING if name in ("indicators", "evaluation") else ERROR
            findings.append(Finding(f"missing_{name}", severity))

    window_start, window_end = parse_date(project.window_start), parse_date(project.window_end)
    window_ok = False
    if window_start is None or window_end is None:
        findings.append(Finding("missing_window", ERROR))
    elif window_end < window_start:
        findings.append(Finding("window_reversed", ERROR,
                                {"start": window_start, "end": window_end}))
    else:
        window_ok = True

    partners = [p for p in project.partners
                if p.administration.strip() or p.contact.strip() or p.role.strip()]
    if not partners:
        findings.append(Finding("no_partners", ERROR))
    for row, partner in enumerate(project.partners, start=1):
        if partner not in partners:
            continue
        if not partner.administration.strip():
            findings.append(Finding("partner_missing_administration", ERROR, {"row": row}))
        who = {"partner": partner.label(row)}
        if not partner.contact.strip():
            findings.append(Finding("partner_missing_contact", ERROR, who))
        if not partner.role.strip():
            findings.append(Finding("partner_missing_role", ERROR, who))

    count = len(project.milestones)
    if count < MIN_MILESTONES:
        findings.append(Finding("too_few_milestones", ERROR, {
            "count": count, "minimum": MIN_MILESTONES, "maximum": MAX_MILESTONES}))
    elif count > MAX_MILESTONES:
        findings.append(Finding("too_many_milestones", ERROR,
                                {"count": count, "maximum": MAX_MILESTONES}))

    ids = {m.id for m in project.milestones}
    partner_ids = {p.id for p in partners}
    for m in project.milestones:
        who = {"milestone": project.milestone_label(m.id)}
        if not m.title.strip():
            findings.append(Finding("milestone_missing_title", ERROR, who))
        start, end = m.start_date, m.end_date
        if start is None or end is None:
            findings.append(Finding("milestone_missing_dates", ERROR, who))
        elif end < start:
            findings.append(Finding("milestone_reversed", ERROR,
                                    {**who, "start": start, "end": end}))
        if m.responsible not in partner_ids:
            findings.append(Finding("milestone_no_responsible", ERROR, who))
        if any(d not in ids for d in m.depends_on):
            findings.append(Finding("milestone_unknown_dependency", WARNING, who))
        for dep_id in m.depends_on:
            predecessor = project.milestone(dep_id)
            if predecessor is None or dep_id == m.id:
                continue
            if start is not None and predecessor.end_date is not None \
                    and start < predecessor.end_date:
                findings.append(Finding("milestone_before_predecessor", ERROR, {
                    **who, "start": start,
                    "predecessor": project.milestone_label(dep_id),
                    "end": predecessor.end_date}))

    # The project period runs from the first milestone to the last; the operation window
    # is the operation phase inside it (preparation comes before, evaluation after).
    dated = [(m.start_date, m.end_date) for m in project.milestones
             if m.start_date is not None and m.end_date is not None
             and m.start_date <= m.end_date]
    if window_ok and dated:
        first, last = min(d[0] for d in dated), max(d[1] for d in dated)
        window = {"window_start": window_start, "window_end": window_end}
        if window_start < first or window_end > last:  # type: ignore[operator]
            findings.append(Finding("window_outside_project", ERROR,
                                    {**window, "start": first, "end": last}))
        elif not any(s <= window_end and e >= window_start  # type: ignore[operator]
                     for s, e in dated):
            findings.append(Finding("window_without_milestone", WARNING, window))

    cycle = find_cycle({m.id: [d for d in m.depends_on if d in ids]
                        for m in project.milestones})
    if cycle:
        findings.append(Finding("dependency_cycle", ERROR,
                                {"cycle": [project.milestone_label(i) for i in cycle]}))

    if not any(f.severity == ERROR for f in findings):
        findings.append(Finding("project_ok", GOOD, {"count": count}))
    return findings


def render_project_finding(finding: Finding, translate: Callable[[str], str],
                           format_date: Callable[[dt.date], str] | None = None) -> str:
    """`format_date` shows the dates in the reader's language (ISO when not given)."""
    params: dict[str, object] = {}
    for key, value in finding.params.items():
        if isinstance(value, dt.date):
            params[key] = format_date(value) if format_date else value.isoformat()
        elif key == "cycle":
            params[key] = " → ".join(value)  # type: ignore[arg-type]
        else:
            params[key] = value
    return translate_message(MESSAGES[finding.code], translate,
                             params.get("count")).format(**params)


# -- the chart's time axis (shared by the Qt widget and the PDF drawing) -----------------
def chart_span(project: RegionalProject) -> tuple[dt.date, dt.date] | None:
    """The days the timeline shows: the window and every dated milestone, padded to whole
    months; None when nothing is dated yet."""
    days = [d for d in (parse_date(project.window_start), parse_date(project.window_end))
            if d is not None]
    for m in project.milestones:
        days += [d for d in (m.start_date, m.end_date) if d is not None]
    if not days:
        return None
    first, last = min(days), max(days)
    first = first.replace(day=1)
    last = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)  # next month's 1st
    return first, last


def month_ticks(first: dt.date, last: dt.date, max_ticks: int = 12) -> list[dt.date]:
    """First days of months from `first` to `last`, thinned to at most `max_ticks`."""
    months: list[dt.date] = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    step = max(1, -(-len(months) // max_ticks))
    return months[::step]


def years_shown(ticks: list[dt.date]) -> list[bool]:
    """Which month labels carry their year: the first, and each one in a new year (thinned
    ticks may skip January, and "Feb" after "Oct" must still say which year)."""
    return [n == 0 or tick.year != ticks[n - 1].year for n, tick in enumerate(ticks)]
