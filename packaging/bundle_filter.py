"""What the bundle leaves out: Qt modules and plugins rmdesk never loads, and the system
libraries only they needed.

PyInstaller's PySide6 hooks collect every plugin of every Qt module in use, and with them
the system libraries those plugins link (GTK with its ~40 libraries for the gtk3 theme,
Qt Quick and QML for the virtual keyboard). rmdesk.spec filters the Analysis tables with
keep_entry(), then drop_unreachable_system_libraries() removes what nothing kept links.
The build proves the result: the bundle's self-check and a GUI run with QT_DEBUG_PLUGINS=1
must show no plugin or library missing (packaging/build.py, check_plugins).
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import PurePosixPath

# Qt libraries only the dropped plugins or modules link (QML, Quick, the virtual keyboard,
# the eglfs/KMS embedded platforms, the wl-shell for embedded compositors, OpenGL).
UNUSED_QT_LIBRARIES = re.compile(
    r"Qt6(Qml|QmlMeta|QmlModels|QmlWorkerScript|Quick|VirtualKeyboard|VirtualKeyboardQml|"
    r"EglFSDeviceIntegration|EglFsKmsSupport|WlShellIntegration|OpenGL)\b")

# Plugin folder -> the plugins rmdesk loads (a substring of the file name). A folder not
# named here is kept whole (e.g. Windows' "styles"); one mapped to () is left out.
PLUGINS_KEPT: dict[str, tuple[str, ...]] = {
    # xcb and wayland for the desktop, offscreen for self-check, --screenshot and CI;
    # windows/cocoa on the other systems. Not eglfs, linuxfb, vnc, minimal, vkkhrdisplay.
    "platforms": ("qxcb", "qwayland", "qoffscreen", "qwindows", "qcocoa"),
    # Dead keys and accents (compose), input methods (ibus). Not the virtual keyboard,
    # which pulls in Qt Quick and QML.
    "platforminputcontexts": ("compose", "ibus"),
    # Portal dialogs under Flatpak/Snap. Not gtk3: it would bundle the build machine's
    # GTK, Pango, Cairo and ATK, which then meet the host's GTK modules and themes; Qt's
    # built-in GNOME theme and its own file dialog are used instead.
    "platformthemes": ("xdgdesktopportal",),
    "printsupport": ("cups",),  # the printer list of the print dialog
    # The icon theme's SVG icons (file dialog, message boxes); PNG is built into Qt.
    "imageformats": ("qsvg",),
    "iconengines": ("svgicon",),
    "wayland-shell-integration": ("xdg-shell",),
    "wayland-decoration-client": ("adwaita", "bradient"),
    # OpenGL integrations: loaded only when a window asks for an OpenGL context, and no
    # rmdesk widget does (the GUI run under Xvfb loads none). With them goes Qt6OpenGL.
    "xcbglintegrations": (),
    "wayland-graphics-integration-client": (),
    # evdev/libinput/tuio input for eglfs and linuxfb only; their device integrations.
    "generic": (),
    "egldeviceintegrations": (),
    # Qt Network's TLS backends and network information: rmdesk opens no connection.
    "tls": (),
    "networkinformation": (),
}


def keep_entry(dest: str) -> bool:
    """Whether a file PyInstaller collected (its path inside the bundle) stays."""
    path = PurePosixPath(dest.replace("\\", "/"))
    name = path.name
    if UNUSED_QT_LIBRARIES.search(name):  # the library, or PyInstaller's link to it
        return False
    if "plugins" in path.parts:
        index = path.parts.index("plugins")
        if "PySide6" in path.parts[:index] and len(path.parts) > index + 2:
            kept = PLUGINS_KEPT.get(path.parts[index + 1])
            if kept is not None:
                return any(key in name for key in kept)
    return True


# System libraries left to the host even though a kept file links them, because they are
# clients of the host's own services and configuration: libcups (the print service; it
# pulls in GnuTLS, Kerberos and Avahi, ≈ 10 MiB) and Kerberos' GSSAPI (linked by Qt
# Network for Negotiate authentication, which rmdesk never uses; ≈ 1.6 MiB with krb5).
# Every desktop Linux has both (the .deb depends on libcups2 and libgssapi-krb5-2); where
# libcups is missing only the CUPS print plugin fails to load (the print dialog prints to
# a file), and Qt Network, so the print preview, needs GSSAPI.
HOST_LIBRARIES = re.compile(r"^(libcups\.so|libgssapi_krb5\.so)")


def drop_dangling_links(entries: list, kept: set[str]) -> list:
    """PyInstaller's SYMLINK entries (dest, relative target) whose target was left out."""
    out = []
    for entry in entries:
        if entry[2] == "SYMLINK":
            dest = PurePosixPath(entry[0].replace("\\", "/"))
            target = posixpath.normpath(str(dest.parent / entry[1].replace("\\", "/")))
            if target not in kept:
                continue
        out.append(entry)
    return out


def _needed(path: str) -> list[str]:
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def drop_unreachable_system_libraries(binaries: list, is_system) -> tuple[list, list[str]]:
    """Linux only: keep a system library (one PyInstaller copied from /usr/lib) only when a
    kept binary still links it, directly or through another kept library."""
    if not sys.platform.startswith("linux") or shutil.which("readelf") is None:
        return binaries, []
    by_name: dict[str, tuple] = {}
    for entry in binaries:
        if entry[2] != "SYMLINK":
            by_name.setdefault(PurePosixPath(entry[0]).name, entry)
    reached: set[str] = set()
    todo = [entry for entry in binaries if entry[2] != "SYMLINK" and not is_system(entry)]
    while todo:
        entry = todo.pop()
        for soname in _needed(entry[1]):
            if HOST_LIBRARIES.match(soname):
                continue
            if soname in by_name and soname not in reached:
                reached.add(soname)
                todo.append(by_name[soname])
    kept, dropped = [], []
    for entry in binaries:
        if entry[2] != "SYMLINK" and is_system(entry) \
                and PurePosixPath(entry[0]).name not in reached:
            dropped.append(entry[0])
        else:
            kept.append(entry)
    return kept, dropped
