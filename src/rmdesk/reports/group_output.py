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
from rmdesk.reports.sections import section_for

MARGIN = 18 * mm
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


def _table(rows: list[list[object]], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=fit_widths(rows, widths), repeatRows=1 if header else 0)
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
            Spacer(1, 30 * mm),
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
        story += [
            Spacer(1, 14 * mm),
            self.p(_("Printed on {date}").format(date=format_date(r.printed_on, self.lang)),
                   s.small),
            self.p(escape(f"rmdesk {self.version}"), s.small),
            PageBreak(),
        ]
        return story

    # -- case ----------------------------------------------------------------------------
    def case(self) -> list[Flowable]:
        _, s, case, lang = self._, self.s, self.report.pack.case, self.lang
        story: list[Flowable] = [
            *self.heading(_("Case summary")),
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
    def indicators(self) -> list[Flowable]:
        _, r = self._, self.report
        if not r.indicator_picks:
            return []
        exercise = r.pack.exercise("indicator_selection")
        title = exercise.title.get(self.lang) if exercise else _("Risk indicators")
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
        story: list[Flowable] = [*self.heading(title), _table(rows, self.cols(0.5, 3, 1.4, 1,
                                                                              2.4))]
        if r.indicator_findings:
            story += self.heading(_("Feedback"), top=False)
            story.append(self._findings(r.indicator_findings, render_indicator_finding))
        return story

    # -- page furniture ------------------------------------------------------------------
    def footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        draw_footer(canvas, self._("Page {n}").format(n=doc.page),
                    " · ".join((f"rmdesk {self.version}", self.report.workshop_title,
                                self.report.group_name)), self.font, self.width)

    def build(self, path: Path) -> None:
        r = self.report
        doc = a4_document(path, title=f"{r.workshop_title} · {r.group_name}",
                          subject=self._("Group output"), version=self.version,
                          lang=self.lang, font=self.font, on_page=self.footer)
        story = self.cover() + self.case()
        for _exercise, part in self.exercise_parts():
            story += part
        doc.build(story)

    def exercise_parts(self) -> list[tuple[Exercise, list[Flowable]]]:
        """Each exercise's part of the story, in the pack's order (the workshop report
        reuses them); E2/E3 and E6 are built here, the others by their own modules in
        reports/sections."""
        parts: list[tuple[Exercise, list[Flowable]]] = []
        for exercise in self.report.pack.exercises:
            if exercise.kind == "register_analysis":
                part = (self.heading(exercise.title.get(self.lang)) + self.register()
                        + self.analysis() + self.heat_map() + self.feedback())
            elif exercise.kind == "indicator_selection":
                part = self.indicators()
            else:
                section = section_for(exercise.kind)
                part = section(self, exercise) if section is not None else []
            parts.append((exercise, part))
        return parts


def draw_footer(canvas: Canvas, page: str, left: str, font: str, width: float) -> None:
    """The rule and line at the foot of every page: `left` (shortened with … so a long
    workshop title never runs into the page number) and `page` on the right."""
    size = 7.5
    room = width - stringWidth(page, font, size) - 12
    if stringWidth(left, font, size) > room:
        while left and stringWidth(left + "…", font, size) > room:
            left = left[:-1]
        left += "…"
    canvas.saveState()
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, 12 * mm, MARGIN + width, 12 * mm)
    canvas.setFont(font, size)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, 8.5 * mm, left)
    canvas.drawRightString(MARGIN + width, 8.5 * mm, page)
    canvas.restoreState()


def a4_document(path: Path, *, title: str, subject: str, version: str, lang: str, font: str,
                on_page: Callable[[Canvas, BaseDocTemplate], None]) -> BaseDocTemplate:
    """An A4 document with 18 mm margins, one frame and `on_page` drawing the footer."""
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
        creator=f"rmdesk {version}",
        lang=lang.replace("_", "-"),  # BCP 47, e.g. pt-BR
        initialFontName=font,  # else every page references an unused Helvetica
    )
    # No frame padding, so tables and text share the 18 mm margins exactly.
    width = A4[0] - 2 * MARGIN
    frame = Frame(MARGIN, MARGIN, width, A4[1] - 2 * MARGIN, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=on_page)])
    return doc


def build_group_pdf(report: GroupReport, lang: str, path: Path) -> None:
    """Write the group output for `report` in `lang` to `path` (any OSError propagates)."""
    _Builder(report, lang).build(Path(path))
