"""Argument parsing and exit codes: 0 success, 2 invalid input (every problem on stderr), 1 internal error.

Only argparse is imported here; each command imports what it needs when it runs, so `--help` is instant
and the headless commands never load Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence

PROG = "vcf-desktop"
SUBCOMMANDS = ("plan", "validate", "schema", "protocol", "selftest")
FORMATS = ("json", "text", "html", "pdf")
AUDIENCES = ("clinician", "patient")
DETAILS = ("summary", "full")


class UsageError(Exception):
    """Invalid input: the messages go to stderr and the exit code is 2."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="VCF Desktop: a vertebral compression fracture case -> an evidence-based management plan. "
                    f"`{PROG}` alone (or with a case file) opens the wizard; the commands below run headless.",
        epilog="Exit codes: 0 success, 2 invalid input (each bad field named on stderr), 1 internal error "
               "(set VCF_DEBUG=1 for a traceback).")
    parser.add_argument("--version", action="store_true", help="print the program and protocol versions")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    plan = sub.add_parser("plan", help="turn a case file into a plan",
                          description="Evaluate a case file and write the plan: json (the plan file), text, html "
                                      "or pdf. "
                                      "A case without assessment_date is planned for today.")
    plan.add_argument("case", metavar="CASE.json", help="case file ('-' reads standard input)")
    plan.add_argument("--format", choices=FORMATS, default="json", help="output format (default: json)")
    plan.add_argument("-o", "--output", metavar="OUT", help="write here instead of standard output (required for pdf)")
    plan.add_argument("--audience", choices=AUDIENCES, default="clinician",
                      help="wording of text, html and pdf reports (default: clinician)")
    plan.add_argument("--detail", choices=DETAILS, default="full",
                      help="clinician text, html and pdf: the one-page summary, or the summary and the reasoning "
                           "behind it (default: full; the patient handout has one form)")

    validate = sub.add_parser("validate", help="check a case file and name every problem",
                              description="Check a case file: exit 0 when valid, else 2 with one line per problem.")
    validate.add_argument("case", metavar="CASE.json", help="case file ('-' reads standard input)")

    sub.add_parser("schema", help="print the JSON Schema of the case file",
                   description="Print the JSON Schema of the case file (format vcf-case, version 1).")
    sub.add_parser("protocol", help="print the protocol's id, version, sha256 and how it works",
                   description="Print the protocol's id, version and sha256, then a readable summary of every rule.")
    sub.add_parser("selftest", help="check engine, reports and PDF headlessly (exit 0 when all pass)",
                   description="Evaluate the built-in demo case and write every report format, PDF included, "
                               "to a temporary folder; one OK/FAIL line per check.")
    return parser


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    """The function that runs the chosen command (imported only now, to keep start-up lean)."""
    from vcf_desktop.cli import commands, selftest

    if args.version:
        return commands.version
    return {"plan": commands.plan, "validate": commands.validate, "schema": commands.schema,
            "protocol": commands.protocol, "selftest": lambda _: selftest.run_selftest()}[args.command]


def _silence_stdout() -> None:
    """Point stdout at the null device so that the final flush at exit does not fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _utf8_output() -> None:
    """Plans contain ≥, ° and µ: a pipe or file on a legacy code page (Windows cp1252) gets UTF-8 instead of a
    UnicodeEncodeError. Terminals keep their own encoding."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure") and not stream.isatty():
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code and never lets a traceback reach the user (unless VCF_DEBUG=1)."""
    _utf8_output()
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None and not args.version:
        parser.print_usage(sys.stderr)
        print(f"{PROG}: error: name a command, or run `{PROG}` alone to open the wizard", file=sys.stderr)
        return 2
    try:
        return _command(args)(args)
    except UsageError as exc:
        for line in exc.messages:
            print(line, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): what it wanted was written
        _silence_stdout()
        return 0
    except OSError as exc:  # a file that could not be written (the old one is kept) or read: say which and why
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a short message, no traceback
        if os.environ.get("VCF_DEBUG") == "1":
            traceback.print_exc()
        else:
            print(f"{PROG}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            print(f"{PROG}: set VCF_DEBUG=1 to see the traceback", file=sys.stderr)
        return 1
