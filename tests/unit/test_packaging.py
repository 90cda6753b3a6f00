"""Packaging metadata stays consistent with the code (the build itself runs in .ci/run)."""

from __future__ import annotations

import configparser
import datetime as dt
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


# -- issue 17: what the bundle leaves out, the .deb's documents, the CI workflow ------------

import argparse  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, str(ROOT / "packaging"))
import bundle_filter  # noqa: E402
import manpage  # noqa: E402

from rmdesk.app import build_parser  # noqa: E402

QT = "PySide6/Qt"


@pytest.mark.parametrize(("dest", "kept"), [
    (f"{QT}/plugins/platforms/libqxcb.so", True),
    (f"{QT}/plugins/platforms/libqwayland.so", True),
    (f"{QT}/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    (f"{QT}/plugins/platforms/libqcocoa.dylib", True),
    (f"{QT}/plugins/platforms/libqeglfs.so", False),
    (f"{QT}/plugins/platforms/libqvnc.so", False),
    (f"{QT}/plugins/platformthemes/libqgtk3.so", False),
    (f"{QT}/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
    (f"{QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
    (f"{QT}/plugins/printsupport/libcupsprintersupport.so", True),
    (f"{QT}/plugins/imageformats/libqsvg.so", True),
    (f"{QT}/plugins/imageformats/libqtiff.so", False),
    (f"{QT}/plugins/generic/libqevdevmouseplugin.so", False),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),  # a folder not listed: kept
    (f"{QT}/lib/libQt6Quick.so.6", False),
    (f"{QT}/lib/libQt6Qml.so.6", False),
    (f"{QT}/lib/libQt6OpenGL.so.6", False),
    (f"{QT}/lib/libQt6Pdf.so.6", True),
    (f"{QT}/lib/libQt6Network.so.6", True),  # Qt PDF links it
    ("PySide6\\Qt6Quick.dll", False),
    ("numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", True),
])
def test_bundle_keeps_what_rmdesk_loads_and_leaves_out_the_rest(dest: str, kept: bool) -> None:
    assert bundle_filter.keep_entry(dest) is kept


def _all_parsers(parser: argparse.ArgumentParser):
    yield parser
    for _name, _help, sub in manpage._subparsers(parser):
        yield from _all_parsers(sub)


def test_manual_page_documents_every_command_and_option() -> None:
    page = manpage.render(build_parser(), "9.9", dt.date(2026, 1, 2))
    assert page.startswith('.TH RMDESK 1 "2026-01-02" "rmdesk 9.9"')
    assert "\n.SH NAME\nrmdesk \\- " in page
    parsers = list(_all_parsers(build_parser()))
    assert len(parsers) >= 8  # self-check, demo, report, pack..., export, import, facilitator
    for parser in parsers:
        assert manpage.roff(parser.prog) in page
        for action in parser._actions:
            if action.help != argparse.SUPPRESS and action.option_strings \
                    and not isinstance(action, argparse._HelpAction):
                for option in action.option_strings:
                    assert manpage.roff(option) in page, (parser.prog, option)


@pytest.mark.skipif(shutil.which("man") is None, reason="man not installed")
def test_manual_page_renders_without_warnings(tmp_path: Path) -> None:
    page = tmp_path / "rmdesk.1"
    page.write_text(manpage.render(build_parser(), __version__, dt.date.today()))
    result = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z",
                             str(page)], capture_output=True, text=True,
                            env={"LC_ALL": "C.UTF-8", "MANWIDTH": "80", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_debian_changelog_names_this_version() -> None:
    first = (LINUX / "changelog").read_text().splitlines()[0]
    assert first.startswith(f"rmdesk ({__version__}) "), "add a changelog entry"


def test_every_accepted_lintian_tag_says_why() -> None:
    lines = (LINUX / "lintian-overrides").read_text().splitlines()
    overrides = [i for i, line in enumerate(lines) if line.startswith("rmdesk: ")]
    assert overrides
    for index in overrides:
        above = lines[index - 1]
        assert above.startswith("#") or lines[index - 1].startswith("rmdesk: "), lines[index]


WORKFLOW = ROOT / ".github" / "workflows" / "build.yml"


def test_workflow_builds_and_checks_on_three_systems() -> None:
    yaml = pytest.importorskip("yaml")
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    assert {"linux", "windows", "macos"} <= set(jobs)
    for name, job in jobs.items():
        script = "\n".join(step.get("run", "") for step in job["steps"])
        assert "packaging/build.py" in script and "self-check" in script, name
        assert any("upload-artifact" in step.get("uses", "") for step in job["steps"]), name
    assert "iscc" in "\n".join(s.get("run", "") for s in jobs["windows"]["steps"])


def _actionlint() -> str | None:
    return shutil.which("actionlint") or next(
        (str(p) for p in [Path(sys.executable).parent / "actionlint"] if p.exists()), None)


@pytest.mark.skipif(_actionlint() is None, reason="actionlint not installed (.[package])")
def test_workflow_passes_actionlint() -> None:
    result = subprocess.run([_actionlint(), str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_links_to_left_out_libraries_go_with_them() -> None:
    kept = {"PySide6/Qt/lib/libQt6Core.so.6"}
    entries = [("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
               ("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
               ("PySide6/Qt/lib/libQt6Core.so.6", "/site/libQt6Core.so.6", "BINARY")]
    assert [e[0] for e in bundle_filter.drop_dangling_links(entries, kept)] == [
        "libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6"]


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("readelf") is None
                    or not Path("/lib/x86_64-linux-gnu/libcups.so.2").exists(),
                    reason="needs readelf and the host's libcups2 (x86_64 Debian)")
def test_libcups_and_what_only_it_links_are_left_to_the_host() -> None:
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt/plugins/printsupport/libcupsprintersupport.so"
    system = "/lib/x86_64-linux-gnu/"
    binaries = [("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", str(plugin),
                 "BINARY"),
                ("libcups.so.2", system + "libcups.so.2", "BINARY"),
                ("libgnutls.so.30", system + "libgnutls.so.30", "BINARY"),
                ("libxkbcommon.so.0", system + "libxkbcommon.so.0", "BINARY")]
    kept, dropped = bundle_filter.drop_unreachable_system_libraries(
        binaries, lambda entry: entry[1].startswith(system))
    # The plugin links libxkbcommon (kept) and libcups (left to the host, with GnuTLS).
    assert [e[0] for e in kept] == [binaries[0][0], "libxkbcommon.so.0"]
    assert sorted(dropped) == ["libcups.so.2", "libgnutls.so.30"]
