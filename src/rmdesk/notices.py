"""Third-party notices: which software rmdesk carries and under which licence.

The packaging build renders them from the installed distributions' own metadata (their
License-File entries) into THIRD-PARTY-NOTICES.txt inside the bundle and into the .deb's
Debian copyright file; Help > About > Licences shows that file, or, when rmdesk runs from
a pip install, renders the same notice from the installed metadata. No Qt here: the caller
passes Qt's version.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from rmdesk import __version__, paths

NOTICE_FILENAME = "THIRD-PARTY-NOTICES.txt"
RULE = "=" * 78
# Qt for Python ships no licence file in its wheels: the texts come from resources/licenses.
QT_DISTRIBUTIONS = ("pyside6-essentials", "pyside6-addons", "shiboken6")
_LICENCE_NAME = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT)", re.IGNORECASE)


class MissingLicence(Exception):  # noqa: N818 - a build failure, not a user error
    """A component would ship without its licence text."""


@dataclass(frozen=True)
class LicenceText:
    title: str
    text: str


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    texts: tuple[LicenceText, ...]
    note: str = ""
    # Where it sits in the bundle (globs, relative to the bundle's _internal folder):
    # the Debian copyright file's Files: fields.
    paths: tuple[str, ...] = field(default=())


def normalize(name: str) -> str:
    """PEP 503 name: what metadata, requirements and file names agree on."""
    return re.sub(r"[-_.\s]+", "-", name).lower()


def runtime_distributions(root: str = "rmdesk") -> list[metadata.Distribution]:
    """`root` and everything it requires at run time, as installed. Extras are skipped;
    other environment markers are not evaluated: a requirement whose marker is false is
    simply not installed (and one that is installed anyway costs a few lines)."""
    found: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = normalize(todo.pop())
        if name in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[name] = dist
        for line in dist.requires or []:
            requirement, _sep, marker = line.partition(";")
            if "extra" not in marker:
                todo.append(re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group())  # type: ignore[union-attr]
    return sorted(found.values(), key=lambda d: normalize(d.metadata["Name"]))


def licence_expression(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 60:
        return text
    classifiers = [c.rsplit("::", 1)[1].strip() for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return " OR ".join(classifiers) or "see the licence text"


def _licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    texts: list[tuple[str, str]] = []
    declared = dist.metadata.get_all("License-File") or []
    for name in declared:
        # Metadata 2.4 keeps them in .dist-info/licenses/, older wheels beside METADATA.
        text = dist.read_text(f"licenses/{name}") or dist.read_text(name)
        if text and text.strip():
            texts.append((name, text))
    if texts:
        return texts
    for file in dist.files or []:
        parts = Path(str(file)).parts
        if len(parts) >= 2 and parts[0].endswith(".dist-info") and _LICENCE_NAME.match(parts[-1]):
            text = file.read_text(encoding="utf-8", errors="replace")
            if text.strip():
                texts.append(("/".join(parts[1:]), text))
    return texts


def _resource_licence(filename: str) -> str:
    return (paths.resources_dir() / "licenses" / filename).read_text(encoding="utf-8")


def qt_note(qt_version: str, pyside_version: str) -> str:
    major_minor = ".".join(qt_version.split(".")[:2])
    return (
        f"rmdesk uses the Qt {qt_version} libraries and Qt for Python (PySide6 and "
        f"shiboken6 {pyside_version}) by The Qt Company under the GNU Lesser General Public "
        "License version 3 (LGPL-3.0); the LGPL adds permissions to the GNU General Public "
        "License version 3, and both texts follow.\n\n"
        "The Qt libraries are not modified. They are shipped as separate shared libraries "
        "(in the program's PySide6 folder; on Windows the Qt6*.dll files), so you may "
        "replace them with a compatible version built from modified sources.\n\n"
        "How to obtain the source code of exactly these versions:\n"
        f"  Qt {qt_version}: https://download.qt.io/official_releases/qt/{major_minor}/"
        f"{qt_version}/single/\n"
        f"  PySide6 and shiboken6 {pyside_version}: "
        f"https://download.qt.io/official_releases/QtForPython/pyside6/"
        f"PySide6-{pyside_version}-src/ or https://code.qt.io/cgit/pyside/pyside-setup.git/ "
        f"(tag v{pyside_version})\n\n"
        "Qt itself contains third-party components (ICU, PDFium, FreeType, HarfBuzz, "
        "libpng, zlib and others), listed with their licences at "
        "https://doc.qt.io/qt-6/licenses-used-in-qt.html."
    )


def distribution_component(dist: metadata.Distribution, *, qt_version: str = "",
                           paths_in_bundle: tuple[str, ...] = ()) -> Component:
    name, version = dist.metadata["Name"], dist.version
    texts = [LicenceText(title, text) for title, text in _licence_files(dist)]
    note = ""
    if normalize(name) in QT_DISTRIBUTIONS:
        texts += [LicenceText("LGPL-3.0", _resource_licence("LGPL-3.0.txt")),
                  LicenceText("GPL-3.0", _resource_licence("GPL-3.0.txt"))]
        note = qt_note(qt_version or version, version)
    if not texts:
        raw = (dist.metadata.get("License") or "").strip()
        if raw.count("\n") >= 2:  # some packages put the whole text in the License field
            texts.append(LicenceText("License (package metadata)", raw))
    if not texts:
        raise MissingLicence(f"{name} {version}: no licence text in its metadata")
    return Component(name, version, licence_expression(dist), tuple(texts), note,
                     paths_in_bundle)


def rmdesk_component() -> Component:
    for candidate in (paths.PACKAGE_DIR / "LICENSE", paths.PACKAGE_DIR.parent.parent / "LICENSE"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            break
    else:
        found = _licence_files(metadata.distribution("rmdesk"))
        if not found:
            raise MissingLicence("rmdesk: LICENSE not found")
        text = found[0][1]
    return Component("rmdesk", __version__, "MIT", (LicenceText("LICENSE", text),),
                     paths=("*",))


def python_component() -> Component:
    """The CPython interpreter and standard library that a frozen build carries."""
    version = ".".join(map(str, sys.version_info[:3]))
    base = Path(sys.base_prefix)
    short = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for candidate in (base / "lib" / short / "LICENSE.txt", base / "LICENSE.txt",
                      Path(f"/usr/share/doc/{short}/copyright")):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8", errors="replace")
            return Component("Python", version, "PSF-2.0", (LicenceText("LICENSE", text),),
                             paths=("libpython*", "python3*/*", "base_library.zip"))
    raise MissingLicence(f"Python {version}: LICENSE.txt not found under {base}")


def fonts_component() -> Component:
    text = (paths.fonts_dir() / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    return Component("DejaVu fonts", "2.37", "Bitstream-Vera AND LicenseRef-Arev-Fonts",
                     (LicenceText("LICENSE-DejaVu.txt", text),),
                     "The PDFs use DejaVu Sans (regular and bold), embedded in every PDF.",
                     ("rmdesk/resources/fonts/*",))


def render_text(components: list[Component]) -> str:
    """The notice as one plain-text document: a summary, then one section per component."""
    lines = [f"rmdesk {__version__}: licences", RULE, "",
             "rmdesk is free software under the MIT licence (the first section below). It "
             "includes the following software, each under its own licence, whose full text "
             "follows in a section of its own:", ""]
    lines += [f"  {c.name} {c.version}: {c.licence}" for c in components]
    for component in components:
        lines += ["", RULE, f"{component.name} {component.version}",
                  f"Licence: {component.licence}", RULE]
        if component.note:
            lines += ["", component.note]
        for text in component.texts:
            lines += ["", f"--- {text.title} ---", "", text.text.rstrip()]
    return "\n".join(lines) + "\n"


def parse_sections(notice: str) -> dict[str, str]:
    """Component name (normalized) -> the body of its section (licence texts included)."""
    parts = notice.split(RULE + "\n")
    sections: dict[str, str] = {}
    for header, body in zip(parts, parts[1:], strict=False):
        match = re.fullmatch(r"(.+) (\S+)\nLicence: [^\n]*\n", header)
        if match:
            sections[normalize(match.group(1))] = body
    return sections


def installed_components(qt_version: str = "") -> list[Component]:
    """What a pip install of rmdesk runs on (lenient: the dialog must always open)."""
    components = [rmdesk_component(), fonts_component()]
    for dist in runtime_distributions():
        if normalize(dist.metadata["Name"]) == "rmdesk":
            continue
        try:
            components.append(distribution_component(dist, qt_version=qt_version))
        except MissingLicence as exc:
            components.append(Component(dist.metadata["Name"], dist.version,
                                         licence_expression(dist), (), str(exc)))
    return components


def bundled_notice() -> Path:
    """Where the packaging build puts the rendered notice (beside the package)."""
    return paths.PACKAGE_DIR / NOTICE_FILENAME


def load_notice(qt_version: str = "") -> str:
    path = bundled_notice()
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return render_text(installed_components(qt_version))
