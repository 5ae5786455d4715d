"""`plan CASE_OR_DIR... --out-dir DIR`: many cases in one process, the protocol loaded once.

With `--jobs N` the cases are shared among N worker processes, each loading the protocol once (text,
HTML and JSON; a PDF batch stays in one process); the outputs and the order of the lines are the same.

One output per case, named after its input (`NAME.vcfcase.json` or `NAME.json` -> `NAME.plan.json`,
`.plan.txt`, `.plan.html`, `.plan.pdf`), byte for byte what `plan CASE -o OUT` writes; one summary
line per case on stdout; an invalid case is reported on stderr and skipped, and the exit code is 2
at the end. Every output goes through the safe writer; their fsyncs are deferred to one sync at the end
(a batch is re-run, not resumed, after a crash). A progress bar (tqdm, imported only then) is drawn when
stderr is a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from vcf_desktop.cli.commands import (
    case_paths, counted, json_plan, load_chosen_protocol, refused, standing, with_holidays, write_output,
)
from vcf_desktop.cli.entry import PROG, UsageError
from vcf_desktop.domain.casefile import CaseFileError, read_case
from vcf_desktop.domain.safe_write import sweep_temps, sync_folders, write_text

if TYPE_CHECKING:
    from vcf_desktop.engine.protocol import LoadedProtocol

T = TypeVar("T")
SUFFIX = {"json": ".plan.json", "text": ".plan.txt", "html": ".plan.html", "pdf": ".plan.pdf"}
CASE_SUFFIXES = (".vcfcase.json", ".json")


def output_name(case_file: Path, fmt: str) -> str:
    """`a.vcfcase.json` -> `a.plan.json` (for json); `b.json` -> `b.plan.json`."""
    name = case_file.name
    for suffix in CASE_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + SUFFIX[fmt]
    return name + SUFFIX[fmt]


def _progress(items: Iterable[T], total: int) -> tuple[Iterable[T], Callable[[str], None]]:
    """The items to iterate (with a progress bar on a terminal) and how to print a line beside it."""
    if not sys.stderr.isatty():
        return items, print
    from tqdm import tqdm

    bar = tqdm(items, total=total, file=sys.stderr, unit="case", leave=False, dynamic_ncols=True)
    return bar, (lambda line: tqdm.write(line, file=sys.stdout)) if sys.stdout.isatty() else print


def _out_dir(name: str) -> Path:
    out = Path(name)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError([f"--out-dir {name}: cannot create the folder: {exc.strerror or exc}"]) from None
    return out


@dataclass(frozen=True)
class _Job:
    """What every case of a batch is planned with."""

    fmt: str
    audience: str
    detail: str
    today: date
    holidays: str | None  # --holidays CC (checked before the batch starts)


Task = tuple[Path, Path, Path | None, _Job]  # case file, output, the earlier case with that output, job
_WORKER_PROTOCOL: list[LoadedProtocol] = []  # the protocol of a --jobs worker process, loaded once


def _load_in_worker(named: str | None) -> None:
    from vcf_desktop.engine.protocol import load_protocol

    _WORKER_PROTOCOL[:] = [load_protocol(Path(named) if named else None)]


def _plan_in_worker(task: Task) -> tuple[str, list[str]]:
    return _plan_one(*task, _WORKER_PROTOCOL[0])


def _plan_one(path: Path, target: Path, clash: Path | None, job: _Job,
              protocol: LoadedProtocol) -> tuple[str, list[str]]:
    """Plan one case into `target`: (summary, []) or ("", the problems that made it skip)."""
    from vcf_desktop.engine import evaluate

    if clash is not None:
        return "", [f"its output {target} would overwrite that of {clash}; rename one of them"]
    headless_json = job.fmt == "json" and not job.holidays
    try:
        case = read_case(path, plain=headless_json)
    except CaseFileError as exc:
        return "", exc.messages
    try:  # a target that cannot be written (read-only, a folder...) is skipped, and the batch goes on
        if headless_json:  # as `plan --format json` writes it, without building the Plan model
            data, text = json_plan(case, protocol, job.today)
            refused(lambda: write_text(target, text, protect=[path], deferred=True))
            return f"{data['pathway']}, {data['stability']}", []
        result = with_holidays(evaluate(case, protocol, today=job.today), job.holidays)
        write_output(target, result, case, protocol, job.fmt, job.audience, job.detail, protect=[path],
                     deferred=True)
    except UsageError as exc:
        return "", exc.messages
    return f"{result.pathway}, {result.stability}", []


BLOCK = 1024  # cases handed to the workers at a time: memory stays flat however many cases there are


def _tasks(names: list[str], out_dir: Path, job: _Job) -> Iterator[Task]:
    """A task per case file; Path objects only for the cases in flight (memory stays flat)."""
    first: dict[str, str] = {}  # output name -> the first case file written to it
    for case_file in names:
        path = Path(case_file)
        name = output_name(path, job.fmt)
        clash = first.get(name)
        yield path, out_dir / name, None if clash is None else Path(clash), job
        first.setdefault(name, case_file)


def _results(tasks: Iterator[Task], protocol: LoadedProtocol, jobs: int,
             named: str | None) -> Iterator[tuple[Task, tuple[str, list[str]]]]:
    """Each task with its result, in order: in this process, or in `jobs` worker processes (each loads the
    protocol once; the outputs and the order are the same)."""
    if jobs <= 1:
        yield from ((task, _plan_one(*task, protocol)) for task in tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    start = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"  # spawn: Windows
    with ProcessPoolExecutor(jobs, multiprocessing.get_context(start), initializer=_load_in_worker,
                             initargs=(named,)) as pool:
        while block := list(islice(tasks, BLOCK)):
            yield from zip(block, pool.map(_plan_in_worker, block, chunksize=max(1, len(block) // (8 * jobs))))


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
    job = _Job(args.format, args.audience, args.detail, date.today(), args.holidays)
    jobs = 1 if args.format == "pdf" else args.jobs  # Qt is not started in worker processes
    written = invalid = 0
    results = _results(_tasks(paths, out_dir, job), protocol, jobs, getattr(args, "protocol", None))
    items, say = _progress(results, len(paths))
    for (path, target, _, _), (summary, problems) in items:
        if problems:
            invalid += 1
            for message in problems:
                print(f"{path}: {message}", file=sys.stderr)
            say(f"SKIP {path}: invalid ({counted(len(problems), 'problem')}, on stderr)")
        else:
            written += 1
            say(f"OK   {path} -> {target}: {summary}")
    sync_folders([out_dir])
    print(f"{PROG} plan: {written} of {counted(len(paths), 'case')} planned into {out_dir}, "
          f"{invalid} invalid and skipped; protocol {protocol.id} {protocol.version} sha256 {protocol.sha256} "
          f"({standing(protocol, job.today)})", file=sys.stderr)
    return 2 if invalid else 0
