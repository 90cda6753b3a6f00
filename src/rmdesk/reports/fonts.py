"""DejaVu Sans for every PDF: reportlab's standard fonts stop at Latin-1 (no œ, “ ”, …)."""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from rmdesk import paths

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"

_lock = threading.Lock()  # reports may be built on a worker thread


def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) once; return (regular, bold) font names."""
    with _lock:
        if REGULAR not in pdfmetrics.getRegisteredFontNames():
            folder = paths.fonts_dir()
            pdfmetrics.registerFont(TTFont(REGULAR, str(folder / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
            # A family, so <b> inside a Paragraph switches to the bold face; no italic
            # face ships, so italics fall back to the upright ones rather than to Helvetica.
            pdfmetrics.registerFontFamily(
                REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
            )
            # A table cell of plain text (the empty cells of a spanned row) is set in
            # reportlab's base font, Helvetica, which no PDF of ours embeds: a PDF must
            # reference only the fonts it carries (pdffonts lists them as embedded).
            # A chart drawn without naming a font starts in Helvetica too.
            from reportlab.graphics import shapes
            from reportlab.platypus import tables

            tables.CellStyle.fontname = REGULAR
            shapes.STATE_DEFAULTS["fontName"] = REGULAR
    return REGULAR, BOLD
