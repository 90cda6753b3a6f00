"""Layering: the model, store, services, i18n and reports never pull in Qt, and the
start-up path stays light (no PDF engine, no migration machinery, no command or page
code until needed).

Each check runs in a fresh interpreter, because this test session has imported
everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

QT_FREE_PACKAGES = (
    "rmdesk.domain",
    "rmdesk.content",
    "rmdesk.services",
    "rmdesk.store",
    "rmdesk.i18n",
    "rmdesk.reports",
)
QT_BRIDGES = {"rmdesk.i18n.qt"}  # the one non-UI module allowed to talk to Qt


def run_python(code: str) -> dict[str, object]:
    """Run `code` in a fresh interpreter; it prints one JSON object as its last line."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_non_ui_layers_do_not_import_qt() -> None:
    found = run_python(
        f"""
        import importlib, json, pkgutil, sys
        imported = []
        for name in {QT_FREE_PACKAGES!r}:
            package = importlib.import_module(name)
            imported.append(name)
            for info in pkgutil.walk_packages(package.__path__, name + "."):
                if info.name not in {QT_BRIDGES!r}:
                    importlib.import_module(info.name)
                    imported.append(info.name)
        qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith("PySide6."))
        print(json.dumps({{"imported": imported, "qt": qt}}))
        """
    )
    imported = found["imported"]
    assert isinstance(imported, list)
    # the walk really reached the modules (a broken walk would pass vacuously)
    for module in ("rmdesk.domain.checks", "rmdesk.services.register", "rmdesk.store.models",
                   "rmdesk.i18n.formatting", "rmdesk.content.pack"):
        assert module in imported
    assert found["qt"] == [], f"Qt imported by a non-UI layer: {found['qt']}"


def test_start_up_path_leaves_pdf_and_migrations_unloaded() -> None:
    found = run_python(
        """
        import json, sys
        import rmdesk.app, rmdesk.store.database, rmdesk.services.register
        import rmdesk.services.targeting, rmdesk.content.pack
        rmdesk.content.pack.builtin_pack()  # validates the indicator bank's fields too
        heavy = ["reportlab", "alembic.command", "PySide6", "numpy"]
        print(json.dumps({"loaded": [m for m in heavy if m in sys.modules]}))
        """
    )
    assert found["loaded"] == []


# Loaded only when their feature is first used, never to show the first window.
NOT_FOR_THE_FIRST_WINDOW = (
    "reportlab", "alembic", "numpy",
    "tomllib",  # the built-in pack comes from the data folder's cache/ after the first start
    "rmdesk.content.problems", "rmdesk.content.locate",  # reporting faults of a pack
    "rmdesk.cli_pack", "rmdesk.cli_exchange", "rmdesk.cli_facilitator",  # see cli_parsers
    "rmdesk.services.facilitation",  # the progress overview, until the Workshop tab shows
    "rmdesk.ui.facilitator_page", "rmdesk.services.exchange", "rmdesk.services.reports",
)


def test_the_app_starts_without_what_the_first_window_does_not_need(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-m", "rmdesk", "demo", "--data-dir", str(data)],
                   env=env, capture_output=True, check=True, timeout=120)
    code = f"""
        import gc, json, sys
        from rmdesk.app import main
        code = main(["--data-dir", {str(data)!r}, "--exit-when-shown"])
        print(json.dumps({{"code": code, "gc": gc.isenabled(),
                           "loaded": [m for m in {NOT_FOR_THE_FIRST_WINDOW!r}
                                      if m in sys.modules]}}))
        """
    for start in ("first", "second"):  # the first start writes the cache the second reads
        result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        found = json.loads(result.stdout.strip().splitlines()[-1])
        assert found["code"] == 0
        assert found["gc"] is True  # paused while starting, collecting again afterwards
        if start == "second":
            assert found["loaded"] == []
    # what the cache keeps stays in the data folder (portable mode writes nowhere else)
    assert [p.name for p in (data / "cache").iterdir()] == ["builtin.builtin-practice.json"]
