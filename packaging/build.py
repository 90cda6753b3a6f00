"""Build the artefacts and check them as a user would meet them.

    python packaging/build.py               # bundle + portable tarball + .deb, then checks
    python packaging/build.py --no-deb      # skip the .deb (e.g. on a machine without dpkg)
    python packaging/build.py --bundle-only # Windows, macOS (.github/workflows/build.yml)

Outputs in dist/: rmdesk/ (one-folder bundle), rmdesk-<version>-linux-<arch>-portable.tar.gz
and rmdesk_<version>_<arch>.deb; build/sizes.json, build/lintian.txt, build/plugins-*.log and
build/notices/ (the licence notices). Steps: catalogs, icons, PyInstaller (the spec leaves
out what rmdesk never loads and writes the notices), strip, self-check, the window with
Qt's plugin debugging (offscreen, Xvfb, Weston), portable mode, the .deb and lintian. Every
check runs the *built* program.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
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


def strip_binaries(bundle: Path) -> None:
    """Linux: strip debug symbols (lintian's unstripped-binary-or-object) and drop RUNPATHs
    that point at the build machine's Python (custom-library-search-path).

    Left alone: the libraries auditwheel vendored into *.libs/ (patchelf rewrote them;
    strip can corrupt such files) and PyInstaller's bootloader (its archive is appended).
    The checks that follow run the stripped program."""
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        print("strip: not on Linux or no strip; skipped")
        return
    patchelf = shutil.which("patchelf") or str(Path(sys.executable).parent / "patchelf")
    stripped = 0
    before = folder_size(bundle)
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink() or path == bundle / EXE:
            continue
        if any(part.endswith(".libs") for part in path.relative_to(bundle).parts):
            continue
        with path.open("rb") as f:
            if f.read(4) != b"\x7fELF":
                continue
        info = subprocess.run(["file", "-b", str(path)], capture_output=True, text=True).stdout \
            if shutil.which("file") else "not stripped"
        if "not stripped" in info:
            subprocess.run(["strip", "--strip-unneeded", "--remove-section=.comment",
                            "--remove-section=.note", str(path)], check=True)
            stripped += 1
        if Path(patchelf).exists():
            rpath = subprocess.run([patchelf, "--print-rpath", str(path)], capture_output=True,
                                   text=True).stdout.strip()
            outside = [p for p in rpath.split(":") if p and not p.startswith("$ORIGIN")]
            if outside:
                kept = ":".join(p for p in rpath.split(":") if p.startswith("$ORIGIN"))
                args = ["--set-rpath", kept] if kept else ["--remove-rpath"]
                subprocess.run([patchelf, *args, str(path)], check=True)
    print(f"stripped {stripped} files: {before / 2**20:.1f} -> "
          f"{folder_size(bundle) / 2**20:.1f} MiB")


# What Qt prints when a plugin or a library it needs is not there.
PLUGIN_FAILURES = re.compile(
    r"Cannot load library|cannot open shared object|Could not load the Qt platform plugin|"
    r"Could not find the Qt platform plugin|undefined symbol|is not a Qt plugin|"
    r"Failed to create|ModuleNotFoundError|ImportError")


def _gui_run(name: str, cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    log = result.stdout + result.stderr
    loaded = sorted(set(re.findall(r'plugins/([^"]+)" loaded library', log)))
    (BUILD / f"plugins-{name.split()[0]}.log").write_text(log)
    failures = [line for line in log.splitlines() if PLUGIN_FAILURES.search(line)]
    print(f"{name}: exit {result.returncode}; plugins loaded: {', '.join(loaded)}")
    assert result.returncode == 0 and not failures, \
        f"{name}: " + "\n".join(failures[:20] or log.splitlines()[-20:])


def check_plugins(bundle: Path) -> None:
    """The main window of the built program with Qt's plugin debugging on: offscreen
    always; on an X server (Xvfb) and on a Wayland compositor (Weston, headless) where
    they are installed. Nothing may be reported missing."""
    exe = str(bundle / EXE)
    with tempfile.TemporaryDirectory() as tmp:
        base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        base.update(QT_DEBUG_PLUGINS="1", RMDESK_DATA_DIR=tmp, XDG_CURRENT_DESKTOP="GNOME",
                    QT_IM_MODULE="ibus")
        _gui_run("offscreen", [exe, "--lang", "fr", "--screenshot", f"{tmp}/shot.png"],
                 dict(base, QT_QPA_PLATFORM="offscreen"))
        if shutil.which("xvfb-run"):
            _gui_run("xcb (Xvfb)", ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", exe,
                                    "--lang", "es", "--exit-when-shown"],
                     dict(base, QT_QPA_PLATFORM="xcb"))
        else:
            print("xvfb-run not found: the xcb run is skipped (apt-get install xvfb)")
        if shutil.which("weston"):
            runtime = Path(tmp) / "runtime"
            runtime.mkdir(mode=0o700)
            env = dict(base, XDG_RUNTIME_DIR=str(runtime))
            weston = subprocess.Popen(
                ["weston", "--backend=headless-backend.so", "--socket=rmdesk-check",
                 "--idle-time=0"], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            try:
                for _ in range(100):  # its socket appears once it listens
                    if (runtime / "rmdesk-check").exists():
                        break
                    time.sleep(0.1)
                _gui_run("wayland (Weston)", [exe, "--lang", "pt_BR", "--exit-when-shown"],
                         dict(env, QT_QPA_PLATFORM="wayland", WAYLAND_DISPLAY="rmdesk-check"))
            finally:
                weston.terminate()
                weston.wait(timeout=30)
        else:
            print("weston not found: the Wayland run is skipped (apt-get install weston)")


EXE = "rmdesk.exe" if sys.platform == "win32" else "rmdesk"


def check_bundle(bundle: Path) -> None:
    exe = bundle / EXE
    if sys.platform != "win32":  # rmdesk.exe is a windowed program: it has no stdout
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
    # left to the host (packaging/bundle_filter.py, HOST_LIBRARIES)
    "libcups2", "libgssapi-krb5-2",
))


def gzip_to(source: Path, target: Path) -> None:
    """gzip -9n: no name or time stamp inside, so the .deb is reproducible."""
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, mtime=0,
                       fileobj=target.open("wb")) as out:
        out.write(source.read_bytes())
    target.chmod(0o644)


def build_deb(bundle: Path, icons: Path) -> Path:
    arch = deb_arch()
    root = BUILD / "deb" / "root"
    shutil.rmtree(root.parent, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / "rmdesk", symlinks=True)
    for path in (root / "opt").rglob("*"):
        # Shared libraries and data need no execute bit (shared-library-is-executable);
        # only the program itself is run.
        if path.is_file() and not path.is_symlink() and path != root / "opt/rmdesk/rmdesk":
            path.chmod(0o644)
    (root / "usr" / "bin").mkdir(parents=True)
    # Policy 10.5: a link between top-level directories is absolute.
    (root / "usr" / "bin" / "rmdesk").symlink_to("/opt/rmdesk/rmdesk")
    share = root / "usr" / "share"
    doc = share / "doc" / "rmdesk"
    doc.mkdir(parents=True)
    shutil.copy(BUILD / "notices" / "copyright", doc / "copyright")
    gzip_to(ROOT / "packaging" / "linux" / "changelog", doc / "changelog.gz")
    (share / "man" / "man1").mkdir(parents=True)
    run([sys.executable, str(ROOT / "packaging" / "manpage.py"), "-o", str(BUILD / "rmdesk.1")])
    gzip_to(BUILD / "rmdesk.1", share / "man" / "man1" / "rmdesk.1.gz")
    (share / "lintian" / "overrides").mkdir(parents=True)
    shutil.copy(ROOT / "packaging" / "linux" / "lintian-overrides",
                share / "lintian" / "overrides" / "rmdesk")
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
    for needed in ("./usr/share/doc/rmdesk/copyright", "./usr/share/doc/rmdesk/changelog.gz",
                   "./usr/share/man/man1/rmdesk.1.gz", "THIRD-PARTY-NOTICES.txt"):
        assert needed in listing, f"{needed} missing from {deb.name}"
    with tempfile.TemporaryDirectory() as tmp:
        run(["dpkg-deb", "-x", str(deb), tmp])  # a throw-away root
        run([str(Path(tmp) / "opt" / "rmdesk" / "rmdesk"), "self-check"], env=offscreen_env())


def run_lintian(deb: Path) -> None:
    """Debian's own checks. Fails the build on any error not accepted, with its reason, in
    packaging/linux/lintian-overrides (installed in the package, where lintian reads it)."""
    if shutil.which("lintian") is None:
        print("lintian is not installed: this check is skipped (apt-get install lintian)")
        return
    # Without --show-overrides: with it, lintian counts accepted errors in its exit code.
    result = subprocess.run(["lintian", "--fail-on", "error", "--tag-display-limit", "0",
                             str(deb)], capture_output=True, text=True)
    report = result.stdout + result.stderr
    (BUILD / "lintian.txt").write_text(report)
    shown = [line for line in report.splitlines() if re.match(r"[EWIO]: ", line)]
    counts: dict[str, int] = {}
    for line in shown:
        key = line.split(" [")[0]
        counts[key] = counts.get(key, 0) + 1
    for key, count in sorted(counts.items()):
        print(f"  {count:4d}  {key}")
    errors = [line for line in shown if line.startswith("E: ")]
    assert result.returncode == 0 and not errors, "lintian errors:\n" + "\n".join(errors[:40])
    accepted = [line.split(" [")[0] for line in
                (ROOT / "packaging" / "linux" / "lintian-overrides").read_text().splitlines()
                if line.startswith("rmdesk: ")]
    print("lintian: no error; accepted (packaging/linux/lintian-overrides): "
          + ", ".join(a.removeprefix("rmdesk: ") for a in accepted))


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


def write_sizes(sizes: dict[str, int]) -> None:
    """build/sizes.json, for docs/packaging.md and anyone comparing two builds."""
    (BUILD / "sizes.json").write_text(json.dumps(
        {name: round(size / 2**20, 1) for name, size in sizes.items()}, indent=2) + "\n")
    for name, size in sizes.items():
        print(f"{name:9s} {size / 2**20:6.1f} MiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-deb", action="store_true", help="skip building the .deb")
    parser.add_argument("--bundle-only", action="store_true",
                        help="only the bundle and its checks (Windows, macOS: see "
                             ".github/workflows/build.yml)")
    args = parser.parse_args()
    step("translations")
    compile_catalogs(ROOT / "translations", ROOT / "src" / "rmdesk" / "locale")
    step("icons")
    icons = make_icons()
    step("PyInstaller one-folder bundle")
    bundle = pyinstaller()
    sizes = {"unstripped": folder_size(bundle)}
    step("strip")
    strip_binaries(bundle)
    step("self-check of the built program")
    check_bundle(bundle)
    step("Qt plugins: a GUI run with QT_DEBUG_PLUGINS=1")
    check_plugins(bundle)
    sizes["bundle"] = folder_size(bundle)
    if args.bundle_only:
        write_sizes(sizes)
        return 0
    step("portable mode")
    archive = check_portable(bundle)
    sizes["portable"] = archive.stat().st_size
    if not args.no_deb:
        step(".deb")
        deb = build_deb(bundle, icons)
        check_deb(deb)
        sizes["deb"] = deb.stat().st_size
        step("lintian")
        run_lintian(deb)
    step("artefacts")
    print(f"{bundle}\n{archive}" + (f"\n{deb}" if not args.no_deb else ""))
    write_sizes(sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
