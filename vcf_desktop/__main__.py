"""Entry point of `vcf-desktop` and `python -m vcf_desktop`: the wizard, or a headless command.

No arguments, only options, or a single case file -> the wizard; a command name (or --help/--version) ->
the headless command line, which never loads Qt.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn
from pathlib import Path

_CLI_FLAGS = {"-h", "--help", "--version"}
_VALUED_OPTIONS = {"--protocol"}  # options whose value is the next argument (not a case file to open)
NO_DISPLAY_HINT = """\
vcf-desktop: there is no display to open the wizard on (DISPLAY and WAYLAND_DISPLAY are not set).
  Make a plan without a window:    vcf-desktop plan CASE.json --format text
  Check a case file:               vcf-desktop validate CASE.json
  All commands:                    vcf-desktop --help
  Or run the wizard off-screen:    QT_QPA_PLATFORM=offscreen vcf-desktop"""


def wants_gui(argv: Sequence[str]) -> bool:
    """True for no arguments, GUI options only, or GUI options and one case file to open."""
    if not argv:
        return True
    if argv[0] in _CLI_FLAGS or any(a in _CLI_FLAGS for a in argv):
        return False
    positional = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] not in
                                                                               _VALUED_OPTIONS)]
    if not positional:
        return True
    from vcf_desktop.cli import SUBCOMMANDS

    if positional[0] in SUBCOMMANDS or len(positional) > 1:
        return False
    path = Path(positional[0])
    return path.suffix.lower() == ".json" or path.is_file()


def display_missing() -> bool:
    """On X11/Wayland systems, Qt aborts the process without a display unless a platform is chosen."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not wants_gui(args):
        from vcf_desktop.cli import main as cli_main

        return cli_main(args)
    if display_missing():
        print(NO_DISPLAY_HINT, file=sys.stderr)
        return 2
    try:
        from vcf_desktop.gui.app import run
    except ImportError as exc:  # e.g. libGL.so.1 missing on a bare system
        print(f"vcf-desktop: the wizard cannot start: {exc}\n"
              "  The headless commands still work: vcf-desktop --help", file=sys.stderr)
        return 1
    return run(args)


def run() -> NoReturn:
    """`main()` as a program (the `vcf-desktop` command, `python -m vcf_desktop`, the frozen bundle): flush
    the output, then end the process without tearing the interpreter down.

    Freeing every module and object at exit (pydantic, Qt) takes 20-30 ms and does nothing a user needs:
    every file the program writes is complete on disk (written, flushed, fsynced, renamed) before `main()`
    returns, and no atexit handler of ours exists. Tests call `main()`.
    """
    if getattr(sys, "frozen", False) and "--multiprocessing-fork" in sys.argv:  # a `plan --jobs` worker
        import multiprocessing  # (Windows starts workers as new processes of the frozen program)

        multiprocessing.freeze_support()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the reader went away or the stream is closed: nothing more to say
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
