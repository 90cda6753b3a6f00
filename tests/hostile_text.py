"""Markup in every text a pack or a group supplies, and the rule that it shows literally.

MARK starts every injected text. Shown as text, it reads exactly as written; interpreted
as markup (Qt rich text, a reportlab paragraph), the tags vanish, "&amp;" becomes "&",
and the <img> pulls a local file in. `interpreted(shown)` tells, from what a reader sees
(or a PDF's extracted text), whether any part of a MARK was taken as markup: every "QB"
and "QF" must come right after its opening tag, and "&" must never stand before "Q"
(a text cut short with "…" keeps what it shows literal).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from rmdesk import paths
from rmdesk.content.loader import localized_texts
from rmdesk.content.pack import BUILTIN_PACK_FILE, ContentPack

MARK = '<b>QB</b><img src="/etc/passwd"/>&amp;Q<font size=99>QF</font> '


def interpreted(shown: str) -> bool:
    return bool(leaks(shown))


def leaks(shown: str) -> list[str]:
    """The places (with a little context) where a MARK was taken as markup."""
    squeezed = re.sub(r"\s+", "", shown)
    found = []
    for match in re.finditer(r"QB|&Q|QF", squeezed):
        before = squeezed[max(0, match.start() - 9):match.start()]
        if ((match.group() == "QB" and not before.endswith("<b>"))
                or match.group() == "&Q"
                or (match.group() == "QF" and not before.endswith("size=99>"))):
            found.append(squeezed[max(0, match.start() - 40):match.end() + 40])
    return found


def hostile_pack() -> ContentPack:
    """The built-in pack with MARK in front of every text in every language."""
    path = paths.builtin_content_dir() / BUILTIN_PACK_FILE
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for _loc, text in localized_texts(ContentPack, data, ()):
        for lang, value in list(text.items()):
            if isinstance(value, str) and value:
                text[lang] = MARK + value
    return ContentPack.model_validate(data)


def hostile_demo_data(name: str, original: Any) -> Any:
    """A demo file (services.demo._load) with MARK in front of every free text: strings
    with a space in them, where codes, ids, dates and choices have none."""
    def mark(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: mark(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v, key) for v in value]
        if isinstance(value, str) and " " in value.strip() and key not in _CODES:
            return MARK + value
        return value

    del name
    return mark(original)


# Demo keys whose values are parsed, not read: left alone so the demo still loads.
_CODES = {"formula", "start", "end", "due", "date", "status", "lane", "combinator"}


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def hostile_workshop(store: Any, monkeypatch: Any) -> tuple[str, list[str], ContentPack]:
    """The demo workshop with MARK in every typed text and feedback, every model answer
    revealed, on the hostile pack: (workshop id, group ids, pack)."""
    from rmdesk.services import demo
    from rmdesk.services.facilitation import FacilitationService
    from rmdesk.services.workshops import WorkshopService

    original = demo._load
    monkeypatch.setattr(demo, "_load", lambda name: hostile_demo_data(name, original(name)))
    workshop = demo.create_demo(store)
    monkeypatch.setattr(demo, "_load", original)
    pack = hostile_pack()
    groups = [g.id for g in WorkshopService(store).list_groups(workshop.id)]
    facilitation = FacilitationService(store)
    for exercise in pack.exercises:
        facilitation.set_revealed(workshop.id, exercise.id, True)
        for group_id in groups:
            facilitation.set_feedback(group_id, exercise.id, MARK + "feedback")
    return workshop.id, groups, pack
