"""Fast checks of the packaging files (no PyInstaller build here: `make package-check` does that)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build_scripts"
VERSION = subprocess.run(["bash", str(BUILD / "version.sh")], capture_output=True, text=True, check=True).stdout.strip()
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux packaging")


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def slim() -> ModuleType:
    return load(BUILD / "slim.py")


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", True),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/qt_en.qm", True),
        ("PySide6/Qt/translations/qtbase_ja.qm", False),
        ("PySide6/Qt/translations/designer_de.qm", False),
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
        ("libQt6Network.so.6", False),  # PyInstaller's top-level symlink: filtered by basename too
        ("libQt6WaylandClient.so.6", False),
        ("PySide6/Qt6Network.dll", False),
        ("PySide6/Qt/lib/QtNetwork.framework/Versions/A/QtNetwork", False),
        ("PySide6/Qt/lib/QtNetwork.framework/Resources/Info.plist", False),
        ("PySide6/Qt/lib/libQt6Gui.so.6", True),
        ("PySide6/Qt/lib/libQt6PrintSupport.so.6", True),
        ("PySide6/Qt/lib/libQt6Svg.so.6", True),
        ("libQt6Widgets.so.6", True),
        ("resources/fonts/DejaVuSans.ttf", True),
        ("resources/protocol/vcf-protocol.toml", True),
        ("vcf_desktop/report/pdf.py", True),
    ],
)
def test_slim_keeps_what_the_app_needs_and_drops_the_rest(slim: ModuleType, dest: str, kept: bool) -> None:
    assert slim.keep(dest) is kept


@linux_only
def test_slim_leaves_system_libraries_to_the_target(slim: ModuleType) -> None:
    assert not slim.keep("libcups.so.2")
    assert slim.keep("libxcb-cursor.so.0")  # not on bare systems: bundled


def test_excludes_keep_stdlib_email_and_the_qt_modules_in_use(slim: ModuleType) -> None:
    # Notes §6.8: without `email` the frozen pydantic app dies with ModuleNotFoundError.
    assert not [m for m in slim.EXCLUDES if m.split(".")[0] in {"email", "pydantic", "vcf_desktop"}]
    for module in ("PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg", "PySide6.QtPrintSupport"):
        assert module not in slim.EXCLUDES


@linux_only
def test_dangling_symlinks_are_dropped(slim: ModuleType) -> None:
    toc = [
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6OpenGL.so.6", "PySide6/Qt/lib/libQt6OpenGL.so.6", "SYMLINK"),
        ("PySide6/Qt/plugins/libQt6Svg.so.6", "../lib/libQt6Svg.so.6", "SYMLINK"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
    ]
    kept = {"PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Svg.so.6"}
    assert [e[0] for e in slim.drop_dangling_symlinks(toc, kept)] == [
        "libQt6Gui.so.6", "PySide6/Qt/plugins/libQt6Svg.so.6", "PySide6/Qt/lib/libQt6Gui.so.6"]


@linux_only
@pytest.mark.skipif(shutil.which("readelf") is None, reason="needs binutils")
def test_orphan_pruning_keeps_dependencies_of_kept_binaries_only(slim: ModuleType) -> None:
    import zlib

    zlib_ext = Path(getattr(zlib, "__file__", "") or pytest.skip("zlib is built in"))
    libz = next(name for name in slim._needed(str(zlib_ext)) if name.startswith("libz.so"))
    ldd = subprocess.run(["ldd", str(zlib_ext)], capture_output=True, text=True, check=True).stdout
    libz_path = re.search(rf"{re.escape(libz)} => (\S+)", ldd).group(1)
    unrelated = Path(sys.executable).resolve()  # any ELF file nobody links against
    binaries = [
        ("python3.11/lib-dynload/" + zlib_ext.name, str(zlib_ext), "EXTENSION"),
        (libz, str(libz_path), "BINARY"),
        ("libunrelated.so.1", str(unrelated), "BINARY"),
    ]
    assert [e[0] for e in slim.prune_orphans(binaries)] == [binaries[0][0], libz]


def test_spec_is_onedir_with_the_app_entry_and_resources() -> None:
    spec = (BUILD / "vcf-desktop.spec").read_text(encoding="utf-8")
    assert "COLLECT(" in spec and "exclude_binaries=True" in spec  # onedir
    assert "upx=False" in spec and "slim.slim(a)" in spec
    assert '(str(ROOT / "resources"), "resources")' in spec
    assert 'collect_submodules("vcf_desktop")' in spec
    entry = (BUILD / "entry.py").read_text(encoding="utf-8")
    assert "from vcf_desktop.__main__ import run" in entry
    from vcf_desktop.__main__ import run

    assert callable(run)


def test_resources_needed_by_the_bundle_exist() -> None:
    for relative in ("cases/typical-l2-wedge.vcfcase.json", "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf",
                     "icons/vcf-desktop.svg"):
        assert (ROOT / "resources" / relative).is_file(), relative


def test_desktop_entry_points_at_the_program_and_icon() -> None:
    lines = (BUILD / "linux" / "vcf-desktop.desktop").read_text(encoding="utf-8").splitlines()
    entry = dict(line.split("=", 1) for line in lines[1:] if "=" in line)
    assert lines[0] == "[Desktop Entry]"
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Exec"].split()[0] == "vcf-desktop"
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}.svg").is_file()
    assert entry["Categories"].endswith(";")


def test_system_libs_table_is_well_formed() -> None:
    rows = [line.split() for line in (BUILD / "linux" / "system-libs.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert all(len(row) == 2 for row in rows)
    table = dict(rows)
    assert table["libGL.so.1"] == "libgl1" and table["libEGL.so.1"] == "libegl1"
    assert not any(name.startswith(("libQt6", "libxcb-", "libxkbcommon", "libfontconfig")) for name in table)


@linux_only
@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")
def test_deb_control_and_layout(tmp_path: Path) -> None:
    bundle = tmp_path / "vcf-desktop"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "vcf-desktop").write_text("#!/bin/sh\n", encoding="utf-8")
    (bundle / "vcf-desktop").chmod(0o755)
    deb = tmp_path / "out.deb"
    env = {**os.environ, "VCF_BUNDLE": str(bundle), "VCF_DEB_OUT": str(deb)}
    subprocess.run([str(BUILD / "linux" / "build_deb.sh")], check=True, env=env, capture_output=True)

    def field(name: str) -> str:
        return subprocess.run(["dpkg-deb", "--field", str(deb), name], check=True, capture_output=True,
                              text=True).stdout.strip()

    assert field("Package") == "vcf-desktop"
    assert field("Version") == VERSION
    depends = [d.strip().split()[0] for d in field("Depends").split(",")]
    for package in ("libc6", "libgl1", "libegl1", "libxcb1", "libcups2", "fontconfig-config", "fonts-dejavu-core"):
        assert package in depends
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], check=True, capture_output=True,
                              text=True).stdout
    assert "./usr/bin/vcf-desktop -> /opt/vcf-desktop/vcf-desktop" in contents
    for path in ("./opt/vcf-desktop/vcf-desktop", "./usr/share/applications/vcf-desktop.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/vcf-desktop.svg"):
        assert f" {path}\n" in contents
    assert "root/root" in contents and "1000/" not in contents


def test_inno_setup_script_installs_the_onedir_bundle() -> None:
    iss = (BUILD / "windows" / "vcf-desktop.iss").read_text(encoding="utf-8")
    assert '#define Bundle "..\\..\\dist\\vcf-desktop"' in iss
    assert '#define AppExe "vcf-desktop.exe"' in iss
    assert "recursesubdirs" in iss and "{autoprograms}" in iss and "AppId={{" in iss


def test_makefile_has_the_packaging_targets() -> None:
    result = subprocess.run(["make", "-n", "-C", str(ROOT), "build", "package-check", "deb", "deb-check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "build_scripts/vcf-desktop.spec" in result.stdout and "smoke.sh" in result.stdout


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load(ROOT / "benchmarks" / "bundle.py")


@pytest.mark.parametrize(("ratio", "verdict"), [(1.29, "ok"), (1.3, "ok"), (1.31, "OVER TARGET")])
def test_bundle_bench_size_target_boundary(bench: ModuleType, ratio: float, verdict: str) -> None:
    assert bench.verdict(ratio, bench.SIZE_TARGET) == verdict


def _pdf(path: Path, text: str, qapp) -> None:  # noqa: ANN001
    from PySide6.QtGui import QFont, QFontDatabase, QPainter, QPdfWriter

    font_id = QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / "DejaVuSans.ttf"))
    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.setFont(QFont(QFontDatabase.applicationFontFamilies(font_id)[0], 12))
    painter.drawText(200, 400, text)
    painter.end()


@pytest.mark.parametrize(("written", "expected"), [("Case CASE-0042", 0), ("Case CASE-0043", 1)])
def test_check_pdf_finds_the_case_id_and_the_embedded_font(tmp_path: Path, qapp, written: str, expected: int) -> None:  # noqa: ANN001
    check_pdf = load(BUILD / "check_pdf.py")
    pdf = tmp_path / "plan.pdf"
    _pdf(pdf, written, qapp)
    assert check_pdf.main([str(pdf), "CASE-0042"]) == expected


def test_version_script_reports_the_package_version() -> None:
    import vcf_desktop

    assert VERSION == vcf_desktop.__version__
