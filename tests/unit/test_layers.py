"""Layering: the model, store, services, i18n and reports never pull in Qt, and the
start-up path stays light (no PDF engine, no migration machinery until needed).

Each check runs in a fresh interpreter, because this test session has imported
everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

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
