"""Engine and command-line speed on the built-in demo case.

1. Median in-process time of `evaluate(demo)` after warm-up (target < 2 ms).
2. Median wall time of `vcf-desktop plan DEMO --format json` as a fresh process, beside the median of
   `python -c "import pydantic"` on the same interpreter, and their ratio (target <= 2x).

Run: `.venv/bin/python benchmarks/engine.py [--runs 15] [--iterations 2000]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vcf_desktop.domain.casefile import read_case
from vcf_desktop.engine import evaluate, load_protocol
from vcf_desktop.resources import resource_path

DEMO = resource_path("cases/typical-l2-wedge.vcfcase.json")
EVALUATE_TARGET_MS = 2.0
STARTUP_TARGET_RATIO = 2.0


def evaluate_median_ms(iterations: int) -> float:
    case, protocol, today = read_case(DEMO), load_protocol(), date(2026, 11, 24)
    for _ in range(max(50, iterations // 10)):
        evaluate(case, protocol, today=today)
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        evaluate(case, protocol, today=today)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def wall_medians_s(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command as a fresh process; the commands take turns, so that a change in
    the machine's load (2 shared cores) affects all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            if round_:  # round 0 warms the file cache and writes .pyc files
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("vcf-desktop")
    return [str(script)] if script.exists() else [sys.executable, "-m", "vcf_desktop"]


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="process runs per command (default 15)")
    parser.add_argument("--iterations", type=int, default=2000, help="in-process evaluations (default 2000)")
    args = parser.parse_args()

    ms = evaluate_median_ms(args.iterations)
    print(f"evaluate(demo) in-process     median {ms:8.3f} ms   over {args.iterations} runs   "
          f"target < {EVALUATE_TARGET_MS:g} ms: {verdict(ms < EVALUATE_TARGET_MS)}")

    wall = wall_medians_s({
        "bare": [sys.executable, "-c", "pass"],
        "pydantic": [sys.executable, "-c", "import pydantic"],
        "plan": [*cli_command(), "plan", str(DEMO), "--format", "json"],
    }, args.runs)
    bare, baseline, plan = wall["bare"], wall["pydantic"], wall["plan"]
    ratio = plan / baseline
    print(f"python -c 'pass'              median {bare * 1000:8.1f} ms   over {args.runs} runs")
    print(f"python -c 'import pydantic'   median {baseline * 1000:8.1f} ms   over {args.runs} runs")
    print(f"vcf-desktop plan --format json median {plan * 1000:7.1f} ms   over {args.runs} runs")
    print(f"ratio plan / import pydantic  {ratio:8.2f} x   target <= {STARTUP_TARGET_RATIO:g} x: "
          f"{verdict(ratio <= STARTUP_TARGET_RATIO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
