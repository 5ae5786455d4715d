"""Start-up and PDF-export benchmark of the desktop app (offscreen).

Prints, in one run:
- the median wall time (N runs after 1 warm-up, the two programs taking turns) of
  `python -m vcf_desktop --exit-after-show` (exits once the main window's first paint is done) beside
  a bare PySide6 program that shows an empty QWidget and exits the same way, and their ratio
  (target <= 1.5x, moonshot 1.35x);
- the median time to export the demo plan to PDF in-process (target < 300 ms).

The package is compiled to bytecode first and both programs may use bytecode, as an installed app does
(see benchmarks/timing.py); the programs take turns after two warm-up rounds. `--no-pyc-cache`
measures with the caller's environment as it is (PYTHONDONTWRITEBYTECODE=1 here: the app's own modules
are then recompiled on every start, the bare program's are not).

Usage: .venv/bin/python benchmarks/startup.py [--runs 21] [--strict] [--no-pyc-cache]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import bytecode_env, compile_package, interleaved_medians, offscreen_platform, verdict  # noqa: E402

DEMO_CASE = ROOT / "resources" / "cases" / "typical-l2-wedge.vcfcase.json"
STARTUP_TARGET = 1.5
STARTUP_MOONSHOT = 1.35
PDF_TARGET_MS = 300.0

BARE = '''\
import sys
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class ExitOnPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QCoreApplication.quit)
        return False


app = QApplication(sys.argv)
window = QWidget()
window.resize(1280, 800)
window.installEventFilter(ExitOnPaint(window))
window.show()
sys.exit(app.exec())
'''


def _median_pdf_ms(runs: int) -> float:
    from vcf_desktop.domain.casefile import read_case
    from vcf_desktop.engine import evaluate, load_protocol
    from vcf_desktop.report.pdf import ensure_qt_app, register_fonts, write_pdf

    ensure_qt_app()
    register_fonts()
    protocol = load_protocol()
    case = read_case(DEMO_CASE)
    plan = evaluate(case, protocol)
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for n in range(runs + 1):
            start = time.perf_counter()
            write_pdf(plan, case, protocol, Path(folder) / "plan.pdf", "clinician")
            if n:
                times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs after two warm-ups (default 21)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--no-pyc-cache", action="store_true",
                        help="keep the caller's bytecode settings (e.g. PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare_qt.py"
        bare.write_text(BARE, encoding="utf-8")
        # Private folders: no autosave or settings from a real session, nothing left behind, and the
        # user folders found as for a user (not through VCF_DESKTOP_DATA_DIR, which skips platformdirs).
        extra = {"QT_QPA_PLATFORM": offscreen_platform(Path(folder)),
                 "XDG_DATA_HOME": str(Path(folder) / "data"), "XDG_CONFIG_HOME": str(Path(folder) / "config"),
                 "PYTHONPATH": str(ROOT)}
        if args.no_pyc_cache:
            env = {**os.environ, **extra}
        else:
            compile_package()
            env = bytecode_env(**extra)
        app_s, bare_s = interleaved_medians([[python, "-m", "vcf_desktop", "--exit-after-show"],
                                             [python, str(bare)]], args.runs, env)
    ratio, cpu_ratio = app_s.wall / bare_s.wall, app_s.cpu / bare_s.cpu
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    pdf_ms = _median_pdf_ms(args.runs)
    ok_start, ok_pdf = ratio <= STARTUP_TARGET, pdf_ms < PDF_TARGET_MS
    cache = "caller's bytecode settings" if args.no_pyc_cache else "bytecode compiled"
    print(f"start-up to the first paint, median of {args.runs} interleaved runs after 2 warm-ups "
          f"(offscreen, one 1920x1080 screen, {cache}):")
    print(f"  vcf-desktop --exit-after-show  {app_s.wall * 1000:7.0f} ms   (CPU {app_s.cpu * 1000:5.0f} ms)")
    print(f"  bare PySide6 QWidget           {bare_s.wall * 1000:7.0f} ms   (CPU {bare_s.cpu * 1000:5.0f} ms)")
    print(f"  ratio                          {ratio:7.2f} x   target <= {STARTUP_TARGET} x: "
          f"{verdict(ratio, STARTUP_TARGET)}   (moonshot {STARTUP_MOONSHOT} x: {verdict(ratio, STARTUP_MOONSHOT)})"
          f"   CPU-time ratio {cpu_ratio:.2f} x")
    print(f"PDF export of the demo plan, in-process, median of {args.runs}:")
    print(f"  write_pdf (clinician)          {pdf_ms:7.0f} ms   (target < {PDF_TARGET_MS:.0f} ms: "
          f"{'ok' if ok_pdf else 'OVER TARGET'})")
    return 1 if args.strict and not (ok_start and ok_pdf) else 0


if __name__ == "__main__":
    sys.exit(main())
