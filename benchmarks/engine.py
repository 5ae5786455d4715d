"""Engine and command-line speed on the built-in demo case.

1. Median in-process time of `evaluate(demo)` after warm-up (target < 2 ms).
2. Median wall time of `vcf-desktop plan DEMO --format json` as a fresh process, beside
   `python -c "import pydantic"` on the same interpreter, and their ratio (target <= 1.5x, moonshot
   1.1x). The package is compiled to bytecode first and every command may use bytecode, as an installed
   program does (see benchmarks/timing.py); the commands take turns after two warm-up rounds.

Run: `.venv/bin/python benchmarks/engine.py [--runs 21] [--iterations 2000] [--strict]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import bytecode_env, compile_package, interleaved_medians, verdict  # noqa: E402

from vcf_desktop.domain.casefile import read_case  # noqa: E402
from vcf_desktop.engine import evaluate, load_protocol  # noqa: E402
from vcf_desktop.resources import resource_path  # noqa: E402

DEMO = resource_path("cases/typical-l2-wedge.vcfcase.json")
EVALUATE_TARGET_MS = 2.0
STARTUP_TARGET = 1.5
STARTUP_MOONSHOT = 1.1


def evaluate_median_ms(iterations: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of one evaluation (a busy machine inflates the CPU time far less)."""
    case, protocol, today = read_case(DEMO), load_protocol(), date(2026, 11, 24)
    for _ in range(max(50, iterations // 10)):
        evaluate(case, protocol, today=today)
    wall, cpu = [], []
    for _ in range(iterations):
        start, start_cpu = time.perf_counter(), time.process_time()
        evaluate(case, protocol, today=today)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="timed process runs per command (default 21)")
    parser.add_argument("--iterations", type=int, default=2000, help="in-process evaluations (default 2000)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    ms, cpu_ms = evaluate_median_ms(args.iterations)
    print(f"evaluate(demo) in-process      median {ms:8.3f} ms   (CPU {cpu_ms:6.3f} ms)   over {args.iterations} runs"
          f"   target < {EVALUATE_TARGET_MS:g} ms: {verdict(ms, EVALUATE_TARGET_MS)} (CPU: {verdict(cpu_ms, EVALUATE_TARGET_MS)})")

    compile_package()
    env = bytecode_env(PYTHONPATH=str(ROOT))
    bare, baseline, plan = interleaved_medians([
        [sys.executable, "-c", "pass"],
        [sys.executable, "-c", "import pydantic"],
        # `-m` rather than the venv's script, which an editable install may have made for an older entry
        [sys.executable, "-m", "vcf_desktop", "plan", str(DEMO), "--format", "json"],
    ], args.runs, env)
    ratio, cpu_ratio = plan.wall / baseline.wall, plan.cpu / baseline.cpu
    for label, t in (("python -c 'pass'", bare), ("python -c 'import pydantic'", baseline),
                     ("vcf-desktop plan --format json", plan)):
        print(f"{label:30} median {t.wall * 1000:8.1f} ms   (CPU {t.cpu * 1000:6.1f} ms)   over {args.runs} runs")
    print(f"ratio plan / import pydantic   {ratio:8.2f} x   target <= {STARTUP_TARGET:g} x: "
          f"{verdict(ratio, STARTUP_TARGET)}   (moonshot {STARTUP_MOONSHOT:g} x: "
          f"{verdict(ratio, STARTUP_MOONSHOT)})   CPU-time ratio {cpu_ratio:.2f} x")
    print("(bytecode compiled; commands interleaved after 2 warm-up rounds)")
    ok = ms < EVALUATE_TARGET_MS and ratio <= STARTUP_TARGET
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
