"""Start the desktop application: `run(argv) -> exit code`.

Imports only what the first screen needs; printing, help dialogs and the PDF writer load on first use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from vcf_desktop.resources import resource_path, resources_dir

ICON = "icons/vcf-desktop.svg"


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vcf-desktop", description="VCF Desktop: the case wizard.")
    parser.add_argument("case", nargs="?", type=Path, help="a case file to open")
    parser.add_argument("--exit-after-show", action="store_true",
                        help="exit with 0 as soon as the main window has been painted (smoke tests, benchmarks)")
    return parser.parse_args(argv)


class _ExitOnPaint(QObject):
    """Quits the application once the watched window has actually been painted."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QCoreApplication.quit)
        return False


def register_fonts() -> None:
    """Register the shipped fonts (resources/fonts/*.ttf) so screen and paper use the same type."""
    for font in sorted((resources_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font))


def _readable(path: Path) -> bool:
    """Check a case file without a window: problems go to stderr."""
    from vcf_desktop.domain.casefile import CaseFileError, read_case

    try:
        read_case(path)
    except CaseFileError as exc:
        print(f"vcf-desktop: {path}: " + "; ".join(exc.messages), file=sys.stderr)
        return False
    return True


def run(argv: list[str]) -> int:
    """Create the application, show the main window (opening `case` if given) and run the event loop."""
    args = _parse(argv)
    app = QApplication.instance() or QApplication([])
    app.setOrganizationName("VCF Desktop")
    app.setApplicationName("vcf-desktop")
    app.setApplicationDisplayName("VCF Desktop")
    app.setWindowIcon(QIcon(str(resource_path(ICON))))
    register_fonts()

    from vcf_desktop.engine.protocol import ProtocolError, load_protocol

    try:
        protocol = load_protocol()
    except ProtocolError as exc:
        if not args.exit_after_show:
            QMessageBox.critical(None, QCoreApplication.translate("App", "VCF Desktop cannot start"),
                                 QCoreApplication.translate("App", "The clinical protocol could not be loaded:\n\n{0}")
                                 .format(exc))
        print(f"vcf-desktop: {exc}", file=sys.stderr)
        return 1

    from vcf_desktop.gui.main_window import MainWindow

    window = MainWindow(protocol, offer_recovery=not args.exit_after_show)
    if args.case is not None:
        if args.exit_after_show and not _readable(args.case):
            return 2  # no modal message box in unattended runs
        window.open_path(args.case)
    if args.exit_after_show:
        watcher = _ExitOnPaint(window)
        window.installEventFilter(watcher)
    window.show()
    return app.exec()
