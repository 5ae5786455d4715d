"""The headless commands. Nothing here imports Qt; `plan --format pdf` loads the PDF writer on demand."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vcf_desktop import __version__
from vcf_desktop.cli.entry import PROG, ProtocolRefused, UsageError
from vcf_desktop.domain.casefile import CaseFileError, read_case, read_case_stream
from vcf_desktop.domain.safe_write import TargetRefused, check_target, write_text

if TYPE_CHECKING:
    from vcf_desktop.domain.case import Case
    from vcf_desktop.domain.plan import Plan
    from vcf_desktop.engine.protocol import LoadedProtocol


def load_chosen_protocol(args: argparse.Namespace) -> LoadedProtocol:
    """The protocol named with --protocol (said on stderr when it is not the approved one), else the shipped one,
    which must be the approved one (ProtocolRefused otherwise)."""
    from vcf_desktop.engine.protocol import ProtocolError, UnapprovedProtocolError, load_protocol

    named = getattr(args, "protocol", None)
    try:
        protocol = load_protocol(Path(named) if named else None)
    except UnapprovedProtocolError as exc:
        raise ProtocolRefused(str(exc)) from None
    except ProtocolError as exc:
        raise UsageError([f"--protocol: {exc}"]) from None
    if not protocol.approved:
        print(f"{PROG}: using an UNAPPROVED PROTOCOL: {protocol.path} ({protocol.id} {protocol.version}, "
              f"sha256 {protocol.sha256}); every output says so", file=sys.stderr)
    return protocol


def standing(protocol: LoadedProtocol, today: date) -> str:
    """`approved`, `UNAPPROVED PROTOCOL`, and `due for review` as they apply, for one-line summaries."""
    words = ["approved" if protocol.approved else "UNAPPROVED PROTOCOL"]
    if protocol.review_due(today):
        words.append(f"DUE FOR REVIEW since {protocol.review_date.isoformat()}")
    return ", ".join(words)


def load_case(source: str, plain: bool = False) -> Case:
    """The case from a file (or stdin for '-'); UsageError naming the file and every problem. `plain`: a valid
    case may come as plain records without pydantic (enough for the engine; see domain/fast_case.py)."""
    try:
        return read_case_stream(sys.stdin.buffer, plain=plain) if source == "-" else read_case(source, plain=plain)
    except CaseFileError as exc:
        name = "<stdin>" if source == "-" else source
        raise UsageError([f"{name}: {m}" for m in exc.messages]
                         + [f"{name}: not a valid case file ({counted(len(exc.messages), 'problem')})"]) from None


def case_paths(inputs: list[str]) -> list[str]:
    """Each name as given, and each folder's `*.json` files in name order (a name that is neither is kept: reading
    it reports "no such file"). Names, not Path objects: a batch of 10,000 cases keeps 5 MB less."""
    out: list[str] = []
    for name in inputs:
        path = Path(name)
        out += sorted(str(p) for p in path.glob("*.json") if p.is_file()) if path.is_dir() else [name]
    return out


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def version(args: argparse.Namespace) -> int:
    p = load_chosen_protocol(args)
    print(f"{PROG} {__version__} (protocol {p.id} {p.version} sha256 {p.sha256}, {standing(p, date.today())})")
    return 0


def validate(args: argparse.Namespace) -> int:
    case = load_case(args.case, plain=True)  # the verdict and every message are the models' (see fast_case)
    print(f"valid: {case.case_id or '(no case_id)'} ({counted(len(case.fractures), 'fracture')})")
    return 0


def schema(_: argparse.Namespace) -> int:
    from vcf_desktop.domain.case import Case

    print(json.dumps(Case.model_json_schema(), indent=2, ensure_ascii=False))
    return 0


def protocol(args: argparse.Namespace) -> int:
    from vcf_desktop.report.protocol_doc import render_protocol_html, render_protocol_text

    p = load_chosen_protocol(args)
    if args.format == "html":
        sys.stdout.write(render_protocol_html(p))
        return 0
    print(f"id: {p.id}\nversion: {p.version}\nsha256: {p.sha256}\nfile: {p.path}\n"
          f"standing: {standing(p, date.today())}\nreview date: {p.review_date.isoformat()}\n")
    sys.stdout.write(render_protocol_text(p))
    return 0


def plan(args: argparse.Namespace) -> int:
    if args.holidays:
        from vcf_desktop.engine.holidays import UnknownCountry, check_country

        try:
            check_country(args.holidays)
        except UnknownCountry as exc:
            raise UsageError([f"{PROG} plan: --holidays: {exc}"]) from None
    if args.out_dir is not None:
        from vcf_desktop.cli.batch import plan_many

        return plan_many(args)
    if len(args.cases) > 1:
        raise UsageError([f"{PROG} plan: several cases need --out-dir DIR (one output per case)"])
    if args.format == "pdf" and not args.output:
        raise UsageError([f"{PROG} plan: --format pdf needs -o OUT.pdf (a PDF is not written to the terminal)"])
    source = args.cases[0]
    to_file = bool(args.output) and args.output != "-"
    protect = [source] if source != "-" else []
    if to_file:
        refused(lambda: check_target(args.output, protect))
    headless_json = args.format == "json" and not args.holidays
    case = load_case(source, plain=headless_json)
    protocol = load_chosen_protocol(args)
    if headless_json:  # the plan file without building a pydantic model (the common headless call)
        _, text = json_plan(case, protocol, date.today())
        if to_file:
            refused(lambda: write_text(args.output, text, protect=protect))
        else:
            sys.stdout.write(text)
        return 0
    from vcf_desktop.engine import evaluate

    result = with_holidays(evaluate(case, protocol, today=date.today()), args.holidays)
    if to_file:
        write_output(args.output, result, case, protocol, args.format, args.audience, args.detail, protect)
    else:
        sys.stdout.write(render(result, case, protocol, args.format, args.audience, args.detail))
    return 0


def json_plan(case: Case, protocol: LoadedProtocol, today: date) -> tuple[dict[str, Any], str]:
    """The engine's plan data for `case` and the plan file's text: written without pydantic whenever `plan_json`
    can (tests/test_plan_parity.py proves those bytes are the model's), else by the Plan model itself."""
    from vcf_desktop.domain.plan_json import dumps_plan
    from vcf_desktop.engine.evaluate import evaluate_data

    data = evaluate_data(case, protocol, today=today)
    text = dumps_plan(data)
    if text is None:
        from vcf_desktop.domain.plan import Plan

        text = Plan.model_validate(data).to_json()
    return data, text + "\n"


def with_holidays(result: Plan, country: str | None) -> Plan:
    """`--holidays CC` (checked by `plan`): the plan's follow-up dates also off that country's public holidays."""
    if not country:
        return result
    from vcf_desktop.engine.holidays import observe_holidays

    return observe_holidays(result, country)


def render(result: Plan, case: Case, protocol: LoadedProtocol, fmt: str, audience: str, detail: str) -> str:
    """The plan as json, text or html, ending with a newline: what `plan` writes, one case or many."""
    if fmt == "json":
        text = result.to_json()
    else:
        from vcf_desktop import report

        text = (report.render_text if fmt == "text" else report.render_html)(result, case, protocol, audience,
                                                                             detail=detail)
    return text if text.endswith("\n") else text + "\n"


def write_output(output: str | Path, result: Plan, case: Case, protocol: LoadedProtocol, fmt: str, audience: str,
                 detail: str, protect: list[str | Path], deferred: bool = False) -> None:
    """Write the plan in `fmt` to `output` through the safe writer (one case or many: `deferred` text outputs are
    synced by the caller at the end, see `safe_write.write_bytes`)."""
    if fmt == "pdf":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF never needs a display
        from vcf_desktop.report.pdf import write_pdf

        refused(lambda: write_pdf(result, case, protocol, output, audience, detail, protect=protect))
    else:
        text = render(result, case, protocol, fmt, audience, detail)
        refused(lambda: write_text(output, text, protect=protect, deferred=deferred))


def refused(write: Callable[[], Path]) -> Path:
    """Run a safe-writer call: a refused target is invalid input (exit 2); a failed write propagates as a
    WriteError (an OSError: exit 1 with its message)."""
    try:
        return write()
    except TargetRefused as exc:
        raise UsageError([str(exc)]) from None
