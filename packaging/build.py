"""Build the Linux artefacts and check them as a user would meet them.

    python packaging/build.py            # bundle + .deb + portable tarball, then checks
    python packaging/build.py --no-deb   # skip the .deb (e.g. on a machine without dpkg)

Outputs in dist/: rmdesk/ (one-folder bundle), rmdesk_<version>_<arch>.deb and
rmdesk-<version>-linux-<arch>-portable.tar.gz. Every check runs the *built* program.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
BUILD = ROOT / "build"
sys.path.insert(0, str(ROOT / "src"))

from rmdesk import __version__  # noqa: E402
from rmdesk.i18n.mo_compile import compile_catalogs  # noqa: E402

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=True, text=True, **kwargs)  # type: ignore[call-overload]


def offscreen_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.update(extra)
    return env


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def make_icons() -> Path:
    """PNG sizes, .ico and .icns from the one SVG, rendered with Qt (no extra tool)."""
    out = BUILD / "icons"
    out.mkdir(parents=True, exist_ok=True)
    code = f"""
import sys
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
app = QGuiApplication([])
renderer = QSvgRenderer({str(ROOT / "resources" / "icons" / "rmdesk.svg")!r})
for size in {ICON_SIZES!r}:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    assert image.save({str(out)!r} + f"/rmdesk-{{size}}.png")
    if size == 256:
        assert image.save({str(out)!r} + "/rmdesk.ico")
        assert image.save({str(out)!r} + "/rmdesk.icns")
"""
    run([sys.executable, "-c", code], env=offscreen_env())
    return out


def pyinstaller() -> Path:
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"),
         str(ROOT / "packaging" / "rmdesk.spec")])
    return DIST / "rmdesk"


def check_bundle(bundle: Path) -> None:
    exe = bundle / "rmdesk"
    out = run([str(exe), "--version"], capture_output=True).stdout.strip()
    assert out == f"rmdesk {__version__}", out
    run([str(exe), "self-check"], env=offscreen_env())


def deb_arch() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


CONTROL = """Package: rmdesk
Version: {version}
Section: education
Priority: optional
Architecture: {arch}
Maintainer: rmdesk developers <rmdesk@example.org>
Installed-Size: {size_kib}
Depends: {depends}
Description: Workbook for customs risk-management workshops
 rmdesk guides groups of customs officers through the exercises of a
 risk-management workshop (risk register, likelihood x consequence analysis,
 heat map, automatic feedback) and prints group outputs as PDF. Works offline
 in English, Spanish, Brazilian Portuguese and French.
"""


# What the bundled Qt needs from the system (X11/Wayland, GL, fonts, D-Bus).
DEPENDS = ", ".join((
    "libc6", "libfontconfig1", "libfreetype6", "libglib2.0-0", "libxkbcommon0", "libegl1",
    "libgl1", "libdbus-1-3", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4",
    "libxcb-keysyms1", "libxcb-shape0",
))


def build_deb(bundle: Path, icons: Path) -> Path:
    arch = deb_arch()
    root = BUILD / "deb" / "root"
    shutil.rmtree(root.parent, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "rmdesk", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "rmdesk").symlink_to("../../opt/rmdesk/rmdesk")
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(ROOT / "packaging" / "linux" / "rmdesk.desktop", share / "applications")
    (share / "metainfo").mkdir(parents=True)
    shutil.copy(ROOT / "packaging" / "linux" / "org.rmdesk.rmdesk.metainfo.xml",
                share / "metainfo")
    for size in ICON_SIZES:
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy(icons / f"rmdesk-{size}.png", target / "rmdesk.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "icons" / "rmdesk.svg", scalable / "rmdesk.svg")
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(CONTROL.format(
        version=__version__, arch=arch, size_kib=folder_size(root) // 1024, depends=DEPENDS))
    deb = DIST / f"rmdesk_{__version__}_{arch}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(deb)])
    return deb


def check_deb(deb: Path) -> None:
    listing = run(["dpkg-deb", "-c", str(deb)], capture_output=True).stdout
    for needed in ("./usr/bin/rmdesk", "./usr/share/applications/rmdesk.desktop",
                   "./usr/share/metainfo/org.rmdesk.rmdesk.metainfo.xml",
                   "./usr/share/icons/hicolor/256x256/apps/rmdesk.png", "./opt/rmdesk/rmdesk",
                   "qtbase_fr.qm", "rmdesk/locale/pt_BR/LC_MESSAGES/rmdesk.mo",
                   "DejaVuSans.ttf", "builtin-practice.toml"):
        assert needed in listing, f"{needed} missing from {deb.name}"
    with tempfile.TemporaryDirectory() as tmp:
        run(["dpkg-deb", "-x", str(deb), tmp])  # a throw-away root
        run([str(Path(tmp) / "opt" / "rmdesk" / "rmdesk"), "self-check"], env=offscreen_env())


def check_portable(bundle: Path) -> Path:
    """The folder with a `portable` marker writes only beside itself (HOME stays empty)."""
    with tempfile.TemporaryDirectory() as tmp:
        usb = Path(tmp) / "usb" / "rmdesk"
        shutil.copytree(bundle, usb, symlinks=True)
        (usb / "portable").write_text("Keep rmdesk's data in rmdesk-data/ beside this file.\n")
        home = Path(tmp) / "home"
        home.mkdir()
        env = {k: v for k, v in offscreen_env().items() if not k.startswith("XDG_")}
        env.update(HOME=str(home), RMDESK_DATA_DIR="")
        exe = str(usb / "rmdesk")
        run([exe, "demo"], env=env)
        run([exe, "report", "--workshop", "Demo workshop", "--group", "Group 1", "--lang", "fr",
             "-o", str(usb / "group1-fr.pdf")], env=env)
        run([exe, "--lang", "es", "--screenshot", str(usb / "shot.png")], env=env)
        assert (usb / "rmdesk-data" / "rmdesk.sqlite3").is_file(), "store not beside the program"
        leaked = [str(p) for p in home.rglob("*")]
        assert not leaked, f"portable mode wrote outside its folder: {leaked}"
    archive = DIST / f"rmdesk-{__version__}-linux-{platform.machine()}-portable.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bundle, arcname="rmdesk")
        marker = BUILD / "portable"
        marker.write_text("Keep rmdesk's data in rmdesk-data/ beside this file.\n")
        tar.add(marker, arcname="rmdesk/portable")
    return archive


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-deb", action="store_true", help="skip building the .deb")
    args = parser.parse_args()
    step("translations")
    compile_catalogs(ROOT / "translations", ROOT / "src" / "rmdesk" / "locale")
    step("icons")
    icons = make_icons()
    step("PyInstaller one-folder bundle")
    bundle = pyinstaller()
    step("self-check of the built program")
    check_bundle(bundle)
    step("portable mode")
    archive = check_portable(bundle)
    deb = None
    if not args.no_deb:
        step(".deb")
        deb = build_deb(bundle, icons)
        check_deb(deb)
    step("artefacts")
    print(f"bundle   {bundle}  {folder_size(bundle) / 2**20:.1f} MiB")
    print(f"portable {archive}  {archive.stat().st_size / 2**20:.1f} MiB")
    if deb:
        print(f"deb      {deb}  {deb.stat().st_size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
