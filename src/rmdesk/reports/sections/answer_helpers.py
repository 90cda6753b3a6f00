"""Small helpers shared by the E1, E4 and E5 PDF sections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from rmdesk.domain.checks import Finding


def escape_text(value: str) -> str:
    """User or translated text as Paragraph markup: escaped, line breaks kept."""
    return escape(value.strip()).replace("\n", "<br/>")


def findings_block(b: Any, findings: list[Finding],
                   render: Callable[[Finding, Callable[[str], str]], str]) -> list[Flowable]:
    """The automatic feedback under a section, in the PDF's language."""
    if not findings:
        return []
    return [*b.heading(b._("Feedback"), top=False),
            b._findings(findings, lambda f, tr, _pct: render(f, tr))]
