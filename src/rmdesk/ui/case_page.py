"""The case study, shown in the current language with locale-formatted figures."""

from __future__ import annotations

import html

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from rmdesk.content.pack import ContentPack
from rmdesk.i18n import _, current_language
from rmdesk.i18n.formatting import format_number
from rmdesk.ui.common import Retranslatable


def case_html(pack: ContentPack, lang: str) -> str:
    case = pack.case
    parts = [f"<h1>{html.escape(case.title.get(lang))}</h1>",
             f"<p><i>{html.escape(case.summary.get(lang))}</i></p>"]
    if case.facts:
        parts.append(f"<h2>{html.escape(_('Key figures'))}</h2><table cellpadding='4'>")
        for fact in case.facts:
            value = format_number(round(fact.value, fact.decimals) if fact.decimals else
                                  int(round(fact.value)), lang)
            unit = fact.unit.get(lang) if fact.unit else ""
            parts.append(
                f"<tr><td>{html.escape(fact.label.get(lang))}</td>"
                f"<td align='right'><b>{html.escape(value)}</b></td>"
                f"<td>{html.escape(unit)}</td></tr>"
            )
        parts.append("</table>")
    for section in case.sections:
        parts.append(f"<h2>{html.escape(section.heading.get(lang))}</h2>")
        for paragraph in section.body.get(lang).split("\n\n"):
            if paragraph.strip():
                parts.append(f"<p>{html.escape(paragraph.strip())}</p>")
    return "\n".join(parts)


class CasePage(Retranslatable, QWidget):
    def __init__(self, pack: ContentPack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self._stale = True
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        QVBoxLayout(self).addWidget(self.browser)
        self.retranslate_ui()

    def set_pack(self, pack: ContentPack) -> None:
        self.pack = pack
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        # Built when first shown: formatting the figures loads babel's locale data,
        # which start-up need not wait for while another tab is showing.
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(case_html(self.pack, current_language()))
        self.browser.verticalScrollBar().setValue(scroll)
        self.browser.setAccessibleName(_("Case study"))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._stale:
            self.retranslate_ui()
        super().showEvent(event)
