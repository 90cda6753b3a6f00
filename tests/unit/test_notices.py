"""Licence notices: every distribution rmdesk runs on, or that the bundle carries, appears
with its licence text; one without a licence stops the build."""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

import pytest

from rmdesk import notices
from rmdesk.notices import (
    MissingLicence,
    distribution_component,
    installed_components,
    normalize,
    parse_sections,
    render_text,
    runtime_distributions,
)

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "rmdesk" / "_internal"
sys.path.insert(0, str(ROOT / "packaging"))
import licences  # noqa: E402 - packaging/licences.py, the build-time half


def _licence_bodies(section: str) -> list[str]:
    """The texts after each '--- title ---' line of a section."""
    parts = section.split("\n--- ")[1:]
    return [part.split("---\n", 1)[1].strip() for part in parts if "---\n" in part]


def test_every_runtime_distribution_has_its_licence_text_in_the_notice() -> None:
    notice = render_text(installed_components("6.9.0"))
    sections = parse_sections(notice)
    dists = runtime_distributions()
    assert len(dists) >= 10  # rmdesk, PySide6, SQLAlchemy, numpy... (a broken walk fails)
    for dist in dists:
        name = normalize(dist.metadata["Name"])
        assert name in sections, f"{name} has no section in the notice"
        bodies = _licence_bodies(sections[name])
        assert bodies and all(bodies), f"{name}: no licence text"
    # What the issue names: Qt under the LGPL with where to get its source, and the fonts.
    qt = sections["pyside6-essentials"]
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in qt and "Version 3" in qt
    assert "https://download.qt.io/official_releases/qt/6.9/6.9.0/single/" in qt
    assert "Bitstream Vera" in sections["dejavu-fonts"]
    assert "Permission is hereby granted" in sections["rmdesk"]


def test_each_licence_file_of_a_distribution_is_quoted_verbatim() -> None:
    numpy = metadata.distribution("numpy")
    component = distribution_component(numpy)
    declared = numpy.metadata.get_all("License-File") or []
    assert len(component.texts) == len(declared) >= 1
    section = parse_sections(render_text([component]))["numpy"]
    for text in component.texts:
        assert text.text.strip() in section


def _fake_distribution(tmp_path: Path, with_licence: bool) -> metadata.Distribution:
    info = tmp_path / "unlicensed_thing-1.0.dist-info"
    info.mkdir()
    headers = "Metadata-Version: 2.4\nName: unlicensed-thing\nVersion: 1.0\nLicense: MIT\n"
    files = "unlicensed_thing-1.0.dist-info/METADATA,,\n"
    if with_licence:
        headers += "License-File: LICENSE\n"
        (info / "licenses").mkdir()
        (info / "licenses" / "LICENSE").write_text("Copyright 2026 Someone\nMIT terms\n")
        files += "unlicensed_thing-1.0.dist-info/licenses/LICENSE,,\n"
    (info / "METADATA").write_text(headers)
    (info / "RECORD").write_text(files)
    return metadata.PathDistribution(info)


def test_a_distribution_without_a_licence_text_stops_the_build(tmp_path: Path) -> None:
    with pytest.raises(MissingLicence, match="unlicensed-thing 1.0"):
        distribution_component(_fake_distribution(tmp_path, with_licence=False))


def test_a_declared_licence_file_is_found(tmp_path: Path) -> None:
    component = distribution_component(_fake_distribution(tmp_path, with_licence=True))
    assert component.licence == "MIT"
    assert [t.text for t in component.texts] == ["Copyright 2026 Someone\nMIT terms\n"]


def test_the_dialog_shows_the_bundled_notice_when_there_is_one(tmp_path, monkeypatch) -> None:
    bundled = tmp_path / notices.NOTICE_FILENAME
    bundled.write_text("the notice the build wrote\n", encoding="utf-8")
    monkeypatch.setattr(notices, "bundled_notice", lambda: bundled)
    assert notices.load_notice() == "the notice the build wrote\n"


def _paragraphs(text: str) -> list[dict[str, str]]:
    paragraphs = []
    for block in text.strip().split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith(" "):
                fields[key] += "\n" + line
            else:
                key, _sep, value = line.partition(":")
                assert key and " " not in key, f"not a field: {line!r}"
                fields[key] = value.strip()
        paragraphs.append(fields)
    return paragraphs


def test_debian_copyright_is_machine_readable_and_complete() -> None:
    components = installed_components("6.9.0")
    paragraphs = _paragraphs(licences.debian_copyright(components))
    assert paragraphs[0]["Format"].startswith("https://www.debian.org/doc/packaging-manuals/"
                                              "copyright-format/1.0")
    files = [p for p in paragraphs if "Files" in p]
    assert len(files) == len(components) and files[0]["Files"] == "*"
    standalone = {p["License"] for p in paragraphs if "Files" not in p and "License" in p}
    for paragraph in files:
        assert paragraph["Copyright"], paragraph["Files"]
        short, _sep, text = paragraph["License"].partition("\n")
        if not text.strip():  # a common licence: a License paragraph of its own
            for name in short.replace(" and ", " or ").split(" or "):
                assert any(s.startswith(name + "\n") for s in standalone), name


@pytest.mark.skipif(not (BUNDLE / "rmdesk" / notices.NOTICE_FILENAME).is_file(),
                    reason="no built bundle (python packaging/build.py)")
def test_built_bundle_carries_a_licence_for_every_distribution_in_it() -> None:
    """After `python packaging/build.py` (as .ci/run does): whatever the bundle holds from
    a Python distribution, that distribution's licence text is in the shipped notice."""
    sections = parse_sections((BUNDLE / "rmdesk" / notices.NOTICE_FILENAME).read_text())
    top_levels = metadata.packages_distributions()
    on_disk = set()
    for entry in BUNDLE.iterdir():
        name = entry.name.removesuffix(".libs")
        for dist in top_levels.get(name.split(".")[0], []):
            on_disk.add(normalize(dist))
    on_disk.discard("rmdesk")
    manifest = json.loads((ROOT / "build" / "notices" / "bundled.json").read_text())
    expected = on_disk | {normalize(n) for n in
                          manifest["distributions"] + manifest["system_packages"]}
    assert {"numpy", "pyside6-essentials", "sqlalchemy", "reportlab"} <= expected
    for name in expected:
        assert name in sections, f"{name} is bundled but not in the notice"
        assert any(_licence_bodies(sections[name])), f"{name}: no licence text"
    assert "python" in sections and "dejavu-fonts" in sections
    assert not manifest["unknown"], manifest["unknown"]
