"""The one place that knows where resources, catalogs and user data live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "rmdesk"
PACKAGE_DIR = Path(__file__).resolve().parent
# A source checkout has resources/ and translations/ at the repository root; an installed
# wheel carries resources inside the package (see pyproject's force-include).
_REPO_ROOT = PACKAGE_DIR.parent.parent


def resources_dir() -> Path:
    packaged = PACKAGE_DIR / "resources"
    # The wheel and the PyInstaller bundle both put resources/ inside the package.
    return packaged if packaged.is_dir() else _REPO_ROOT / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def builtin_content_dir() -> Path:
    return resources_dir() / "content"


def locale_dir() -> Path:
    """Compiled .mo catalogs (a build product, see packaging/hatch_build.py)."""
    return PACKAGE_DIR / "locale"


def translations_source_dir() -> Path | None:
    """The .po sources, present only in a source checkout."""
    path = _REPO_ROOT / "translations"
    return path if path.is_dir() else None


def portable_marker_dir() -> Path:
    """Where a file named `portable` switches rmdesk to keep its data beside itself."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return PACKAGE_DIR.parent


def default_data_dir() -> Path:
    base = portable_marker_dir()
    if (base / "portable").exists():
        return base / "rmdesk-data"
    env = os.environ.get("RMDESK_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs  # kept local: only needed when no folder was given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


STORE_FILENAME = "rmdesk.sqlite3"
CACHE_DIRNAME = "cache"


def cache_dir(data_dir: Path) -> Path:
    """What can be rebuilt at any time (parsed content packs), kept in the data folder so
    that portable mode writes nothing outside its own folder."""
    return Path(data_dir) / CACHE_DIRNAME
