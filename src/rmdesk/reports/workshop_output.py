"""The facilitator's PDFs: the consolidated workshop report, one exercise across all groups,
and a group output in two languages.

Consolidated report: a cover; the status dashboard (groups x exercises, with scores); the
overlay heat map of every group's ratings of the same risks and where they disagree; the
leaderboard of the targeting runs; the case summary once; then each group's part, built by
the group output's own builder (reports/group_output.py), followed by the facilitator's
feedback and scores for that group.

Two languages: every document is a list of parts (the cover, the dashboard,
each exercise, each group...), built once per language with the same structure. With two
languages the parts alternate: a part in the first language, then the same part in the
second, each under a tab naming its language. A bilingual room finds its language on every
page, each part keeps the page layout of a normal report (wide register tables would not fit
in half a page), and text the groups typed appears as typed in both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from rmdesk import __version__
from rmdesk.content.pack import ContentPack, Exercise
from rmdesk.domain.comparison import (
    STATUS_LABELS,
    STATUS_MARKS,
    GroupAnswer,
    LeaderRow,
    Overlay,
    OverlayRisk,
    Overview,
)
from rmdesk.domain.scales import CONSEQUENCE_LABELS, LIKELIHOOD_LABELS
from rmdesk.i18n import LANGUAGE_NAMES, gettext_for, ngettext_matching
from rmdesk.i18n.formatting import format_date, format_percent
from rmdesk.reports.data import GroupReport
from rmdesk.reports.fonts import register_fonts
from rmdesk.reports.group_output import (
    GRID,
    HEADER_FILL,
    MARGIN,
    Furniture,
    _Builder,
    _date_range,
    _shorten,
    _Styles,
    _table,
    _text,
    a4_document,
    build_navigated,
    exercise_title,
    no_images,
)
from rmdesk.reports.heatmap import level_fill, level_name, level_of, level_text_color
from rmdesk.reports.navigation import Anchor, ContentsSlot, Navigation

Progress = Callable[[int, int], None]
TAB_FILL = colors.HexColor("#d0d0d0")


class Cancelled(Exception):
    """Raised inside a build when the caller asked to stop."""


@dataclass
class WorkshopReport:
    """Everything the facilitator's PDFs show, gathered by services/workshop_reports.py."""

    workshop_title: str
    venue: str
    start_date: dt.date | None
    end_date: dt.date | None
    printed_on: dt.date
    pack: ContentPack
    groups: list[GroupReport]  # in the overview's group order
    overview: Overview
    overlay: Overlay
    leaderboard: list[LeaderRow]
    app_version: str = ""
    # lang -> exercise id -> every group's answer (only for the exercise printed across groups)
    answers: dict[str, dict[str, list[GroupAnswer]]] = field(default_factory=dict)
    # E13-E16 summed up over the groups (domain/debrief_figures.NewExerciseFigures)
    new_figures: Any = None


class Shared(list):  # type: ignore[type-arg]
    """A part that reads the same in every language (a group's name and members): printed
    once, without a language tab."""


class _Parts:
    """Builds a document's parts in one language."""

    def __init__(self, report: WorkshopReport, lang: str, nav: Navigation | None = None
                 ) -> None:
        self.report = report
        self.nav = nav or Navigation()  # one per document, shared by its languages
        self.lang = lang
        self._ = gettext_for(lang)
        self.font, self.bold = register_fonts()
        self.s = _Styles(self.font, self.bold)
        self.width = A4[0] - 2 * MARGIN
        self.version = report.app_version or __version__

    # helpers shared with the group output's builder
    def p(self, markup: str, style: object = None) -> Flowable:
        from reportlab.platypus import Paragraph

        return Paragraph(no_images(markup), style or self.s.body)  # type: ignore[arg-type]

    def cell(self, value: str) -> Flowable:
        return self.p(_text(value), self.s.cell)

    def head(self, value: str) -> Flowable:
        return self.p(escape(value), self.s.head)

    def heading(self, text: str, top: bool = True) -> list[Flowable]:
        """A heading; a top one is also a bookmark."""
        if top:
            return [CondPageBreak(45 * mm), Anchor(self.nav, text),
                    self.p(escape(text), self.s.h1)]
        return [CondPageBreak(30 * mm), self.p(escape(text), self.s.h2)]

    def cols(self, *weights: float) -> list[float]:
        total = sum(weights)
        return [self.width * w / total for w in weights]

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.lang)

    def debrief(self) -> list[Flowable]:
        """What the groups decided, side by side (reports/debrief.py)."""
        from rmdesk.reports.debrief import side_by_side

        return side_by_side(self)

    def pct(self, value: float | None) -> str:
        return format_percent(value, self.lang, digits=1) if value is not None else "—"

    def title_of(self, exercise_id: str) -> str:
        for exercise in self.report.pack.exercises:
            if exercise.id == exercise_id:
                return exercise.title.get(self.lang)
        return exercise_id

    # -- cover ------------------------------------------------------------------------------
    def cover(self, subtitle: str, extra: list[tuple[str, str]] | None = None
              ) -> list[Flowable]:
        _, r, s = self._, self.report, self.s
        info = [
            (_("Venue"), r.venue),
            (_("Dates"), _date_range(r, self.lang)),  # type: ignore[arg-type]
            (_("Content pack"), r.pack.pack.title.get(self.lang)),
            (_("Groups"), ", ".join(name for _i, name in r.overview.groups)),
            *(extra or []),
        ]
        rows = [[self.p(escape(label), s.info_label), self.p(_text(value), s.info)]
                for label, value in info if value.strip()]
        story: list[Flowable] = [
            Spacer(1, 30 * mm),
            self.p(_text(r.workshop_title), s.title),
            self.p(escape(subtitle), s.subtitle),
            Spacer(1, 8 * mm),
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
        story += [
            Spacer(1, 14 * mm),
            self.p(escape(_("Printed on {date}").format(
                date=format_date(r.printed_on, self.lang))), s.small),
            self.p(escape(f"rmdesk {self.version}"), s.small),
            PageBreak(),
        ]
        return story

    # -- dashboard ----------------------------------------------------------------------------
    def dashboard(self) -> list[Flowable]:
        _, s, overview = self._, self.s, self.report.overview
        story = self.heading(_("Status of the groups"))
        if not overview.groups:
            return story + [self.p(escape(_("This workshop has no groups yet.")))]
        ids = overview.exercise_ids
        labels = [self.short_label(exercise_id) for exercise_id in ids]
        header = [self.head(_("Group"))] + [self.p(f"<b>{escape(label)}</b>", s.level)
                                              for label in labels]
        rows: list[list[object]] = [header]
        for group_id, name in overview.groups:
            row: list[object] = [self.cell(name)]
            for exercise_id in ids:
                cell = overview.cell(group_id, exercise_id)
                text = STATUS_MARKS.get(cell.status, "?")
                if cell.score is not None:
                    text += f" {cell.score}"
                row.append(self.p(escape(text), s.level))
            rows.append(row)
        submitted = _("Submitted")  # a row label: capitalised whatever the catalog says
        totals: list[object] = [self.p(escape(submitted[:1].upper() + submitted[1:]),
                                       s.cell_bold)]
        for exercise_id in ids:
            counts = overview.counts(exercise_id)
            totals.append(self.p(f"{counts['submitted']}/{len(overview.groups)}", s.level))
        rows.append(totals)
        first = 40 * mm
        rest = (self.width - first) / max(1, len(ids))
        table = _table(rows, [first] + [rest] * len(ids))
        table.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), HEADER_FILL)]))
        story.append(table)
        # The legend says only what the grid shows: the scores only when there are some.
        legend = "   ".join(f"{STATUS_MARKS[k]} {_(v)}" for k, v in STATUS_LABELS.items())
        if any(cell.score is not None for cell in overview.cells.values()):
            legend += "   " + _("Numbers are the facilitator's scores out of 100.")
        story.append(Spacer(1, 3))
        story.append(self.p(escape(legend), s.small))
        key_rows = []
        for label, exercise_id in zip(labels, ids, strict=True):
            phase = overview.phase(exercise_id)
            flags = [t for flag, t in ((phase.locked, _("locked")),
                                       (phase.model_revealed, _("model answer shown")))
                     if flag]
            key_rows.append([self.p(f"<b>{escape(label)}</b>", s.cell),
                             self.cell(self.title_of(exercise_id)),
                             self.cell(", ".join(flags))])
        story += self.heading(_("Exercises"), top=False)
        story.append(_table([[self.head(_("ID")), self.head(_("Exercise")),
                              self.head(_("Phase"))], *key_rows], self.cols(0.7, 5, 2)))
        return story

    # -- overlay ------------------------------------------------------------------------------
    def overlay(self) -> list[Flowable]:
        from rmdesk.reports.debrief import matching_note, risk_text

        _, s, overlay = self._, self.s, self.report.overlay
        story = self.heading(_("The groups' ratings of the same risks"))
        if not overlay.risks:
            return story + [self.p(escape(_(
                "No risk was rated by two or more groups, so there is nothing to compare."
            )))]
        intro = self.p(escape(_(
            "Each cell counts the groups' ratings of the shared risks that fall there, and "
            "how many different risks they are. A risk whose ratings spread over several "
            "cells is one the groups see differently: see the table below.")), s.small)
        # The heading, its explanation and the map stay on one page.
        story = [story[0], KeepTogether([*story[1:], intro, Spacer(1, 4),
                                         overlay_drawing(overlay, _, self.width)])]
        rows: list[list[object]] = [[self.head(t) for t in (
            _("No."), _("Risk"), _("Groups"), _("Median"), _("Scores"), _("Spread"),
            _("Groups per level"))]]
        commands: list[tuple[object, ...]] = []
        for risk in overlay.risks:
            scores = risk.scores
            spread = risk.spread
            rows.append([
                self.p(f"<b>{risk.number}</b>", s.cell),
                self.cell(risk_text(self.report, risk)),
                self.cell(f"{len(risk.rated)}/{overlay.group_count}"),
                self.p(self.number(risk.median) if risk.median is not None else "—",
                       s.level),
                self.cell(f"{scores[0]}–{scores[-1]}" if scores else "—"),
                self.p(f"<b>{spread}</b>" if spread is not None else "—", s.level),
                self.cell(self.level_counts(risk)),
            ])
            if risk.disagree(overlay.bands):  # different levels: shaded and marked
                commands.append(("BACKGROUND", (5, len(rows) - 1), (5, len(rows) - 1),
                                 HEADER_FILL))
        table = _table(rows, self.cols(0.5, 3.6, 0.8, 0.8, 0.8, 0.8, 2.6))
        table.setStyle(TableStyle(commands))
        story += self.heading(_("Spread of ratings per risk"), top=False)
        story.append(self.p(escape(matching_note(overlay, _)), s.small))
        story.append(table)
        story.append(self.p(escape(_(
            "Median and scores: likelihood × consequence over the groups that rated the "
            "risk. Spread: highest minus lowest score. Shaded: the groups put the risk in "
            "different risk levels.")), s.small))
        return story

    def level_counts(self, risk: OverlayRisk) -> str:
        """"Extreme 3 · High 10": how many groups put the risk at each level."""
        return " · ".join(f"{level_name(level, self._)} {count}"
                          for level, count in risk.level_counts(self.report.overlay.bands))

    # -- leaderboard ---------------------------------------------------------------------------
    def leaderboard(self) -> list[Flowable]:
        _, s = self._, self.s
        rows_in = self.report.leaderboard
        story = self.heading(_("Targeting leaderboard"))
        if not any(r.runs for r in rows_in):
            return story + [self.p(escape(_("No group has run a targeting simulation yet.")))]
        rows: list[list[object]] = [[self.head(t) for t in (
            _("Rank"), _("Group"), _("Runs"), _("Hit rate"), _("Detection rate"),
            _("Selection rate (items)"), _("Lift"))]]
        for r in rows_in:
            rows.append([
                self.p(str(r.rank) if r.rank else "—", s.level),
                self.cell(r.group_name),
                self.p(str(r.runs), s.level),
                self.p(self.pct(r.hit_rate), s.level),
                self.p(self.pct(r.detection_rate), s.level),
                self.p(self.pct(r.selection_rate), s.level),
                self.p(format_decimal(r.lift, format="0.00", locale=self.lang)
                       if r.lift is not None else "—", s.level),
            ])
        story.append(_table(rows, self.cols(0.6, 3, 0.6, 1.1, 1.3, 1.3, 0.8)))
        story.append(self.p(escape(_(
            "Each group's best run: the one with the best balance of hit rate and detection "
            "rate (their harmonic mean). Groups without a run are listed last.")), s.small))
        return story

    # -- groups --------------------------------------------------------------------------------
    def group_parts(self, index: int) -> list[list[Flowable]]:
        """One group: a title part, then one part per exercise, then the feedback part."""
        _, s = self._, self.s
        group = self.report.groups[index]
        group_id = self.report.overview.groups[index][0]
        members = ", ".join(m.name for m in group.members if m.name.strip())
        title = Shared([PageBreak(), Anchor(self.nav, group.group_name, running=True),
                        self.p(_text(group.group_name), s.group)])
        if members:
            title.append(self.p(_text(members), s.small))
        builder = self.group_builder(group)
        builder.outline_level = 1
        parts = [title] + [part for _e, part in builder.exercise_parts()]
        parts.append(self.feedback(group_id))
        return parts

    def group_builder(self, group: GroupReport) -> _Builder:
        """The group output's builder, drawing into this document's bookmarks."""
        builder = _Builder(group, self.lang)
        builder.nav = self.nav
        return builder

    def feedback(self, group_id: str) -> list[Flowable]:
        _, s, overview = self._, self.s, self.report.overview
        rows: list[list[object]] = [[self.head(t) for t in (
            _("Exercise"), _("Status"), _("Score"), _("Facilitator's feedback"))]]
        for exercise_id in overview.exercise_ids:
            cell = overview.cell(group_id, exercise_id)
            rows.append([
                self.cell(self.label_of(exercise_id)),
                self.cell(f"{STATUS_MARKS.get(cell.status, '')} "
                          f"{_(STATUS_LABELS.get(cell.status, cell.status))}"),
                self.p(str(cell.score) if cell.score is not None else "—", s.level),
                self.cell(cell.feedback),
            ])
        story = [CondPageBreak(45 * mm), self.p(escape(_("Facilitator's feedback and scores")),
                                                s.h1),
                 _table(rows, self.cols(2.5, 1.4, 0.7, 5))]
        group = next((g for g in self.report.groups
                      if g.group_name == dict(overview.groups).get(group_id)), None)
        if group is not None and group.overall_comment.strip():
            story += [Spacer(1, 4), _table([[self.p(escape(_("Overall comment")), s.cell_bold),
                                             self.cell(group.overall_comment)]],
                                           self.cols(1.3, 5), header=False)]
        return story

    def short_label(self, exercise_id: str) -> str:
        """"E4", as the screens name the exercise."""
        from rmdesk.content.exercise_ids import exercise_label

        for exercise in self.report.pack.exercises:
            if exercise.id == exercise_id:
                return exercise_label(exercise)
        return exercise_id

    def label_of(self, exercise_id: str) -> str:
        for exercise in self.report.pack.exercises:
            if exercise.id == exercise_id:
                return exercise_title(exercise, self.lang)
        return exercise_id

    def case(self) -> list[Flowable]:
        if not self.report.groups:
            return []
        return _Builder(self.report.groups[0], self.lang).case()

    # -- one exercise across groups -----------------------------------------------------------
    def exercise_intro(self, exercise: Exercise) -> list[Flowable]:
        _, s = self._, self.s
        story: list[Flowable] = [self.p(_text(self.report.workshop_title), s.subtitle),
                                 self.p(_text(exercise_title(exercise, self.lang)), s.title)]
        story.append(self.p(escape(_("Printed on {date}").format(
            date=format_date(self.report.printed_on, self.lang))), s.small))
        story += self.heading(_("Instructions"), top=False)
        story += [self.p(_text(para)) for para in exercise.instructions.get(self.lang)
                  .split("\n\n") if para.strip()]
        story += self.heading(_("Model answer"), top=False)
        if exercise.model_answer is not None:
            story += [self.p(_text(para)) for para in exercise.model_answer.get(self.lang)
                      .split("\n\n") if para.strip()]
        else:
            story.append(self.p(escape(_("The content pack has no model answer for this "
                                         "exercise.")), s.small))
        return story

    def group_heading(self, exercise: Exercise, group_id: str, group_name: str
                      ) -> list[Flowable]:
        """A group's name (a bookmark, and the running header from here on), with its
        status and the facilitator's score on this exercise."""
        _, s = self._, self.s
        cell = self.report.overview.cell(group_id, exercise.id)
        status = _(STATUS_LABELS.get(cell.status, cell.status))
        score = (_("Score: {score}/100").format(score=cell.score)
                 if cell.score is not None else "")
        return [CondPageBreak(45 * mm), Anchor(self.nav, group_name, running=True),
                self.p(_text(group_name), s.h1),
                self.p(escape(" · ".join(t for t in (status, score) if t)), s.small)]

    def group_answer(self, exercise: Exercise, index: int) -> list[Flowable]:
        """One group's work on the exercise, drawn by the same section code as its group
        output, under the group's name; then the facilitator's feedback."""
        _, s = self._, self.s
        group = self.report.groups[index]
        group_id, name = self.report.overview.groups[index]
        builder = self.group_builder(group)
        builder.across = lambda _b, ex: self.group_heading(ex, group_id, name)
        builder.report.release_feedback = False  # printed below, with the status
        story = builder.exercise_part(exercise)
        if not story:
            story = [*self.group_heading(exercise, group_id, name),
                     self.p(escape(_("No answer yet.")), s.small)]
        cell = self.report.overview.cell(group_id, exercise.id)
        if cell.feedback.strip():
            story.append(Spacer(1, 3))
            story.append(_table([[self.p(escape(_("Facilitator's feedback")), s.cell_bold),
                                  self.cell(cell.feedback)]], self.cols(1.3, 5), header=False))
        return story


# -- the overlay heat map ------------------------------------------------------------------------
def overlay_drawing(overlay: Overlay, _: Callable[[str], str], width: float) -> Drawing:
    """5x5 grid; each cell counts the ratings the groups put there and how many different
    risks they are: readable at 30 groups, where one label per risk and group is not.
    Fills are the level's (greyscale-safe), with the score in the corner and the level's
    name at the foot of each cell."""
    plural = ngettext_matching(_)
    font, bold = register_fonts()
    cell_h, label_w, bottom = 44.0, 60.0, 34.0
    x0 = label_w + 16
    cell_w = min(80.0, (width - x0 - 6) / 5)
    d = Drawing(width, bottom + 5 * cell_h + 4, initialFontName=font)
    counts = overlay.cell_counts()
    for lik in range(1, 6):
        for con in range(1, 6):
            x, y = x0 + (con - 1) * cell_w, bottom + (lik - 1) * cell_h
            level = level_of(overlay.bands, lik * con)
            ink = level_text_color(level)
            d.add(Rect(x, y, cell_w, cell_h, fillColor=level_fill(level),
                       strokeColor=colors.black, strokeWidth=0.6))
            d.add(String(x + 2.5, y + cell_h - 7.5, str(lik * con), fontName=bold,
                         fontSize=6.5, fillColor=ink))
            d.add(String(x + cell_w - 2.5, y + 2.5, level_name(level, _), fontName=font,
                         fontSize=5.5, fillColor=ink, textAnchor="end"))
            ratings, risks = counts.get((lik, con), (0, 0))
            if ratings:
                d.add(String(x + cell_w / 2, y + cell_h / 2 + 1, str(ratings), fontName=bold,
                             fontSize=12, fillColor=ink, textAnchor="middle"))
                note = plural("{count} risk", "{count} risks", risks).format(count=risks)
                d.add(String(x + cell_w / 2, y + cell_h / 2 - 8,
                             _shorten(note, font, 6, cell_w - 4), fontName=font,
                             fontSize=6, fillColor=ink, textAnchor="middle"))
    for lik in range(1, 6):
        y = bottom + (lik - 0.5) * cell_h
        d.add(String(x0 - 4, y + 1, str(lik), fontName=bold, fontSize=8, textAnchor="end"))
        d.add(String(x0 - 4, y - 8, _(LIKELIHOOD_LABELS[lik])[:18], fontName=font,
                     fontSize=6.5, textAnchor="end"))
    for con in range(1, 6):
        cx = x0 + (con - 0.5) * cell_w
        d.add(String(cx, bottom - 9, str(con), fontName=bold, fontSize=8,
                     textAnchor="middle"))
        d.add(String(cx, bottom - 17, _(CONSEQUENCE_LABELS[con])[:18], fontName=font,
                     fontSize=6.5, textAnchor="middle"))
    d.add(String(x0 + 2.5 * cell_w, 2, _("Consequence"), fontName=bold, fontSize=9,
                 textAnchor="middle"))
    d.add(String(2, bottom + 5 * cell_h - 2, _("Likelihood"), fontName=bold, fontSize=9))
    return d


# -- documents ----------------------------------------------------------------------------------
def _language_tab(parts: _Parts) -> Flowable:
    table = Table([[parts.p(f"<b>{escape(LANGUAGE_NAMES.get(parts.lang, parts.lang))}</b>",
                            parts.s.cell)]], colWidths=[parts.width])
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), TAB_FILL),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.8, GRID),
                               ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def interleave(builders: list[_Parts], parts_of: Callable[[_Parts], list[list[Flowable]]]
               ) -> list[Flowable]:
    """One language: its parts in order. Two: part 1 in each language, then part 2..."""
    per_lang = [parts_of(b) for b in builders]
    story: list[Flowable] = []
    if len(builders) == 1:
        for part in per_lang[0]:
            story += part
        return story
    for index in range(len(per_lang[0])):
        for builder, parts in zip(builders, per_lang, strict=True):
            part = parts[index]
            if isinstance(part, Shared):
                if builder is builders[0]:
                    story += part
                continue
            if not part:
                continue
            # A page break leading a part stays before the tab, not between tab and text.
            lead = []
            while part and isinstance(part[0], PageBreak | CondPageBreak):
                lead.append(part[0])
                part = part[1:]
            # The tab keeps with what follows it: never alone at the foot of a page.
            story += [*lead, KeepTogether([_language_tab(builder), Spacer(1, 4), part[0]]),
                      *part[1:]]
    return story


def _render(path: Path, builders: list[_Parts], story: list[Flowable], title: str,
            subject: str, header: str, progress: Progress | None,
            is_cancelled: Callable[[], bool] | None) -> None:
    """Lay out `story` with the page furniture and bookmarks of the first language; the
    metadata name both languages of a bilingual print."""
    first = builders[0]
    nav = first.nav
    names = [LANGUAGE_NAMES.get(b.lang, b.lang) for b in builders]
    furniture = Furniture(first._, first.font, first.width, nav, header=header,
                          footer=" · ".join((f"rmdesk {first.version}", subject)))
    if len(builders) > 1:
        subject = f"{subject} ({' / '.join(names)})"
    doc = a4_document(path, title=title, subject=subject, version=first.version,
                      lang=first.lang, font=first.font, on_page=furniture,
                      keywords=", ".join(b.lang.replace("_", "-") for b in builders))
    total = [max(1, len(story))]

    def on_progress(kind: str, value: int) -> None:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled
        if kind == "SIZE_EST":
            total[0] = max(1, value)
        elif kind == "PROGRESS" and progress is not None:
            progress(min(value, total[0]), total[0])

    doc.setProgressCallBack(on_progress)
    build_navigated(doc, story, nav, furniture, first.bold)


def _builders(report: WorkshopReport, langs: tuple[str, ...]) -> list[_Parts]:
    nav = Navigation()
    return [_Parts(report, lang, nav) for lang in langs]


def build_consolidated_pdf(report: WorkshopReport, langs: tuple[str, ...], path: Path,
                           progress: Progress | None = None,
                           is_cancelled: Callable[[], bool] | None = None) -> None:
    builders = _builders(report, langs)

    def parts(b: _Parts) -> list[list[Flowable]]:
        result = [b.cover(b._("Workshop report")), Shared([ContentsSlot(b.nav)]),
                  b.dashboard(), b.overlay(),
                  b.leaderboard(), b.debrief(), b.case()]
        for index in range(len(report.groups)):
            result += b.group_parts(index)
        return result

    story = interleave(builders, parts)
    first = builders[0]
    _render(path, builders, story, f"{report.workshop_title} · {first._('Workshop report')}",
            first._("Workshop report"), report.workshop_title, progress, is_cancelled)


def build_exercise_pdf(report: WorkshopReport, exercise: Exercise, langs: tuple[str, ...],
                       path: Path, progress: Progress | None = None,
                       is_cancelled: Callable[[], bool] | None = None) -> None:
    """One exercise, every group's answer under the model answer."""
    builders = _builders(report, langs)

    def parts(b: _Parts) -> list[list[Flowable]]:
        # The instructions and model answer stand as the cover: the contents follows.
        result = [b.exercise_intro(exercise) + [PageBreak()], Shared([ContentsSlot(b.nav)])]
        if exercise.kind == "register_analysis":
            result.append(b.overlay())
        elif exercise.kind == "targeting":
            result.append(b.leaderboard())
        result += [b.group_answer(exercise, index) for index in range(len(report.groups))]
        return result

    story = interleave(builders, parts)
    first = builders[0]
    title = exercise_title(exercise, first.lang)
    _render(path, builders, story, f"{report.workshop_title} · {title}", title,
            f"{report.workshop_title} · {title}", progress, is_cancelled)


def build_bilingual_group_pdf(group: GroupReport, langs: tuple[str, ...], path: Path,
                              is_cancelled: Callable[[], bool] | None = None) -> None:
    """A group output in one or two languages (two: each part in both, alternating)."""
    builders = [_Builder(group, lang) for lang in langs]
    nav = Navigation()
    for builder in builders:
        builder.nav = nav
    views = []
    for builder in builders:  # _language_tab and _render want _Parts' few attributes
        view = _Parts.__new__(_Parts)
        view.lang, view._, view.font, view.bold = builder.lang, builder._, builder.font, \
            builder.bold
        view.s, view.width, view.version = builder.s, builder.width, builder.version
        view.nav = nav
        views.append(view)
    by_view = dict(zip((id(v) for v in views), builders, strict=True))

    def parts(view: _Parts) -> list[list[Flowable]]:
        builder = by_view[id(view)]
        return [builder.cover(), Shared([ContentsSlot(nav)]), builder.case()] + [
            p for _e, p in builder.exercise_parts()]

    story = interleave(views, parts)
    first = views[0]
    _render(path, views, story, f"{group.workshop_title} · {group.group_name}",
            first._("Group output"), f"{group.workshop_title} · {group.group_name}",
            None, is_cancelled)


__all__ = ["Cancelled", "WorkshopReport", "build_bilingual_group_pdf",
           "build_consolidated_pdf", "build_exercise_pdf", "interleave", "overlay_drawing"]
