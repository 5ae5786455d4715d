"""What the start-up benchmarks share: bytecode compiled first, and interleaved whole-process medians.

An installed or frozen program runs from compiled bytecode. This machine's environment sets
PYTHONDONTWRITEBYTECODE=1, under which a source checkout recompiles its own modules on every start
(about 20 ms here) while the baseline (pydantic, PySide6) runs from its installed .pyc files. So the
package is compiled before timing, and every command runs with bytecode writing allowed.
"""

from __future__ import annotations

import compileall
import json
import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent


def bytecode_env(**extra: str) -> dict[str, str]:
    """The caller's environment with bytecode writing allowed (and `extra` added)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    return {**env, **extra}


def compile_package() -> None:
    """Compile vcf_desktop to bytecode beside the sources, as an installation does."""
    ok = compileall.compile_dir(str(ROOT / "vcf_desktop"), quiet=1, force=False)
    if not ok:
        raise SystemExit("compileall failed")


class Timing(NamedTuple):
    """Median wall seconds, and median CPU seconds (user + system) of the process, which a busy shared
    machine inflates much less than the wall time."""

    wall: float
    cpu: float


def run_once(command: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of `command` (which must exit 0)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} exited {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime


def interleaved_medians(commands: Sequence[Sequence[str]], runs: int, env: dict[str, str],
                        warmups: int = 2) -> list[Timing]:
    """Median wall and CPU seconds of each command; the commands take turns, so that a change in the load
    of the shared machine hits all of them alike. The warm-up rounds fill the disk and bytecode caches."""
    for _ in range(warmups):
        for command in commands:
            run_once(command, env)
    samples: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for command, times in zip(commands, samples, strict=True):
            times.append(run_once(command, env))
    return [Timing(statistics.median(w for w, _ in times), statistics.median(c for _, c in times))
            for times in samples]


def verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "OVER TARGET"


def offscreen_platform(folder: Path) -> str:
    """QT_QPA_PLATFORM for Qt's offscreen platform with one 1920x1080 screen, a common desktop (its own
    default screen is 800x800, on which the app opens maximised, as it does on small screens)."""
    config = folder / "offscreen-screens.json"
    config.write_text(json.dumps({"screens": [{"name": "bench", "x": 0, "y": 0, "width": 1920, "height": 1080,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}),
                      encoding="utf-8")
    return f"offscreen:configfile={config}"
