"""`plan CASE_OR_DIR... --out-dir DIR`: many cases in one process, the protocol loaded once.

One output per case, named after its input (`NAME.vcfcase.json` or `NAME.json` -> `NAME.plan.json`,
`.plan.txt`, `.plan.html`, `.plan.pdf`), byte for byte what `plan CASE -o OUT` writes; one summary
line per case on stdout; an invalid case is reported on stderr and skipped, and the exit code is 2
at the end. Every output goes through the safe writer; their fsyncs are deferred to one sync at the end
(a batch is re-run, not resumed, after a crash). A progress bar (tqdm, imported only then) is drawn when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from vcf_desktop.cli.commands import case_paths, counted, load_chosen_protocol, standing, write_output
from vcf_desktop.cli.entry import PROG, UsageError
from vcf_desktop.domain.casefile import CaseFileError, read_case
from vcf_desktop.domain.safe_write import sweep_temps, sync_files

SUFFIX = {"json": ".plan.json", "text": ".plan.txt", "html": ".plan.html", "pdf": ".plan.pdf"}
CASE_SUFFIXES = (".vcfcase.json", ".json")


def output_name(case_file: Path, fmt: str) -> str:
    """`a.vcfcase.json` -> `a.plan.json` (for json); `b.json` -> `b.plan.json`."""
    name = case_file.name
    for suffix in CASE_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + SUFFIX[fmt]
    return name + SUFFIX[fmt]


def _progress(paths: list[Path]) -> tuple[Iterable[Path], Callable[[str], None]]:
    """The paths to iterate (with a progress bar on a terminal) and how to print a line beside it."""
    if not sys.stderr.isatty():
        return paths, print
    from tqdm import tqdm

    bar = tqdm(paths, file=sys.stderr, unit="case", leave=False, dynamic_ncols=True)
    return bar, (lambda line: tqdm.write(line, file=sys.stdout)) if sys.stdout.isatty() else print


def _out_dir(name: str) -> Path:
    out = Path(name)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError([f"--out-dir {name}: cannot create the folder: {exc.strerror or exc}"]) from None
    return out


def plan_many(args: argparse.Namespace) -> int:
    """Plan every case named (folders: their *.json files); 2 when any was invalid, after writing the rest."""
    if "-" in args.cases:
        raise UsageError([f"{PROG} plan: standard input ('-') has no name to write an output after; "
                          "give case files or folders with --out-dir"])
    paths = case_paths(args.cases)
    if not paths:
        raise UsageError([f"{PROG} plan: no case files in {', '.join(args.cases)}"])
    out_dir = _out_dir(args.out_dir)
    sweep_temps(out_dir)
    protocol = load_chosen_protocol(args)
    from vcf_desktop.engine import evaluate

    today, written, invalid = date.today(), dict[Path, Path](), 0
    items, say = _progress(paths)
    for path in items:
        target = out_dir / output_name(path, args.format)
        try:
            case = read_case(path)
            problems = [] if target not in written else [
                f"its output {target} would overwrite that of {written[target]}; rename one of them"]
        except CaseFileError as exc:
            problems = exc.messages
        if problems:
            invalid += 1
            for message in problems:
                print(f"{path}: {message}", file=sys.stderr)
            say(f"SKIP {path}: invalid ({counted(len(problems), 'problem')}, on stderr)")
            continue
        result = evaluate(case, protocol, today=today)
        write_output(target, result, case, protocol, args.format, args.audience, args.detail, protect=[path],
                     deferred=True)
        written[target] = path
        say(f"OK   {path} -> {target}: {result.pathway}, {result.stability}")
    sync_files(written)
    print(f"{PROG} plan: {len(written)} of {counted(len(paths), 'case')} planned into {out_dir}, "
          f"{invalid} invalid and skipped; protocol {protocol.id} {protocol.version} sha256 {protocol.sha256} "
          f"({standing(protocol, today)})", file=sys.stderr)
    return 2 if invalid else 0

