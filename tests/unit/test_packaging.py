"""Packaging metadata stays consistent with the code (the build itself runs in .ci/run)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from rmdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"


def test_metainfo_names_this_version_and_the_desktop_file() -> None:
    tree = ET.parse(LINUX / "org.rmdesk.rmdesk.metainfo.xml")
    releases = [r.get("version") for r in tree.iter("release")]
    assert releases[0] == __version__, "add a <release> for the new version"
    assert tree.findtext("launchable") == "rmdesk.desktop"


def test_desktop_entry_starts_rmdesk_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(LINUX / "rmdesk.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Exec"] == "rmdesk" and section["Icon"] == "rmdesk"
    for lang in ("es", "pt_BR", "fr"):
        assert section[f"Comment[{lang}]"]


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli not installed")
def test_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--pedantic",
         str(LINUX / "org.rmdesk.rmdesk.metainfo.xml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_inno_setup_and_spec_ship_what_the_app_reads_at_run_time() -> None:
    spec = (ROOT / "packaging" / "rmdesk.spec").read_text()
    for needed in ('"resources"', '"locale"', '"migrations"'):
        assert needed in spec
    assert (ROOT / "src" / "rmdesk" / "store" / "migrations" / "env.py").is_file()
    iss = (ROOT / "packaging" / "windows" / "rmdesk.iss").read_text()
    assert "BrazilianPortuguese.isl" in iss and "rmdesk.exe" in iss
