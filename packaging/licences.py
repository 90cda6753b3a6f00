"""Build-time licence notices for what PyInstaller actually put in the bundle.

rmdesk.spec calls write_notices() with the Analysis tables: every file of the bundle is
traced to the Python distribution that installed it (its RECORD), to the interpreter, or,
for shared libraries PyInstaller took from the system, to the Debian package that owns
them (dpkg -S). Each gets its licence text from its own metadata; a distribution without
one stops the build (rmdesk.notices.MissingLicence).

Outputs in build/notices/: THIRD-PARTY-NOTICES.txt (shipped in the bundle and shown in
Help > About > Licences), copyright (the .deb's /usr/share/doc/rmdesk/copyright, Debian's
machine-readable format) and bundled.json (what was found, for the tests).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from rmdesk import __version__
from rmdesk.notices import (
    Component,
    LicenceText,
    MissingLicence,
    distribution_component,
    fonts_component,
    normalize,
    python_component,
    render_text,
    rmdesk_component,
)

# Licences Debian ships in /usr/share/common-licenses: the copyright file points there.
COMMON_LICENCES = {"LGPL-3.0-only": "LGPL-3", "GPL-2.0-only": "GPL-2", "GPL-3.0-only": "GPL-3",
                   "GPL-3.0": "GPL-3", "Apache-2.0": "Apache-2.0", "MPL-2.0": "MPL-2.0"}
SITE_DIRS = [Path(p).resolve() for p in sys.path if p and Path(p).is_dir()
             and ("site-packages" in p or "dist-packages" in p)]


def _owner_map() -> dict[str, str]:
    """site-packages-relative file path -> distribution name, from every RECORD."""
    owners: dict[str, str] = {}
    for dist in metadata.distributions():
        for file in dist.files or []:
            owners[str(file).replace("\\", "/")] = dist.metadata["Name"]
    return owners


def _site_relative(src: str) -> str | None:
    path = Path(src).resolve()
    for site in SITE_DIRS:
        if path.is_relative_to(site):
            return path.relative_to(site).as_posix()
    return None


def _module_distributions(modules: list[str]) -> set[str]:
    """Pure-Python modules (inside the program's archive) -> their distributions."""
    top_levels = metadata.packages_distributions()
    found: set[str] = set()
    for module in modules:
        for dist in top_levels.get(module.split(".")[0], []):
            found.add(dist)
    return found


def _debian_package(path: str) -> str | None:
    if shutil.which("dpkg") is None:
        return None
    real = os.path.realpath(path)
    # usrmerge: dpkg may know the file under /lib or under /usr/lib.
    candidates = {real, path}
    for p in list(candidates):
        if p.startswith("/usr/lib/"):
            candidates.add(p[len("/usr"):])
        elif p.startswith("/lib/"):
            candidates.add("/usr" + p)
    for candidate in sorted(candidates):
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    return None


def _debian_component(package: str, dests: list[str]) -> Component:
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                             capture_output=True, text=True).stdout.strip() or "?"
    copyright_file = Path("/usr/share/doc") / package / "copyright"
    if not copyright_file.is_file():
        raise MissingLicence(f"Debian package {package}: no {copyright_file}")
    return Component(
        package, version, "see the Debian copyright file",
        (LicenceText(f"Debian's {copyright_file}",
                     copyright_file.read_text(encoding="utf-8", errors="replace")),),
        "A system library PyInstaller copied from the Debian system the bundle was built "
        "on: " + ", ".join(sorted(dests)) + ".", tuple(sorted(dests)))


def _pyinstaller_component() -> Component:
    dist = metadata.distribution("pyinstaller")
    component = distribution_component(dist, paths_in_bundle=("../rmdesk",))
    note = ("The program's start-up executable is PyInstaller's bootloader, distributed "
            "under the GPL-2.0 with PyInstaller's bootloader exception, which allows it to "
            "be used with software under any licence.")
    return Component(component.name, component.version, component.licence, component.texts,
                     note, component.paths)


def bundle_components(pure: list[tuple[str, str, str]],
                      binaries: list[tuple[str, str, str]],
                      datas: list[tuple[str, str, str]]) -> tuple[list[Component], dict]:
    """Every component of the bundle, from PyInstaller's TOC entries (dest, src, kind)."""
    from PySide6.QtCore import qVersion

    owners = _owner_map()
    dist_paths: dict[str, set[str]] = {}
    system: dict[str, list[str]] = {}
    unknown: list[str] = []
    base = Path(sys.base_prefix).resolve()
    for dest, src, kind in binaries + datas:
        dest = dest.replace("\\", "/")
        if kind == "SYMLINK" or src is None or dest.startswith(("rmdesk/", "base_library.zip")):
            continue
        relative = _site_relative(src)
        if relative is not None:
            if relative in owners:
                top = dest.split("/")[0]
                dist_paths.setdefault(owners[relative], set()).add(
                    f"{top}/*" if "/" in dest else dest)
                continue
            if relative.startswith("rmdesk"):
                continue
            unknown.append(dest)
        elif Path(src).resolve().is_relative_to(base):
            continue  # libpython, lib-dynload: the Python component
        else:
            package = _debian_package(src)
            if package is None:
                unknown.append(dest)
            else:
                system.setdefault(package, []).append(dest)
    names = set(dist_paths) | _module_distributions([entry[0] for entry in pure])
    names.discard("rmdesk")
    names.discard("pyinstaller")  # its runtime hooks and bootloader: own component below
    qt_version = qVersion()
    components = [rmdesk_component(), fonts_component(), python_component(),
                  _pyinstaller_component()]
    for name in sorted(names, key=normalize):
        components.append(distribution_component(
            metadata.distribution(name), qt_version=qt_version,
            paths_in_bundle=tuple(sorted(dist_paths.get(name, ["../rmdesk"])))))
    components += [_debian_component(pkg, dests) for pkg, dests in sorted(system.items())]
    if unknown:
        components.append(Component(
            "Other files", "", "unknown", (),
            "Files whose origin the build could not trace (no Python distribution and no "
            "system package claims them): " + ", ".join(sorted(unknown)), tuple(unknown)))
    manifest = {"distributions": sorted(normalize(n) for n in names),
                "system_packages": sorted(system), "unknown": sorted(unknown)}
    return components, manifest


def _deb822_text(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return "\n".join(" " + line if line.strip() else " ." for line in lines)


def _short_licence(expression: str) -> str:
    """SPDX expression -> a Debian copyright short name expression."""
    tokens = re.split(r"\s+(AND|OR)\s+", expression)
    out = []
    for token in tokens:
        if token in ("AND", "OR"):
            out.append(token.lower())
        else:
            out.append(COMMON_LICENCES.get(token, re.sub(r"[\s()]+", "-", token).strip("-")))
    return " ".join(out)


def _copyright_lines(component: Component) -> list[str]:
    found: list[str] = []
    for text in component.texts:
        for line in text.text.splitlines():
            line = line.strip()
            if re.match(r"(Copyright\b|\(c\)|©)", line, re.IGNORECASE) and \
                    len(line) < 120 and line not in found:
                found.append(line)
    return found[:6] or [f"the {component.name} authors (see the licence text)"]


def debian_copyright(components: list[Component], prefix: str = "opt/rmdesk/_internal") -> str:
    """/usr/share/doc/rmdesk/copyright in Debian's machine-readable format 1.0."""
    paragraphs = [
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: rmdesk\n"
        "Upstream-Contact: rmdesk contributors\n"
        "Comment: rmdesk is installed as a self-contained bundle in /opt/rmdesk. The\n"
        " paragraphs below name every third-party component in it. The same notices,\n"
        " in plain text, are in " + prefix.removeprefix("opt") + "/rmdesk/THIRD-PARTY-NOTICES.txt"
        "\n and in rmdesk's Help > About > Licences."]
    used_common: set[str] = set()
    for component in components:
        if component.name == "rmdesk":
            files = "*"
        else:
            files = " ".join(
                "opt/rmdesk/rmdesk" if p == "../rmdesk" else f"{prefix}/{p}"
                for p in component.paths) or f"{prefix}/*"
        licence = _short_licence(component.licence) if component.texts else "unknown"
        if component.licence == "see the Debian copyright file":
            licence = f"other-{component.name}"
        lines = [f"Files: {files}",
                 "Copyright: " + "\n ".join(_copyright_lines(component))]
        tokens = re.split(r"\s+(?:AND|OR)\s+", component.licence)
        # By reference only when every licence named is one Debian ships; otherwise the
        # component's own texts go inline (e.g. "Apache-2.0 OR BSD-3-Clause").
        common = [COMMON_LICENCES[t] for t in tokens if t in COMMON_LICENCES]
        if len(common) < len(tokens):
            common = []
        comment = component.note
        used_common.update(common)
        if common:
            comment += "\n\nOn Debian systems the full texts of " + ", ".join(common) + \
                " are in /usr/share/common-licenses/."
            lines.append(f"License: {licence}")
        else:
            body = "\n\n".join(t.text.strip() for t in component.texts) or component.note
            lines.append(f"License: {licence}\n{_deb822_text(body)}")
        header = f"{component.name} {component.version}".strip()
        lines.append("Comment: " + header + ("\n" + _deb822_text(comment) if comment else ""))
        paragraphs.append("\n".join(lines))
    for name in sorted(used_common):
        paragraphs.append(f"License: {name}\n On Debian systems, the complete text of this "
                          f"licence is in\n /usr/share/common-licenses/{name}.")
    return "\n\n".join(paragraphs) + "\n"


def write_notices(out: Path, pure: list, binaries: list, datas: list) -> Path:
    components, manifest = bundle_components(pure, binaries, datas)
    out.mkdir(parents=True, exist_ok=True)
    notice = out / "THIRD-PARTY-NOTICES.txt"
    notice.write_text(render_text(components), encoding="utf-8")
    (out / "copyright").write_text(debian_copyright(components), encoding="utf-8")
    manifest["version"] = __version__
    (out / "bundled.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return notice
