"""The headless commands. Nothing here imports Qt; `plan --format pdf` loads the PDF writer on demand."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vcf_desktop import __version__
from vcf_desktop.cli.entry import PROG, UsageError
from vcf_desktop.domain.casefile import CaseFileError, read_case, read_case_stream
from vcf_desktop.domain.safe_write import TargetRefused, check_target, write_text

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case


def load_case(source: str) -> Case:
    """The case from a file (or stdin for '-'); UsageError naming the file and every problem."""
    try:
        return read_case_stream(sys.stdin.buffer) if source == "-" else read_case(source)
    except CaseFileError as exc:
        name = "<stdin>" if source == "-" else source
        raise UsageError([f"{name}: {m}" for m in exc.messages]
                         + [f"{name}: not a valid case file ({_count(len(exc.messages), 'problem')})"]) from None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def version(_: argparse.Namespace) -> int:
    from vcf_desktop.engine import load_protocol

    p = load_protocol()
    print(f"{PROG} {__version__} (protocol {p.id} {p.version} sha256 {p.sha256[:12]})")
    return 0


def validate(args: argparse.Namespace) -> int:
    case = load_case(args.case)
    print(f"valid: {case.case_id or '(no case_id)'} ({_count(len(case.fractures), 'fracture')})")
    return 0


def schema(_: argparse.Namespace) -> int:
    from vcf_desktop.domain.case import Case

    print(json.dumps(Case.model_json_schema(), indent=2, ensure_ascii=False))
    return 0


def protocol(_: argparse.Namespace) -> int:
    from vcf_desktop.engine import load_protocol, protocol_summary

    p = load_protocol()
    print(f"id: {p.id}\nversion: {p.version}\nsha256: {p.sha256}\n")
    print(protocol_summary(p))
    return 0


def plan(args: argparse.Namespace) -> int:
    if args.format == "pdf" and not args.output:
        raise UsageError([f"{PROG} plan: --format pdf needs -o OUT.pdf (a PDF is not written to the terminal)"])
    to_file = bool(args.output) and args.output != "-"
    protect = [args.case] if args.case != "-" else []
    if to_file:
        _refused(lambda: check_target(args.output, protect))
    case = load_case(args.case)
    from vcf_desktop.engine import evaluate, load_protocol

    protocol = load_protocol()
    result = evaluate(case, protocol, today=date.today())
    if args.format == "pdf":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF never needs a display
        from vcf_desktop.report.pdf import write_pdf

        _refused(lambda: write_pdf(result, case, protocol, args.output, args.audience, args.detail,
                                   protect=protect))
        return 0
    if args.format == "json":
        text = result.to_json()
    else:
        from vcf_desktop import report

        render = report.render_text if args.format == "text" else report.render_html
        text = render(result, case, protocol, args.audience, detail=args.detail)
    text = text if text.endswith("\n") else text + "\n"
    if to_file:
        _refused(lambda: write_text(args.output, text, protect=protect))
    else:
        sys.stdout.write(text)
    return 0


def _refused(write: Callable[[], Path]) -> Path:
    """Run a safe-writer call: a refused target is invalid input (exit 2); a failed write propagates as a
    WriteError (an OSError: exit 1 with its message)."""
    try:
        return write()
    except TargetRefused as exc:
        raise UsageError([str(exc)]) from None
