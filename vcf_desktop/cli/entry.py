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
SUBCOMMANDS = ("plan", "recheck", "validate", "schema", "protocol", "selftest")
FORMATS = ("json", "text", "html", "pdf")
AUDIENCES = ("clinician", "patient")
DETAILS = ("summary", "full")


class ProtocolRefused(Exception):
    """The shipped protocol is not the approved one: the message says what to do; the exit code is 1."""


class UsageError(Exception):
    """Invalid input: the messages go to stderr and the exit code is 2."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of processes, at least 1, not {text!r}")
    return int(text)


PROTOCOL_HELP = ("use this protocol file instead of the shipped, approved one; every output then says "
                 "\"unapproved protocol\" with its sha256 (unless it is byte for byte the approved one)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="VCF Desktop: a vertebral compression fracture case -> an evidence-based management plan. "
                    f"`{PROG}` alone (or with a case file) opens the wizard; the commands below run headless.",
        epilog="Exit codes: 0 success, 2 invalid input (each bad field named on stderr), 3 recheck found changed "
               "plans, 1 internal error or a changed shipped protocol (set VCF_DEBUG=1 for a traceback).")
    parser.add_argument("--version", action="store_true", help="print the program and protocol versions")
    parser.add_argument("--protocol", metavar="FILE", default=None, help=PROTOCOL_HELP)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--protocol", metavar="FILE", default=argparse.SUPPRESS, help=PROTOCOL_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    plan = sub.add_parser("plan", parents=[common], help="turn case files into plans",
                          description="Evaluate a case file and write the plan: json (the plan file), text, html "
                                      "or pdf. A case without assessment_date is planned for today. With --out-dir, "
                                      "any number of case files and folders (their *.json files) in one run: one "
                                      "output per case, named after it (NAME.plan.json, .plan.txt, .plan.html, "
                                      ".plan.pdf), a summary line per case; invalid cases are reported and skipped "
                                      "(exit 2 at the end).")
    plan.add_argument("cases", nargs="+", metavar="CASE_OR_DIR",
                      help="case file ('-' reads standard input); several, or folders, with --out-dir")
    plan.add_argument("--format", choices=FORMATS, default="json", help="output format (default: json)")
    target = plan.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="OUT",
                        help="write here instead of standard output (required for pdf)")
    target.add_argument("--out-dir", metavar="DIR", help="write one output per case into DIR (created if needed)")
    plan.add_argument("-j", "--jobs", type=_positive, default=1, metavar="N",
                      help="with --out-dir: plan in N processes at once, each loading the protocol once "
                           "(default 1; a PDF batch always uses 1)")
    plan.add_argument("--audience", choices=AUDIENCES, default="clinician",
                      help="wording of text, html and pdf reports (default: clinician)")
    plan.add_argument("--detail", choices=DETAILS, default="full",
                      help="clinician text, html and pdf: the one-page summary, or the summary and the reasoning "
                           "behind it (default: full; the patient handout has one form)")
    plan.add_argument("--holidays", metavar="CC",
                      help="also move follow-up dates off this country's public holidays (ISO 3166 code, e.g. GB, "
                           "US, DE); weekends are always avoided")

    recheck = sub.add_parser("recheck", parents=[common], help="re-plan saved cases and list what changed",
                             description="Re-plan saved case files (and the *.json files of folders) under the "
                                         "current protocol and list, per case, what differs from the plan recorded "
                                         "when it was saved (stability, pathway, osteoporosis status, recommended "
                                         "and avoided agents, pitfalls), with both protocol versions. Exit 0 when "
                                         "nothing changed, 3 when something did, else 2 if a case was invalid.")
    recheck.add_argument("cases", nargs="+", metavar="CASE_OR_DIR", help="saved case files or folders")
    recheck.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")

    validate = sub.add_parser("validate", parents=[common], help="check a case file and name every problem",
                              description="Check a case file: exit 0 when valid, else 2 with one line per problem.")
    validate.add_argument("case", metavar="CASE.json", help="case file ('-' reads standard input)")

    sub.add_parser("schema", parents=[common], help="print the JSON Schema of the case file",
                   description="Print the JSON Schema of the case file (format vcf-case, version 2; version 1 "
                               "files are read too).")
    protocol = sub.add_parser("protocol", parents=[common], help="print how the protocol works (version, sha256, "
                              "every rule)", description="Print *How this protocol works*: the protocol's id, version, "
                              "sha256, whether it is the approved one and its review date, then contents and every "
                              "decision, rule, threshold (in words, with units), missing-data entry and reference, "
                              "with evidence.")
    protocol.add_argument("--format", choices=("text", "html"), default="text", help="output format (default: text)")
    sub.add_parser("selftest", parents=[common], help="check engine, reports and PDF headlessly (exit 0 when all pass)",
                   description="Evaluate the built-in demo case and write every report format, PDF included, "
                               "to a temporary folder; one OK/FAIL line per check.")
    return parser


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    """The function that runs the chosen command (imported only now, to keep start-up lean)."""
    from vcf_desktop.cli import commands, selftest

    if args.version:
        return commands.version
    if args.command == "recheck":
        from vcf_desktop.cli.recheck import recheck

        return recheck
    return {"plan": commands.plan, "validate": commands.validate, "schema": commands.schema,
            "protocol": commands.protocol, "selftest": selftest.run_selftest}[args.command]


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
    except ProtocolRefused as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
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
