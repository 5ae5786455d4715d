"""Frozen bundle size and start-up of VCF Desktop against a bare PySide6 hello window.

    make bundle-bench          (builds dist/vcf-desktop first)
    .venv/bin/python benchmarks/bundle.py [--runs 10] [--bundle dist/vcf-desktop]

The hello window is frozen in a temporary folder with the SAME spec (build_scripts/vcf-desktop.spec
`-- --hello`), so the same excludes, Qt filtering, strip and onedir layout apply; only the app's code,
data and its extra Qt modules differ. Start-up is the whole process of `--exit-after-show`
(offscreen: show the main window, wait for its first paint, exit 0), median of N runs after two
warm-up runs each, app and hello alternating. For information, also the app started with the demo
case (`--exit-after-show CASE`: after the first paint it loads the protocol, opens the case, exits). Targets: size <= 1.3x, start-up <= 1.5x the hello
window's (moonshot 1.4x). A frozen bundle runs from the bytecode PyInstaller compiled into it.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import offscreen_platform, verdict  # noqa: E402

SPEC = ROOT / "build_scripts" / "vcf-desktop.spec"
SIZE_TARGET = 1.3
STARTUP_TARGET = 1.5
STARTUP_MOONSHOT = 1.4
PLATFORM = "offscreen"  # with a 1920x1080 screen once main() has begun

HELLO = '''\
"""A bare PySide6 window: shown, and with --exit-after-show closed right after its first paint."""
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


class Hello(QWidget):
    def paintEvent(self, event):
        super().paintEvent(event)
        if "--exit-after-show" in sys.argv:
            QTimer.singleShot(0, QApplication.quit)


app = QApplication(sys.argv)
window = Hello()
window.setWindowTitle("Hello")
window.resize(640, 480)
window.show()
sys.exit(app.exec())
'''


def tree_bytes(folder: Path) -> int:
    """Apparent size of a folder (symlinks counted as links, not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def build_hello(workdir: Path) -> tuple[Path, float]:
    """Freeze the hello window with the app's spec; returns the bundle folder and the build seconds."""
    script = workdir / "hello.py"
    script.write_text(HELLO, encoding="utf-8")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    command = [str(pyinstaller), "--noconfirm", "--clean", "--log-level", "ERROR",
               "--distpath", str(workdir / "dist"), "--workpath", str(workdir / "build"),
               str(SPEC), "--", "--hello", str(script)]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    return workdir / "dist" / "hello", time.perf_counter() - started


def start_once(command: tuple[str, ...]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one run of `command`; fails on a non-zero exit."""
    env = {**os.environ, "QT_QPA_PLATFORM": PLATFORM}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def startup(commands: list[tuple[str, ...]], runs: int) -> list[tuple[float, float]]:
    """Median wall seconds and peak RSS per command, runs interleaved after two warm-ups each."""
    for command in commands * 2:
        start_once(command)
    samples = [[start_once(command) for command in commands] for _ in range(runs)]
    return [
        (statistics.median(run[i][0] for run in samples), statistics.median(run[i][1] for run in samples))
        for i in range(len(commands))
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "vcf-desktop")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    app = args.bundle / "vcf-desktop"
    if not app.is_file():
        raise SystemExit(f"no {app}: run `make build` first")

    global PLATFORM  # noqa: PLW0603 - set once, before any run
    with tempfile.TemporaryDirectory(prefix="vcf-hello-bundle-") as tmp:
        PLATFORM = offscreen_platform(Path(tmp))
        hello_dir, hello_build_s = build_hello(Path(tmp))
        app_bytes, hello_bytes = tree_bytes(args.bundle), tree_bytes(hello_dir)
        demo = args.bundle / "_internal" / "resources" / "cases" / "typical-l2-wedge.vcfcase.json"
        commands = [(str(app), "--exit-after-show"), (str(hello_dir / "hello"), "--exit-after-show"),
                    (str(app), "--exit-after-show", str(demo))]
        (app_s, app_mib), (hello_s, hello_mib), (case_s, case_mib) = startup(commands, args.runs)

    size_ratio = app_bytes / hello_bytes
    start_ratio = app_s / hello_s
    print(f"hello window bundle built in {hello_build_s:.1f} s with {SPEC.relative_to(ROOT)} -- --hello")
    print(f"{'':24}{'vcf-desktop':>14}{'hello window':>14}{'ratio':>8}  target")
    print(f"{'bundle size (MB)':24}{app_bytes / 1e6:14.1f}{hello_bytes / 1e6:14.1f}"
          f"{size_ratio:8.2f}  <= {SIZE_TARGET}  {verdict(size_ratio, SIZE_TARGET)}")
    print(f"{'start-up, median (s)':24}{app_s:14.3f}{hello_s:14.3f}"
          f"{start_ratio:8.2f}  <= {STARTUP_TARGET}  {verdict(start_ratio, STARTUP_TARGET)}"
          f"  (moonshot {STARTUP_MOONSHOT}: {verdict(start_ratio, STARTUP_MOONSHOT)})")
    print(f"{'peak RSS, median (MiB)':24}{app_mib:14.1f}{hello_mib:14.1f}{app_mib / hello_mib:8.2f}")
    print(f"{'with the demo case (s)':24}{case_s:14.3f}{'':14}{case_s / hello_s:8.2f}  (protocol loaded, case"
          f" open, plan shown; {case_mib:.0f} MiB)")
    print(f"(--exit-after-show, QT_QPA_PLATFORM=offscreen with one 1920x1080 screen, {args.runs} runs each after 2 warm-ups, alternating)")
    return 0 if size_ratio <= SIZE_TARGET and start_ratio <= STARTUP_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
