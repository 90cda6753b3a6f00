"""The group output PDF: cover, case summary, E2 register, E3 analysis, heat map, feedback.

Built in the language passed in, whatever the interface shows, so a facilitator can print
one copy per language. All text is set in DejaVu Sans (see fonts.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from babel import Locale
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from rmdesk import __version__
from rmdesk.content.exercise_ids import exercise_label
from rmdesk.content.pack import Exercise, Fact
from rmdesk.domain.checks import ERROR, GOOD, INFO, WARNING, Finding, render_finding
from rmdesk.domain.declaration_fields import FIELD_BY_NAME
from rmdesk.domain.indicators import PHASE_LABELS, render_indicator_finding
from rmdesk.domain.register import FIELD_LABELS, RISK_AREAS, RiskEntry
from rmdesk.domain.scales import CONSEQUENCE_LABELS, LIKELIHOOD_LABELS
from rmdesk.i18n import gettext_for
from rmdesk.i18n.formatting import format_date, format_percent
from rmdesk.reports.data import GroupReport
from rmdesk.reports.fonts import register_fonts
from rmdesk.reports.heatmap import (
    heat_map_drawing,
    level_fill,
    level_name,
    level_of,
    level_text_color,
)
from rmdesk.reports.navigation import (
    Anchor,
    Contents,
    ContentsSlot,
    Navigation,
    NumberedCanvas,
)
from rmdesk.reports.sections import section_for

MARGIN = 18 * mm
FRAME_HEIGHT = A4[1] - 2 * MARGIN  # the one frame of every page
TOP_RISKS = 5  # the risks the first page lists
GRID = colors.HexColor("#888888")
HEADER_FILL = colors.HexColor("#e4e4e4")
AREA_FILL = colors.HexColor("#f3f3f3")
MUTED = colors.HexColor("#555555")
NO_AREA = ""  # group key for risks whose area is empty or unknown

Translate = Callable[[str], str]


class _Styles:
    def __init__(self, font: str, bold: str) -> None:
        def style(name: str, **kw: object) -> ParagraphStyle:
            kw.setdefault("fontName", font)
            return ParagraphStyle(name, **kw)  # type: ignore[arg-type]

        self.body = style("body", fontSize=9.5, leading=12.5, spaceAfter=4)
        self.small = style("small", fontSize=8.5, leading=11, textColor=MUTED)
        self.title = style("title", fontName=bold, fontSize=22, leading=27, spaceAfter=6)
        self.subtitle = style("subtitle", fontSize=13, leading=17, textColor=MUTED)
        self.group = style("group", fontName=bold, fontSize=16, leading=20, spaceBefore=14)
        self.h1 = style("h1", fontName=bold, fontSize=14, leading=18, spaceBefore=12,
                        spaceAfter=6)
        self.h2 = style("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=8,
                        spaceAfter=4)
        self.cell = style("cell", fontSize=7.8, leading=9.6)
        self.cell_bold = style("cell_bold", fontName=bold, fontSize=7.8, leading=9.6)
        self.head = style("head", fontName=bold, fontSize=7.8, leading=9.4)
        self.info = style("info", fontSize=9.5, leading=12)
        self.info_label = style("info_label", fontName=bold, fontSize=9.5, leading=12)
        self.level = style("level", fontName=bold, fontSize=7.8, leading=9.6,
                           alignment=TA_CENTER)


def _text(value: str) -> str:
    """User text as Paragraph markup: escaped, line breaks kept."""
    return escape(value.strip()).replace("\n", "<br/>")


def no_images(markup: str) -> str:
    """Paragraph markup with any <img> tag made text. rmdesk never draws a picture inside
    a paragraph, so an <img> can only come from a text that was not escaped, and it must
    not pull a file from this laptop into a PDF that leaves it."""
    return _IMG_TAG.sub("&lt;", markup)


_IMG_TAG = re.compile(r"<(?=\s*img\b)", re.IGNORECASE)


def exercise_title(exercise: Exercise, lang: str) -> str:
    """"E4 · Risk evaluation…": the label the screens show, then the pack's title."""
    return f"{exercise_label(exercise)} · {exercise.title.get(lang)}"


def _natural(code: str) -> list[object]:
    """'R2' before 'R10'."""
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", code)]


def _date_range(report: GroupReport, lang: str) -> str:
    start, end = report.start_date, report.end_date
    if start and end and start != end:
        return f"{format_date(start, lang)} – {format_date(end, lang)}"
    day = start or end
    return format_date(day, lang) if day else ""


def _format_fact(fact: Fact, lang: str) -> str:
    # format_number/format_percent take no locale pattern with fixed decimals, so build
    # one: trailing zeros stay (12,50) and the % sits where the language puts it (34 %).
    decimals = "." + "0" * fact.decimals if fact.decimals else ""
    unit = fact.unit.get(lang) if fact.unit else ""
    if unit == "%":
        pattern = Locale.parse(lang).percent_formats[None].pattern.split(";")[0]
        at = pattern.rfind("0") + 1
        return babel_percent(fact.value / 100, format=pattern[:at] + decimals + pattern[at:],
                             locale=lang)
    value = format_decimal(fact.value, format="#,##0" + decimals, locale=lang)
    return f"{value}\u00a0{unit}" if unit else value  # keep number and unit together


CELL_PADDING = 6.5  # left + right padding of _table's cells, plus a hair for rounding
MAX_WORD_SHARE = 0.4  # a column never claims more than this share of the width for a word


def _longest_word(cell: object) -> float:
    """The width of the longest word of a Paragraph cell: narrower than that, the column
    would break the word in the middle (reportlab splits long words letter by letter)."""
    if not isinstance(cell, Paragraph):
        return 0.0
    style = cell.style
    words = cell.getPlainText().split()
    return max((stringWidth(w, style.fontName, style.fontSize) for w in words), default=0.0)


def fit_widths(rows: list[list[object]], widths: list[float]) -> list[float]:
    """Column widths as given, except that a column too narrow for its longest word takes
    the room it needs from columns with room to spare (in proportion to their spare room).
    The total stays the same; nothing changes when every word already fits. A row with
    text in its first cell only is taken for a row spanning the table (an area heading,
    the appetite line) and does not count."""
    total = sum(widths)
    need = [0.0] * len(widths)
    for row in rows:
        if len(row) > 1 and all(cell in ("", None) for cell in row[1:]):
            continue
        for i, cell in enumerate(row[:len(widths)]):
            word = _longest_word(cell)
            if word:
                need[i] = max(need[i], min(word + CELL_PADDING, total * MAX_WORD_SHARE))
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    spare = [max(0.0, w - n) for n, w in zip(need, widths, strict=True)]
    if short <= 0 or sum(spare) < short:
        return list(widths)
    factor = short / sum(spare)
    return [max(n, w - s * factor) for n, w, s in zip(need, widths, spare, strict=True)]


class RowKeepingTable(Table):
    """A table that never leaves one row alone at a page break: a split keeps at least two
    rows under the header on each side (reportlab's rowSplitRange, set at each split so
    that the remaining piece keeps the rule too). A table that a whole page cannot split
    that way splits as reportlab would, rather than fail."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        head = self.repeatRows if isinstance(self.repeatRows, int) \
            else max(self.repeatRows) + 1
        self._rowSplitRange = (head + 2, len(self._cellvalues) - 2)
        pieces = super().split(availWidth, availHeight)
        if not pieces and availHeight >= FRAME_HEIGHT - 1:
            self._rowSplitRange = None
            pieces = super().split(availWidth, availHeight)
        return pieces


def _table(rows: list[list[object]], widths: list[float], header: bool = True) -> Table:
    table = RowKeepingTable(rows, colWidths=fit_widths(rows, widths),
                            repeatRows=1 if header else 0)
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), register_fonts()[0]),  # cells default to Helvetica
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    table.setStyle(TableStyle(commands))
    return table


class _Builder:
    def __init__(self, report: GroupReport, lang: str) -> None:
        self.report = report
        self.lang = lang
        self._: Translate = gettext_for(lang)
        self.font, self.bold = register_fonts()
        self.s = _Styles(self.font, self.bold)
        self.width = A4[0] - 2 * MARGIN
        self.version = report.app_version or __version__
        self.nav = Navigation()
        self.outline_level = 0  # 1 inside a workshop report, under the group's entry
        # Set when one exercise is printed across groups: the heading that opens the
        # section names the group instead of the exercise.
        self.across: Callable[[_Builder, Exercise], list[Flowable]] | None = None

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(no_images(markup), style or self.s.body)

    def heading(self, text: str, top: bool = True, room: float | None = None
                ) -> list[Flowable]:
        """A heading that never ends a page alone: it needs `room` below it (by default
        45 mm under a top heading, 30 mm under a sub-heading; more before a table whose
        first rows are tall). Not keepWithNext: that would wrap a long table in
        KeepTogether, which pushes the whole table to the next page. `text` is text, not
        markup (an exercise title comes from a pack)."""
        if top:
            return [CondPageBreak(room or 45 * mm), self.p(_text(text), self.s.h1)]
        return [CondPageBreak(room or 30 * mm), self.p(_text(text), self.s.h2)]

    def exercise_heading(self, exercise: Exercise) -> list[Flowable]:
        """What opens an exercise's section: its label and title, with a bookmark."""
        if self.across is not None:
            return self.across(self, exercise)
        title = exercise_title(exercise, self.lang)
        return [CondPageBreak(45 * mm), Anchor(self.nav, title, self.outline_level),
                self.p(_text(title), self.s.h1)]

    def cell(self, value: str) -> Paragraph:
        return Paragraph(_text(value), self.s.cell)

    # For section modules: a bordered table with a shaded header row.
    table = staticmethod(_table)

    def cols(self, *weights: float) -> list[float]:
        total = sum(weights)
        return [self.width * w / total for w in weights]

    # -- cover ---------------------------------------------------------------------------
    def cover(self) -> list[Flowable]:
        _, r, s = self._, self.report, self.s
        story: list[Flowable] = [
            Spacer(1, 12 * mm),
            self.p(_text(r.workshop_title), s.title),
            self.p(_("Group output"), s.subtitle),
            self.p(_text(r.group_name), s.group),
            Spacer(1, 8 * mm),
        ]
        info = [
            (_("Venue"), r.venue),
            (_("Dates"), _date_range(r, self.lang)),
            (_("Content pack"), r.pack.pack.title.get(self.lang)),
        ]
        rows = [
            [self.p(escape(label), s.info_label), self.p(_text(value), s.info)]
            for label, value in info
            if value.strip()
        ]
        if rows:
            table = Table(rows, colWidths=self.cols(1, 3.2))
            table.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]))
            story.append(table)
        story += self.heading(_("Members"), top=False)
        if r.members:
            members = [[self.p(_("Name"), s.head), self.p(_("Administration"), s.head)]]
            members += [[self.cell(m.name), self.cell(m.administration)] for m in r.members]
            story.append(_table(members, self.cols(1, 1.4)))
        else:
            story.append(self.p(_("No members recorded."), s.small))
        story += self.at_a_glance()
        story += [
            Spacer(1, 8 * mm),
            self.p(_("Printed on {date}").format(date=format_date(r.printed_on, self.lang)),
                   s.small),
            self.p(escape(f"rmdesk {self.version}"), s.small),
            PageBreak(),
        ]
        return story

    def at_a_glance(self) -> list[Flowable]:
        """For a reader who reads one page: what the group completed, its top risks with
        their levels and decisions, and (when released) the facilitator's comment."""
        from rmdesk.domain.comparison import STATUS_LABELS
        from rmdesk.domain.evaluation import DECISIONS, Evaluation, ranked
        from rmdesk.services.exercises import NOT_STARTED

        _, s, r = self._, self.s, self.report
        story: list[Flowable] = self.heading(_("Completed"), top=False, room=20 * mm)
        statuses = {e.id: r.exercise_status.get(e.id, NOT_STARTED) for e in r.pack.exercises}
        done = [f"{exercise_label(e)}\u00a0{_(STATUS_LABELS[statuses[e.id]])}"
                if statuses[e.id] in STATUS_LABELS else exercise_label(e)
                for e in r.pack.exercises if statuses[e.id] != NOT_STARTED]
        story.append(self.p(escape(" · ".join(done)) if done else
                            escape(_("No exercise started yet.")), s.body))
        rated = sorted((k for k in r.risks if k.score is not None),
                       key=lambda k: (-(k.score or 0), _natural(k.code)))[:TOP_RISKS]
        if rated:
            evaluation = next((e for e in r.pack.exercises if e.kind == "evaluation"), None)
            data = r.exercise_work.get(evaluation.id) if evaluation else None
            decisions = {row.id: row.decision.decision for row in
                         ranked(Evaluation.from_dict(data), r.risks)} if data else {}
            rows: list[list[object]] = [[self.p(escape(t), s.head) for t in (
                _("ID"), _("Event"), _("Score"), _("Level"), _("Decision"))]]
            for risk in rated:
                level = level_of(r.bands, risk.score)
                decision = decisions.get(risk.id, "")
                rows.append([self.p(_text(risk.code), s.cell_bold), self.cell(risk.event),
                             self.p(str(risk.score), s.level),
                             self.p(escape(level_name(level, _)) if level else "—", s.level),
                             self.cell(_(DECISIONS[decision]) if decision in DECISIONS
                                       else "—")])
            story += self.heading(_("Top risks"), top=False, room=40 * mm)
            story.append(_table(rows, self.cols(0.7, 4, 0.7, 1.1, 1.1)))
        if r.release_feedback and r.overall_comment.strip():
            story += self.heading(_("Facilitator's comment"), top=False, room=20 * mm)
            story.append(self.p(_text(r.overall_comment)))
        return story

    # -- case ----------------------------------------------------------------------------
    def case(self) -> list[Flowable]:
        _, s, case, lang = self._, self.s, self.report.pack.case, self.lang
        story: list[Flowable] = [
            CondPageBreak(45 * mm), Anchor(self.nav, _("Case summary"), self.outline_level),
            self.p(_text(_("Case summary")), s.h1),
            self.p(_text(case.title.get(lang)), s.h2),
        ]
        for para in re.split(r"\n\s*\n", case.summary.get(lang).strip()):
            if para.strip():
                story.append(self.p(_text(para)))
        if case.facts:
            rows: list[list[object]] = [
                [self.cell(f.label.get(lang)), self.p(escape(_format_fact(f, lang)), s.cell_bold)]
                for f in case.facts
            ]
            story += [*self.heading(_("Key figures"), top=False),
                      _table(rows, self.cols(2.2, 1), header=False)]
        return story

    # -- E2 ------------------------------------------------------------------------------
    def register(self) -> list[Flowable]:
        _, s = self._, self.s
        story: list[Flowable] = self.heading(_("Risk register"), top=False, room=50 * mm)
        if not self.report.risks:
            story.append(self.p(_("The register is empty: no risk has been entered yet.")))
            return story
        fields = ("code", "event", "cause", "consequence", "controls", "owner")
        rows: list[list[object]] = [[self.p(_(FIELD_LABELS[f]), s.head) for f in fields]]
        # The area is a sub-heading row spanning the table rather than a repeated column.
        commands: list[tuple[object, ...]] = []
        groups: dict[str, list[RiskEntry]] = {area: [] for area in (*RISK_AREAS, NO_AREA)}
        for risk in self.report.risks:
            groups[risk.area if risk.area in RISK_AREAS else NO_AREA].append(risk)
        for area, risks in groups.items():
            if not risks:
                continue
            label = _(RISK_AREAS[area]) if area else _("No risk area chosen")
            row = len(rows)
            rows.append([self.p(escape(label), s.cell_bold)] + [""] * (len(fields) - 1))
            commands += [
                ("SPAN", (0, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), AREA_FILL),
                ("NOSPLIT", (0, row), (-1, row + 1)),  # no area heading alone at a page foot
            ]
            for risk in risks:
                rows.append([
                    self.p(_text(risk.code), s.cell_bold),
                    *(self.cell(getattr(risk, f)) for f in fields[1:]),
                ])
        table = _table(rows, self.cols(0.8, 2.2, 2, 2, 2.1, 1.4))
        table.setStyle(TableStyle(commands))
        story.append(table)
        return story

    # -- E3 ------------------------------------------------------------------------------
    def _rating(self, value: int | None, labels: dict[int, str]) -> Paragraph:
        if value is None:
            return self.cell("—")
        name = labels.get(value)
        markup = f"<b>{value}</b>" + (f" · {escape(self._(name))}" if name else "")
        return self.p(markup, self.s.cell)

    def analysis(self) -> list[Flowable]:
        _, s, bands = self._, self.s, self.report.bands
        story: list[Flowable] = self.heading(_("Risk analysis"), top=False, room=50 * mm)
        if not self.report.risks:
            story.append(self.p(_("No risk to analyse yet.")))
            return story
        fields = ("code", "likelihood", "likelihood_reason", "impact", "impact_reason",
                  "score", "level")
        rows: list[list[object]] = [[self.p(_(FIELD_LABELS[f]), s.head) for f in fields]]
        commands: list[tuple[object, ...]] = [("ALIGN", (5, 1), (5, -1), "CENTER")]
        risks = sorted(
            self.report.risks,
            key=lambda r: (r.score is None, -(r.score or 0), _natural(r.code)),
        )
        for risk in risks:
            level = level_of(bands, risk.score)
            if level:
                commands += [("BACKGROUND", (6, len(rows)), (6, len(rows)), level_fill(level))]
                ink = ParagraphStyle("level_ink", parent=s.level,
                                     textColor=level_text_color(level))
                level_cell = self.p(escape(level_name(level, _)), ink)
            else:
                level_cell = self.p("—", s.level)
            rows.append([
                self.p(_text(risk.code), s.cell_bold),
                self._rating(risk.likelihood, LIKELIHOOD_LABELS),
                self.cell(risk.likelihood_reason),
                self._rating(risk.impact, CONSEQUENCE_LABELS),
                self.cell(risk.impact_reason),
                self.p(str(risk.score) if risk.score is not None else "—", s.level),
                level_cell,
            ])
        table = _table(rows, self.cols(0.8, 1.75, 2.8, 1.75, 2.8, 0.8, 1.3))
        table.setStyle(TableStyle(commands))
        story.append(table)
        return story

    # -- heat map ------------------------------------------------------------------------
    def heat_map(self) -> list[Flowable]:
        _, s = self._, self.s
        block: list[Flowable] = [
            *self.heading(_("Heat map"), top=False),
            heat_map_drawing(self.report.risks, self.report.bands, _, self.width),
        ]
        unrated = [r.code or "?" for r in self.report.risks if r.score is None]
        if unrated:
            block.append(Spacer(1, 4))
            block.append(self.p(
                escape(_("Not on the map (not rated yet): {codes}").format(
                    codes=", ".join(sorted(unrated, key=_natural)))),
                s.small,
            ))
        return [KeepTogether(block)]

    # -- feedback ------------------------------------------------------------------------
    def _findings(self, findings: list[Finding], render: Callable[..., str] = render_finding
                  ) -> Table:
        _ = self._
        markers = {ERROR: "✗ " + _("To fix"), WARNING: "! " + _("To consider"),
                   GOOD: "✓ " + _("Good"), INFO: "i " + _("Note")}
        rows = [
            [
                self.p(escape(markers.get(f.severity, f.severity)), self.s.cell_bold),
                self.cell(render(f, _, lambda v: format_percent(v, self.lang))),
            ]
            for f in findings
        ]
        return _table(rows, self.cols(1.2, 6), header=False)

    def feedback(self) -> list[Flowable]:
        _, s, r = self._, self.s, self.report
        story: list[Flowable] = [
            *self.heading(_("Feedback"), top=False),
            self.p(_("Automatic checks of structure and arithmetic. The quality of each risk "
                     "statement is for your group and facilitator to discuss."), s.small),
        ]
        for heading, findings in ((_("Risk register"), r.register_findings),
                                  (_("Risk analysis"), r.analysis_findings)):
            story += [CondPageBreak(25 * mm), Spacer(1, 3), self.p(escape(heading), s.info_label)]
            if findings:
                story.append(self._findings(findings))
            else:
                story.append(self.p(_("No feedback."), s.small))
        return story

    # -- E6 indicators -------------------------------------------------------------------
    def indicators(self, exercise: Exercise) -> list[Flowable]:
        _, r = self._, self.report
        if not r.indicator_picks:
            return []
        bank = {i.id: i for i in r.pack.indicators}
        header = [self.p(escape(t), self.s.cell_bold) for t in (
            _("ID"), _("Indicator"), _("Data element tested"), _("Phase"), _("Why"))]
        rows: list[list[object]] = [header]
        for pick in r.indicator_picks:
            indicator = bank.get(pick.indicator_id)
            spec = FIELD_BY_NAME.get(pick.field)
            rows.append([
                self.cell(pick.indicator_id),
                self.cell(indicator.text.get(self.lang) if indicator else ""),
                self.cell(_(spec.label) if spec else "—"),
                self.cell(_(PHASE_LABELS[pick.phase]) if pick.phase in PHASE_LABELS else "—"),
                self.cell(pick.reason),
            ])
        story: list[Flowable] = [*self.exercise_heading(exercise),
                                 _table(rows, self.cols(0.5, 3, 1.4, 1, 2.4))]
        if r.indicator_findings:
            story += self.heading(_("Feedback"), top=False)
            story.append(self._findings(r.indicator_findings, render_indicator_finding))
        return story

    # -- page furniture ------------------------------------------------------------------
    def furniture(self) -> Furniture:
        r = self.report
        return Furniture(self._, self.font, self.width, self.nav,
                         header=" · ".join((r.workshop_title, r.group_name)),
                         footer=" · ".join((f"rmdesk {self.version}", self._("Group output"))))

    def build(self, path: Path) -> None:
        r = self.report
        doc = a4_document(path, title=f"{r.workshop_title} · {r.group_name}",
                          subject=self._("Group output"), version=self.version,
                          lang=self.lang, font=self.font, on_page=self.furniture())
        story = self.cover() + [ContentsSlot(self.nav)] + self.case()
        for _exercise, part in self.exercise_parts():
            story += part
        build_navigated(doc, story, self.nav, self.furniture(), self.bold)

    def exercise_parts(self) -> list[tuple[Exercise, list[Flowable]]]:
        """Each exercise's part of the story, in the pack's order (the workshop report
        reuses them); E2/E3 and E6 are built here, the others by their own modules in
        reports/sections."""
        return [(exercise, self.exercise_part(exercise))
                for exercise in self.report.pack.exercises]

    def exercise_part(self, exercise: Exercise) -> list[Flowable]:
        """One exercise as every print shows it: the group's work, the automatic
        feedback and, when released, the facilitator's score and feedback."""
        if exercise.kind == "register_analysis":
            part = (self.exercise_heading(exercise) + self.register() + self.analysis()
                    + self.heat_map() + self.feedback())
        elif exercise.kind == "indicator_selection":
            part = self.indicators(exercise)
        else:
            section = section_for(exercise.kind)
            part = section(self, exercise) if section is not None else []
        if part and self.report.release_feedback:
            part += self.facilitator_note(exercise)
        return part

    def facilitator_note(self, exercise: Exercise) -> list[Flowable]:
        """The facilitator's score and feedback on this exercise, if there are any."""
        _, s = self._, self.s
        note = self.report.facilitator.get(exercise.id)
        if note is None or (note.score is None and not note.feedback.strip()):
            return []
        label = _("Facilitator's feedback")
        if note.score is not None:
            label += "\n" + _("Score: {score}/100").format(score=note.score)
        table = _table([[self.p(_text(label), s.cell_bold),
                         self.cell(note.feedback.strip() or "—")]],
                       self.cols(1.3, 5), header=False)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (0, 0), AREA_FILL)]))
        return [Spacer(1, 6), KeepTogether([table])]


class Furniture:
    """What every page carries but the cover: the running header (workshop, group), the
    footer (rmdesk, the kind of print) and page "x of y" (filled in when saved)."""

    SIZE = 7.5

    def __init__(self, translate: Translate, font: str, width: float, nav: Navigation,
                 header: str, footer: str) -> None:
        self._, self.font, self.width, self.nav = translate, font, width, nav
        self.header, self.footer = header, footer

    def label(self, page: int, total: int) -> str:
        return self._("Page {page} of {total}").format(page=page, total=total)

    def place(self, canvas: Canvas, text: str) -> None:
        canvas.setFont(self.font, self.SIZE)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(MARGIN + self.width, 8.5 * mm, text)

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        page_room = stringWidth(self.label(888, 888), self.font, self.SIZE) + 12
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, 12 * mm, MARGIN + self.width, 12 * mm)
        canvas.setFont(self.font, self.SIZE)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 8.5 * mm, _shorten(self.footer, self.font, self.SIZE,
                                                     self.width - page_room))
        if isinstance(canvas, NumberedCanvas):
            canvas.draw_page_number()
        if doc.page > 1:  # the cover names the workshop and group already
            running = " · ".join(t for t in (self.header, self.nav.header()) if t)
            top = A4[1] - MARGIN + 5 * mm
            canvas.drawString(MARGIN, top, _shorten(running, self.font, self.SIZE,
                                                    self.width))
            canvas.line(MARGIN, top - 2 * mm, MARGIN + self.width, top - 2 * mm)
        canvas.restoreState()


def _shorten(text: str, font: str, size: float, room: float) -> str:
    """`text`, cut with … to fit `room` points."""
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text + "…"


HEADING_STYLES = frozenset({"h1", "h2", "group"})
# What may stand between a heading and what it heads: marks and gaps, and short notes.
_BETWEEN = (Spacer, Anchor, CondPageBreak)


_SCRATCH: list[Canvas] = []


def _measure(flowable: Flowable, width: float) -> float:
    """The flowable's height at `width`, laid on a scratch canvas (KeepTogether needs one)."""
    if not _SCRATCH:
        import io

        _SCRATCH.append(Canvas(io.BytesIO()))
    return float(flowable.wrapOn(_SCRATCH[0], width, FRAME_HEIGHT)[1])


def _rows_height(table: Table, count: int) -> float:
    """The height of a table's first `count` rows, measured cell by cell (laying out the
    whole table just to learn where it starts would cost as much as drawing it)."""
    widths = table._argW
    total = 0.0
    for row in table._cellvalues[:count]:
        tallest = 0.0
        for cell, width in zip(row, widths, strict=False):
            room = (width if isinstance(width, int | float) else 100.0) - 6
            items = cell if isinstance(cell, list | tuple) else [cell]
            tallest = max(tallest, sum(_measure(i, room) if isinstance(i, Flowable)
                                       else 10.0 for i in items))
        total += tallest + 5.5  # the cells' top and bottom padding
    return total


def _start_height(flowable: Flowable, width: float) -> float:
    """The height of what must follow a heading on its page: a table's header and two
    rows, a paragraph's first two lines, anything else whole (at most a page)."""
    if isinstance(flowable, Table):
        head = flowable.repeatRows if isinstance(flowable.repeatRows, int) else 0
        return _rows_height(flowable, head + 2)
    height = _measure(flowable, width)
    if isinstance(flowable, Paragraph):
        return min(height, 2 * flowable.style.leading + flowable.style.spaceBefore)
    return min(height, FRAME_HEIGHT)


def keep_headings(story: list[Flowable], width: float) -> list[Flowable]:
    """A heading never ends a page alone: before each heading (and the short notes under
    it), a conditional page break asks for room for the heading, its notes and the start
    of what follows. A table then splits below its heading instead of jumping whole to
    the next page, as KeepTogether (keepWithNext) would make it."""
    result: list[Flowable] = []
    index = 0
    while index < len(story):
        item = story[index]
        name = getattr(getattr(item, "style", None), "name", "")
        if isinstance(item, Paragraph) and name in HEADING_STYLES:
            need, look = 0.0, index
            while look < len(story):
                nxt = story[look]
                nxt_style = getattr(getattr(nxt, "style", None), "name", "")
                if isinstance(nxt, _BETWEEN) or look == index or (
                        isinstance(nxt, Paragraph) and nxt_style in
                        HEADING_STYLES | {"small"}):
                    if not isinstance(nxt, CondPageBreak):
                        need += _measure(nxt, width) + nxt.getSpaceBefore() \
                            + nxt.getSpaceAfter()
                    look += 1
                    continue
                if not isinstance(nxt, PageBreak):
                    need += _start_height(nxt, width) + nxt.getSpaceBefore()
                break
            # Before the heading's own anchor, so the bookmark lands on the heading's page.
            at = len(result)
            while at and isinstance(result[at - 1], Anchor | CondPageBreak):
                at -= 1
            result.insert(at, CondPageBreak(min(need, FRAME_HEIGHT - 1)))
        result.append(item)
        index += 1
    return result


def build_navigated(doc: BaseDocTemplate, story: list[Flowable], nav: Navigation,
                    furniture: Furniture, bold: str) -> None:
    """Build `story` with bookmarks, page "x of y" and, for a long print, a contents page
    after the cover (see reports/navigation.py); headings kept with what they head."""
    story = keep_headings(story, doc.width)
    story = [*story, Contents(nav, doc, furniture._("Contents"), furniture.font, bold)]

    class _Canvas(NumberedCanvas):
        pass

    _Canvas.nav = nav
    _Canvas.label = staticmethod(furniture.label)  # type: ignore[assignment]
    _Canvas.place = staticmethod(furniture.place)  # type: ignore[assignment]
    doc.build(story, canvasmaker=_Canvas)


def a4_document(path: Path, *, title: str, subject: str, version: str, lang: str, font: str,
                on_page: Callable[[Canvas, BaseDocTemplate], None],
                keywords: str = "") -> BaseDocTemplate:
    """An A4 document with 18 mm margins, one frame and `on_page` drawing the header and
    footer once the page's content is laid (so the running header knows its group).
    `lang` is the document's language (the first one of a bilingual print); `keywords`
    names the languages of a bilingual print."""
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="rmdesk",
        subject=subject,
        keywords=keywords,
        creator=f"rmdesk {version}",
        lang=lang.replace("_", "-"),  # BCP 47, e.g. pt-BR
        initialFontName=font,  # else every page references an unused Helvetica
    )
    # No frame padding, so tables and text share the 18 mm margins exactly.
    width = A4[0] - 2 * MARGIN
    frame = Frame(MARGIN, MARGIN, width, A4[1] - 2 * MARGIN, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=on_page)])
    return doc


def build_group_pdf(report: GroupReport, lang: str, path: Path) -> None:
    """Write the group output for `report` in `lang` to `path` (any OSError propagates)."""
    _Builder(report, lang).build(Path(path))
