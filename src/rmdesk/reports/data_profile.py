"""The data profile PDF: a data set's fields one after the other, each with its summary
(items, missing values, quantiles, date range) and its table of values, items, share and
non-compliance rate, for a group to design criteria on paper. Built in the language
passed in (numbers and dates formatted for it), headless, with no Qt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from rmdesk import __version__
from rmdesk.domain.data_profile import DataProfile, summary_lines, value_heading, value_rows
from rmdesk.i18n import gettext_for
from rmdesk.i18n.formatting import format_date, format_number, format_percent
from rmdesk.reports.fonts import register_fonts
from rmdesk.reports.group_output import (
    MARGIN,
    Furniture,
    _Styles,
    _table,
    a4_document,
    build_navigated,
)
from rmdesk.reports.navigation import Anchor, Navigation


def build_data_profile_pdf(profile: DataProfile, dataset_name: str, lang: str, path: Path,
                           printed_on: dt.date | None = None) -> None:
    """Write the profile of the data set `dataset_name` in `lang` to `path` (an OSError
    propagates)."""
    _ = gettext_for(lang)
    font, bold = register_fonts()
    s = _Styles(font, bold)
    width = A4[0] - 2 * MARGIN
    nav = Navigation()
    title = _("Data profile: {name}").format(name=dataset_name)
    furniture = Furniture(_, font, width, nav, title, _("rmdesk · data profile"))
    doc = a4_document(Path(path), title=title, subject=_("Data profile"),
                      version=__version__, lang=lang, font=font, on_page=furniture)

    def p(text: str, style: object = None) -> Paragraph:
        return Paragraph(escape(text), style or s.body)  # data set texts are text

    story: list[Flowable] = [p(title, s.title)]
    facts = [_("Items: {items}").format(items=format_number(profile.items, lang))]
    if profile.rate is not None:
        facts.append(_("Non-compliant items: {count} ({rate})").format(
            count=format_number(profile.non_compliant or 0, lang),
            rate=format_percent(profile.rate, lang, digits=1)))
    facts.append(_("Printed on {date}").format(
        date=format_date(printed_on or dt.date.today(), lang)))
    story += [p(" · ".join(facts), s.subtitle),
              p(_("For each field: how its values are spread over the items, and how "
                  "often the items with each value (or in each range, or month) were "
                  "found non-compliant. A value much above the overall rate is a "
                  "candidate criterion; a range tells where to set a threshold."), s.body)]
    widths = [width * w for w in (0.52, 0.16, 0.14, 0.18)]
    for field in profile.fields:
        label = profile.label(field.field, _)  # an own column: its header
        rows: list[list[object]] = [[Paragraph(escape(t), s.head) for t in (
            value_heading(field, _), _("Items"), _("Share of items"), _("Non-compliant"))]]
        rows += [[Paragraph(escape(cell), s.cell) for cell in cells]
                 for cells in value_rows(field, _, lang)]
        story += [CondPageBreak(70 * mm), Anchor(nav, label, 0), p(label, s.h2)]
        story += [p(line, s.small) for line in summary_lines(
            field, profile.non_compliant is not None, _, lang)]
        if len(rows) > 1:
            story.append(_table(rows, widths))
    build_navigated(doc, story, nav, furniture, bold)
