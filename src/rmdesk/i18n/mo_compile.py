"""Compile .po catalogs to .mo with babel.

Self-contained (imports nothing from rmdesk) so the build hook can load it by path.
"""

from __future__ import annotations

from pathlib import Path

DOMAIN = "rmdesk"


def compile_catalogs(src: Path, dest: Path, *, only_stale: bool = False) -> list[Path]:
    """Compile src/<lang>/LC_MESSAGES/rmdesk.po into dest/<lang>/LC_MESSAGES/rmdesk.mo."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written: list[Path] = []
    for po in sorted(src.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        mo = dest / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if only_stale and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain=DOMAIN)
        mo.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        tmp.replace(mo)
        written.append(mo)
    return written
