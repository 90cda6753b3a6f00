"""Hatch build hook: compile translations/*.po into the package's locale/ folder."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location(
            "rmdesk_mo_compile", root / "src" / "rmdesk" / "i18n" / "mo_compile.py"
        )
        module = importlib.util.module_from_spec(spec)
        assert spec.loader is not None
        spec.loader.exec_module(module)
        module.compile_catalogs(root / "translations", root / "src" / "rmdesk" / "locale")
