"""Batch planning speed: `vcf-desktop plan DIR --out-dir OUT` on generated cases, one process.

Generates `--cases` case files (default 10,000) in a temporary folder from the worked examples (each with
its own case id, age and height loss), plans them all to JSON files with `--jobs` processes (default 2,
the build machine's cores; `--jobs 1`: the protocol loaded once in one process) and prints cases per
second, wall clock (target >= 500/s on the 2-core machine, moonshot >= 1,000/s), and the CPU time a case
costs (user + system, all processes; a busy shared machine inflates it less than the wall clock).
Memory: the peak resident size of a run over a tenth of the cases beside the full run; flat means the
full run needs no more (target: at most 1.2x).

Run: `.venv/bin/python benchmarks/batch.py [--cases 10000] [--jobs 2] [--keep DIR] [--strict]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import bytecode_env, compile_package  # noqa: E402

EXAMPLES = ROOT / "tests" / "examples"
TARGET, MOONSHOT = 500.0, 1000.0
MEMORY_TARGET = 1.2


def generate(folder: Path, n: int, seed: int = 12) -> None:
    """`n` valid case files: the examples in turn, each with a new case id, age and index height loss."""
    rng = random.Random(seed)
    templates = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))
                 if p.name != "expected.json"]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        case = json.loads(json.dumps(templates[i % len(templates)]))
        case["case_id"] = f"bench-{i:05d}"
        if case["patient"]["age_years"] >= 50:
            case["patient"]["age_years"] = rng.randint(50, 95)
        index = case["fractures"][0]
        if "height_loss_pct" in index:
            index["height_loss_pct"] = rng.randint(5, 60)
        (folder / f"case-{i:05d}.vcfcase.json").write_text(json.dumps(case), encoding="utf-8")


def verdict(met: bool, moonshot: bool) -> str:
    return "moonshot met" if moonshot else "ok" if met else "UNDER TARGET"


def run_batch(cases: Path, out: Path, jobs: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (kB, the largest process) of one batch run as a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "vcf_desktop", "plan", str(cases), "--out-dir", str(out),
                           "--jobs", str(jobs)],
                          env=bytecode_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"batch failed ({done.returncode}): {done.stderr[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, after.ru_maxrss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000, help="case files to generate and plan (default 10000)")
    parser.add_argument("--jobs", type=int, default=2, help="processes (plan --jobs; default 2)")
    parser.add_argument("--keep", type=Path, help="generate into (and plan from) this folder and keep it")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    compile_package()
    with tempfile.TemporaryDirectory(prefix="vcf-batch-") as tmp:
        base = args.keep or Path(tmp)
        small, full = base / "small", base / "cases"
        start = time.perf_counter()
        generate(small, max(1, args.cases // 10))
        generate(full, args.cases)
        print(f"generated {args.cases} + {args.cases // 10} cases in {time.perf_counter() - start:.1f} s")
        _, _, small_peak = run_batch(small, base / "out-small", args.jobs)  # the largest child so far
        seconds, cpu, full_peak = run_batch(full, base / "out", args.jobs)
        written = len(os.listdir(base / "out"))
    rate = args.cases / seconds
    growth = full_peak / small_peak
    print(f"planned {written} cases to JSON with --jobs {args.jobs} in {seconds:.2f} s: {rate:.0f} cases/s "
          f"({1000 / rate:.2f} ms a case, start-up included; CPU {1000 * cpu / args.cases:.2f} ms a case) "
          f"{verdict(rate >= TARGET, rate >= MOONSHOT)} (target >= {TARGET:.0f}/s, moonshot >= {MOONSHOT:.0f}/s)")
    print(f"peak memory: {small_peak / 1024:.0f} MiB for {args.cases // 10} cases, {full_peak / 1024:.0f} MiB for "
          f"{args.cases}: x{growth:.2f} {verdict(growth <= MEMORY_TARGET, growth <= 1.05)} "
          f"(target <= x{MEMORY_TARGET})")
    return 1 if args.strict and (rate < TARGET or growth > MEMORY_TARGET or written != args.cases) else 0


if __name__ == "__main__":
    sys.exit(main())
