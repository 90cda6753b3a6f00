"""Where files go by default, and where Qt keeps its own settings, so that rmdesk writes
nothing outside its data folder unless the user picks a place (portable mode on a USB
stick, --data-dir on a shared laptop).

The folder last used for PDFs, exports and imports is remembered per laptop in the store
(Setting table). Before the first use: the Documents folder when it exists (it is never
created), else the data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from rmdesk.services import settings as keys
from rmdesk.services.settings import SettingsService
from rmdesk.store.database import Store

PDF_FOLDER = keys.PDF_FOLDER
EXCHANGE_FOLDER = keys.EXCHANGE_FOLDER
IMPORT_FOLDER = keys.IMPORT_FOLDER


def default_folder(store: Store, key: str) -> Path:
    saved = SettingsService(store).get(key)
    if saved and Path(saved).is_dir():
        return Path(saved)
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if docs and Path(docs).is_dir():
        return Path(docs)
    return Path(store.path).parent


def remember_folder(store: Store, key: str, path: Path | str) -> None:
    """Remember the folder of `path` (a file written or read, or a folder)."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    try:
        SettingsService(store).set(key, str(folder))
    except Exception:  # noqa: BLE001 - a read-only store must not stop a print or export
        pass


def keep_qt_settings_in(data_dir: Path) -> None:
    """Qt's file dialogs remember their history in QSettings("QtProject"), which would be
    ~/.config/QtProject.conf (or the Windows registry): keep it in the data folder."""
    folder = str(Path(data_dir) / "qt-settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # Windows: not the registry
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        # Both formats: on Unix they are one, and Ini's path alone is ignored once any
        # QSettings has been opened (the platform theme opens one at start-up).
        for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            QSettings.setPath(fmt, scope, folder)
