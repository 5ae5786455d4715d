"""Which Qt pieces a frozen VCF Desktop keeps.

Shared by `vcf-desktop.spec` and the hello-window bundle of `benchmarks/bundle.py`, so both are
slimmed the same way. `--exclude-module` hardly shrinks a PySide6 bundle (notes §4, §6.8): the
plugins pull their libraries back in, so the Analysis TOCs are filtered instead, by path AND by
basename (PyInstaller also places top-level symlinks to the Qt libraries).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path, PurePath

# Python modules the app never imports (no network, no QML, no D-Bus API, no GUI toolkit besides Qt).
EXCLUDES = [
    "tkinter",
    # Test tools: pydantic.v1's hypothesis plugin would otherwise drag hypothesis (and pytest) in.
    "hypothesis",
    "pytest",
    "_pytest",
    "PySide6.QtNetwork",
    "PySide6.QtDBus",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
]

# Qt plugin folder -> plugin names kept (None keeps the whole folder). Folders not listed are dropped:
# wayland*, eglfs, generic input (evdev/tuio), tls, networkinformation, platformthemes (gtk3 pulls in
# the whole GTK stack), qmltooling, sqldrivers, designer, vectorimageformats.
KEEP_PLUGINS: dict[str, set[str] | None] = {
    # offscreen: CI and headless selftest; xcb: X11 and XWayland; windows/cocoa: the other systems.
    "platforms": {"qoffscreen", "qxcb", "qwindows", "qcocoa"},
    "xcbglintegrations": None,
    "imageformats": {"qsvg", "qico"},  # PNG is built into QtGui; ICO for Windows icons.
    "iconengines": {"qsvgicon"},
    "printsupport": None,  # CUPS on Linux; QPrintDialog needs it.
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
    "styles": None,  # native styles on Windows and macOS; none on Linux.
}

# Qt libraries no kept plugin or module needs, dropped by basename everywhere.
DROP_LIBS = re.compile(
    r"^(lib)?Qt6?(Network|Qml\w*|Quick\w*|Wayland\w*|WlShell\w*|EglFS\w*|EglFs\w*|VirtualKeyboard\w*)"
    r"(\.so.*|\.dll|\.dylib)?$"
)

# Linux: libraries the bundle takes from the target system instead (linux/system-libs.txt, which
# build_deb.sh turns into Depends). libcups.so.2 is the big one: bundled, it drags in GnuTLS,
# Kerberos, Avahi and p11-kit (9 MB), and the system's own CUPS client matches the local cupsd.
SYSTEM_LIBS = {
    line.split()[0]
    for line in (Path(__file__).parent / "linux" / "system-libs.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}

# Qt translation catalogues kept: Qt's own strings (dialog buttons, print dialog) in these languages.
KEEP_TRANSLATIONS = re.compile(r"^qt(base)?_(en|de|fr)\.qm$")


def _plugin_name(filename: str) -> str:
    """'libqxcb.so' / 'qwindows.dll' / 'libqcocoa.dylib' -> 'qxcb' / 'qwindows' / 'qcocoa'."""
    return filename.split(".")[0].removeprefix("lib")


def keep(dest: str) -> bool:
    """Whether a TOC entry (destination path inside the bundle) stays in the bundle."""
    parts = PurePath(dest).parts
    name = parts[-1]
    if any(DROP_LIBS.match(part.removesuffix(".framework")) for part in parts):
        return False
    if sys.platform.startswith("linux") and name in SYSTEM_LIBS:
        return False
    if "PySide6" not in parts:
        return True
    if "translations" in parts:
        return bool(KEEP_TRANSLATIONS.match(name))
    if "plugins" in parts:
        index = parts.index("plugins")
        if len(parts) <= index + 2:
            return True
        kept = KEEP_PLUGINS.get(parts[index + 1], set())
        return kept is None or _plugin_name(name) in kept
    return "qml" not in parts


def _needed(path: str) -> list[str]:
    """Direct DT_NEEDED entries of an ELF file (binutils' readelf; PyInstaller's strip needs binutils too)."""
    dynamic = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic)


def prune_orphans(binaries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Drop shared libraries that no kept extension module, plugin or libpython needs (Linux).

    The dependencies of dropped plugins and of SYSTEM_LIBS (GTK, GnuTLS, Kerberos, ...) were already
    collected by the Analysis; this walks the direct dependencies from what is kept, through bundled
    libraries only, and removes the rest. Elsewhere (macOS frameworks, Windows DLLs) the name filters do.
    """
    if not sys.platform.startswith("linux"):
        return binaries

    def is_root(dest: str, typecode: str) -> bool:
        return typecode == "EXTENSION" or "plugins" in PurePath(dest).parts or PurePath(dest).name.startswith("libpython")

    by_name: dict[str, list[str]] = {}
    for dest, src, typecode in binaries:
        if typecode != "SYMLINK":
            by_name.setdefault(PurePath(dest).name, []).append(src)
    reached: set[str] = set()
    todo = [src for dest, src, typecode in binaries if is_root(dest, typecode)]
    while todo:
        for name in _needed(todo.pop()):
            if name in by_name and name not in reached:
                reached.add(name)
                todo.extend(by_name[name])
    return [e for e in binaries if is_root(e[0], e[2]) or PurePath(e[0]).name in reached]


def drop_dangling_symlinks(toc: list[tuple[str, str, str]], kept: set[str]) -> list[tuple[str, str, str]]:
    """PyInstaller's top-level SYMLINK entries (`libQt6X.so.6 -> PySide6/Qt/lib/...`) whose file went.

    Linux only: on macOS, framework symlinks point at other symlinks and folders (Versions/Current).
    """
    if not sys.platform.startswith("linux"):
        return toc
    return [e for e in toc if e[2] != "SYMLINK" or os.path.normpath(PurePath(e[0]).parent / e[1]) in kept]


def slim(analysis) -> None:
    """Filter an Analysis in place (binaries and datas)."""
    binaries = prune_orphans([e for e in analysis.binaries if keep(e[0])])
    datas = [e for e in analysis.datas if keep(e[0])]
    kept = {os.path.normpath(e[0]) for e in binaries + datas if e[2] != "SYMLINK"}
    analysis.binaries = drop_dangling_symlinks(binaries, kept)
    analysis.datas = drop_dangling_symlinks(datas, kept)
