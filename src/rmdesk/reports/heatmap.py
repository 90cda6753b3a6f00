"""The 5x5 likelihood x consequence heat map as a reportlab Drawing.

Workshop rooms print in black and white, so a level never relies on hue alone: the four
fills step clearly in lightness, and every cell also names its level and shows its score.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from rmdesk.domain.register import RiskEntry, heat_map_cells
from rmdesk.domain.scales import (
    CONSEQUENCE_LABELS,
    LEVEL_LABELS,
    LIKELIHOOD_LABELS,
    SCALE_MAX,
    SCALE_MIN,
    RiskBands,
)
from rmdesk.reports.fonts import register_fonts

# Grey equivalents (Rec. 601 luma) ≈ 0.95, 0.83, 0.62, 0.27: distinct on a mono printer.
LEVEL_FILLS: dict[str, colors.Color] = {
    "low": colors.HexColor("#eef7e8"),
    "medium": colors.HexColor("#fbd66b"),
    "high": colors.HexColor("#ef8a3a"),
    "extreme": colors.HexColor("#a8182a"),
}
DARK_LEVELS = frozenset({"extreme"})  # white text on these fills
_FALLBACK_FILL = colors.HexColor("#dddddd")  # a custom band with an unknown level name

_CELL_H = 46.0
_MAX_CELL_W = 72.0
_ROW_LABEL_W = 70.0
_AXIS_W = 14.0  # the rotated "Likelihood" title
_BOTTOM = 40.0  # column numbers, descriptors (two lines) and the "Consequence" title
_ID_SIZES = (8.5, 7.5, 6.5, 5.5)


def level_of(bands: RiskBands, score: int | None) -> str | None:
    """The band's level, or None when unrated or when workshop bands leave a gap."""
    if score is None:
        return None
    try:
        return bands.level_for(score)
    except ValueError:
        return None


def level_name(level: str | None, _: Callable[[str], str]) -> str:
    # Only known levels go through the catalog: gettext("") would return its header.
    return _(LEVEL_LABELS[level]) if level in LEVEL_LABELS else (level or "")


def level_fill(level: str | None) -> colors.Color:
    return LEVEL_FILLS.get(level or "", _FALLBACK_FILL)


def level_text_color(level: str | None) -> colors.Color:
    return colors.white if level in DARK_LEVELS else colors.black


def _wrap(tokens: list[str], font: str, size: float, width: float) -> list[str]:
    """Greedy wrap that never splits a token (an ID)."""
    lines: list[str] = []
    line = ""
    for token in tokens:
        candidate = f"{line} {token}" if line else token
        if line and stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = token
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _tokens(ids: list[str], more: int = 0) -> list[str]:
    tokens = [code + "," for code in ids[:-1]] + ids[-1:]
    return tokens + [f"+{more}"] if more else tokens


def fit_ids(
    ids: list[str], font: str, width: float, height: float
) -> tuple[float, list[str]]:
    """Font size and lines for a cell's IDs: shrink first, then end with '+N' if still full."""
    for size in _ID_SIZES:
        lines = _wrap(_tokens(ids), font, size, width)
        if len(lines) * size * 1.2 <= height and all(
            stringWidth(ln, font, size) <= width for ln in lines
        ):
            return size, lines
    size = _ID_SIZES[-1]
    max_lines = max(1, int(height // (size * 1.2)))
    for shown in range(len(ids) - 1, 0, -1):
        lines = _wrap(_tokens(ids[:shown], len(ids) - shown), font, size, width)
        if len(lines) <= max_lines:
            return size, lines
    return size, [f"+{len(ids)}"]


def _legend_width(bands: RiskBands, _: Callable[[str], str], font: str, bold: str) -> float:
    texts = [stringWidth(_("Risk level"), bold, 8)]
    for band in bands.bands:
        texts.append(stringWidth(level_name(band.level, _), bold, 7.5))
        texts.append(stringWidth(f"{band.low}–{band.high}", font, 7))
    return 20 + max(texts)


def heat_map_drawing(
    risks: list[RiskEntry],
    bands: RiskBands,
    _: Callable[[str], str],
    width: float,
) -> Drawing:
    """The map scaled to `width` points: grid left, legend right."""
    font, bold = register_fonts()
    legend_w = _legend_width(bands, _, font, bold)
    x0 = _AXIS_W + _ROW_LABEL_W + 6
    cell_w = min(_MAX_CELL_W, (width - x0 - 16 - legend_w) / 5)
    grid_w, grid_h = 5 * cell_w, 5 * _CELL_H
    height = _BOTTOM + grid_h + 4
    y0 = _BOTTOM
    d = Drawing(width, height, initialFontName=font)  # not the renderer's Helvetica default
    cells = heat_map_cells(risks)

    for likelihood in range(SCALE_MIN, SCALE_MAX + 1):
        for consequence in range(SCALE_MIN, SCALE_MAX + 1):
            x = x0 + (consequence - 1) * cell_w
            y = y0 + (likelihood - 1) * _CELL_H
            score = likelihood * consequence
            level = level_of(bands, score)
            ink = level_text_color(level)
            d.add(
                Rect(x, y, cell_w, _CELL_H, fillColor=level_fill(level),
                     strokeColor=colors.black, strokeWidth=0.6)
            )
            d.add(String(x + 2.5, y + _CELL_H - 7.5, str(score), fontName=bold,
                         fontSize=6.5, fillColor=ink))
            d.add(String(x + cell_w - 2.5, y + 2.5, level_name(level, _),
                         fontName=font, fontSize=5.5, fillColor=ink, textAnchor="end"))
            ids = cells.get((likelihood, consequence), [])
            if ids:
                # IDs sit in the band between the score (top) and the level name (bottom).
                band_low, band_high = y + 8, y + _CELL_H - 9.5
                size, lines = fit_ids(ids, bold, cell_w - 6, band_high - band_low)
                lead = size * 1.2
                top = (band_low + band_high) / 2 + len(lines) * lead / 2 - size * 0.95
                for i, line in enumerate(lines):
                    d.add(String(x + cell_w / 2, top - i * lead, line, fontName=bold,
                                 fontSize=size, fillColor=ink, textAnchor="middle"))

    # Row descriptors: "5" then "Almost certain", right-aligned against the grid.
    for likelihood in range(SCALE_MIN, SCALE_MAX + 1):
        label = simpleSplit(_(LIKELIHOOD_LABELS[likelihood]), font, 7, _ROW_LABEL_W - 4)
        lines = [(str(likelihood), bold, 8.0)] + [(t, font, 7.0) for t in label]
        mid = y0 + (likelihood - 0.5) * _CELL_H
        top = mid + len(lines) * 9 / 2 - 7
        for i, (text, face, size) in enumerate(lines):
            d.add(String(x0 - 4, top - i * 9, text, fontName=face, fontSize=size,
                         textAnchor="end"))
    # Column descriptors under the grid.
    for consequence in range(SCALE_MIN, SCALE_MAX + 1):
        cx = x0 + (consequence - 0.5) * cell_w
        label = simpleSplit(_(CONSEQUENCE_LABELS[consequence]), font, 7, cell_w - 2)[:2]
        lines = [(str(consequence), bold, 8.0)] + [(t, font, 7.0) for t in label]
        for i, (text, face, size) in enumerate(lines):
            d.add(String(cx, y0 - 9 - i * 8.5, text, fontName=face, fontSize=size,
                         textAnchor="middle"))

    # Axis titles.
    d.add(String(x0 + grid_w / 2, 2, _("Consequence"), fontName=bold, fontSize=9,
                 textAnchor="middle"))
    title = Group(String(0, 0, _("Likelihood"), fontName=bold, fontSize=9,
                         textAnchor="middle"))
    title.transform = (0, 1, -1, 0, 9, y0 + grid_h / 2)  # rotated 90° anticlockwise
    d.add(title)

    # Legend, highest level on top as in the grid.
    lx = x0 + grid_w + 16
    ly = y0 + grid_h - 10
    d.add(String(lx, ly, _("Risk level"), fontName=bold, fontSize=8))
    for i, band in enumerate(reversed(bands.bands)):
        top = ly - 10 - i * 26
        d.add(Rect(lx, top - 16, 14, 16, fillColor=level_fill(band.level),
                   strokeColor=colors.black, strokeWidth=0.6))
        d.add(String(lx + 20, top - 7, level_name(band.level, _),
                     fontName=bold, fontSize=7.5))
        d.add(String(lx + 20, top - 16, f"{band.low}–{band.high}", fontName=font,
                     fontSize=7))
    return d
