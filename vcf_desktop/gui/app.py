"""Start the desktop application: `run(argv) -> exit code`.

The first screen comes first: the main window with its first step is shown before the protocol, the
engine, pydantic and the models are imported (they take longer than everything else together). Right
after the first paint, `_finish_start` registers the shipped fonts, loads the protocol, opens the case
given on the command line and hands the protocol to the window. Printing, help dialogs and the PDF
writer load on first use. Nothing before the first paint touches Qt's namespace enums (see
`gui.qt_lazy`), argparse, logging or platformdirs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from vcf_desktop.resources import resource_path, resources_dir

if TYPE_CHECKING:
    from vcf_desktop.engine.protocol import LoadedProtocol
    from vcf_desktop.gui.main_window import MainWindow

ICON = "icons/vcf-desktop.svg"


@dataclass(frozen=True)
class Options:
    case: Path | None = None
    exit_after_show: bool = False
    protocol: Path | None = None


def _parse(argv: list[str]) -> Options:
    """The wizard's options. The usual command lines (nothing, --exit-after-show, one case file) are read
    without argparse, which would cost milliseconds before the first paint; anything else (--help, a
    mistake) goes to argparse for its help and messages."""
    positional = [a for a in argv if not a.startswith("-")]
    if all(a == "--exit-after-show" or not a.startswith("-") for a in argv) and len(positional) <= 1:
        return Options(Path(positional[0]) if positional else None, "--exit-after-show" in argv)
    import argparse

    parser = argparse.ArgumentParser(prog="vcf-desktop", description="VCF Desktop: the case wizard.")
    parser.add_argument("case", nargs="?", type=Path, help="a case file to open")
    parser.add_argument("--exit-after-show", action="store_true",
                        help="exit with 0 as soon as the main window has been painted (smoke tests, benchmarks); "
                             "with a case file, once the protocol has loaded and the case is open")
    parser.add_argument("--protocol", metavar="FILE", type=Path,
                        help="run this local protocol file for this session instead of the one chosen in Settings; "
                             "every screen and output then says \"unapproved protocol\" with its sha256")
    args = parser.parse_args(argv)
    return Options(args.case, args.exit_after_show, args.protocol)


class AfterFirstPaint(QObject):
    """Calls `then` from the event loop once the watched widget has been painted for the first time."""

    def __init__(self, watched: QWidget, then: Callable[[], None]) -> None:
        super().__init__(watched)
        self._then = then
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
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
    from vcf_desktop.gui.style import readable_palette

    app.setPalette(readable_palette(app.palette()))
    if args.case is not None and args.exit_after_show and not _readable(args.case):
        return 2  # no modal message box in unattended runs

    from vcf_desktop.gui.main_window import MainWindow

    window = MainWindow(None, offer_recovery=not args.exit_after_show)
    AfterFirstPaint(window, lambda: _finish_start(window, args))
    window.show_placed()
    return app.exec()


def _chosen_protocol(args: Options) -> LoadedProtocol:
    """The protocol named on the command line, else the local one chosen in Settings, else the shipped one.
    A Settings choice that no longer loads is reported and the shipped protocol is used instead."""
    from vcf_desktop.engine.protocol import ProtocolError, load_protocol
    from vcf_desktop.gui.governance import local_protocol

    if args.protocol is not None:
        return load_protocol(args.protocol)
    local = local_protocol()
    if local is None:
        return load_protocol()
    try:
        return load_protocol(local)
    except ProtocolError as exc:
        message = QCoreApplication.translate("App", "The local protocol chosen in Settings cannot be used:\n\n{0}\n\n"
                                             "The protocol approved for this release is used instead.").format(exc)
        print(f"vcf-desktop: {message}", file=sys.stderr)
        if not args.exit_after_show:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(None, QCoreApplication.translate("App", "Local protocol not used"), message)
        return load_protocol()


def _finish_start(window: MainWindow, args: Options) -> None:
    """After the first paint: load the protocol, open the case file given, hand the protocol to the window.

    A protocol that cannot be loaded is reported and ends the application with exit code 1.
    `--exit-after-show` without a case file ends here with 0: the first paint was what it asked for.
    """
    if args.exit_after_show and args.case is None:
        QCoreApplication.quit()
        return
    register_fonts()  # for the plan view and the PDF; the first screen does not use them
    from vcf_desktop.engine.protocol import ProtocolError

    try:
        protocol = _chosen_protocol(args)
    except ProtocolError as exc:
        from PySide6.QtWidgets import QMessageBox

        window.hide()
        if not args.exit_after_show:
            QMessageBox.critical(None, QCoreApplication.translate("App", "VCF Desktop cannot start"),
                                 QCoreApplication.translate("App", "The clinical protocol could not be loaded:\n\n{0}")
                                 .format(exc))
        print(f"vcf-desktop: {exc}", file=sys.stderr)
        QCoreApplication.exit(1)
        return
    if args.case is not None:
        window.open_path(args.case)
    window.set_protocol(protocol)
    if args.exit_after_show:
        QCoreApplication.quit()
