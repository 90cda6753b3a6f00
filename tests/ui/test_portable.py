"""Portable means portable (issue 11 item 9): with --data-dir (or the portable marker)
printing, exporting and importing write nothing outside the data folder: no
~/.config/QtProject.conf from Qt's file dialogs, no ~/Documents; the folders used are
remembered in the store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rmdesk.services.settings import SettingsService
from rmdesk.store.database import open_store


def test_print_export_and_import_write_nothing_outside_the_data_folder(tmp_path) -> None:
    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_STATE_HOME=str(home / ".local/state"),
               PYTHONPATH=str(root))
    env.pop("RMDESK_DATA_DIR", None)
    done = subprocess.run([sys.executable, str(root / "tests/ui/portable_driver.py"),
                           str(data)], env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    pdf, exported = (Path(line) for line in done.stdout.splitlines())
    written_home = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    # Fontconfig may cache fonts it had to scan; that is the system's, not rmdesk's.
    assert [p for p in written_home if "fontconfig" not in p] == []
    assert pdf.parent == data and pdf.is_file()  # no Documents folder: the data folder
    assert exported.parent == data and exported.is_file()
    assert list((data / "qt-settings").rglob("QtProject*"))  # the file dialog's history
    store = open_store(data)
    try:
        settings = SettingsService(store)
        assert settings.get("folder.pdf") == str(data)
        assert settings.get("folder.exchange") == str(data)
        assert settings.get("folder.import") == str(data)
    finally:
        store.close()
