"""A scripted typist for tests/test_autosave_kill.py: the real main window (offscreen), fields typed key by key.

Run as `python tests/autosave_typist.py SEED` with VCF_DESKTOP_DATA_DIR set. Prints `READY` once the window
is up, then after each field is typed completely `TYPED <path> <text> <time.monotonic()>`, until killed.
"""

from __future__ import annotations

import random
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

#: Fields of the first step and what may be typed into them (valid values, so the draft records them).
FIELDS = {
    "case_id": lambda r: "k" + "".join(r.choice("abcdefgh") for _ in range(r.randint(1, 6))),
    "patient.age_years": lambda r: str(r.randint(18, 99)),
    "patient.weight_kg": lambda r: str(r.randint(40, 120)),
    "patient.height_cm": lambda r: str(r.randint(140, 199)),
    "patient.asa_class": lambda r: str(r.randint(1, 5)),
    "patient.frailty_mfi5": lambda r: str(r.randint(0, 5)),
}


def main(seed: int) -> None:
    app = QApplication([])
    from vcf_desktop.gui.fields import LineEditor
    from vcf_desktop.gui.main_window import MainWindow

    window = MainWindow(None, offer_recovery=False)
    window.show()
    editors = {e.path: e for e in window.findChildren(LineEditor) if e.path in FIELDS}
    missing = set(FIELDS) - set(editors)
    if missing:
        raise SystemExit(f"no editor for {sorted(missing)}")
    rng = random.Random(seed)

    def type_one() -> None:
        path = rng.choice(sorted(FIELDS))
        text = FIELDS[path](rng)
        line = editors[path].line
        line.setFocus()
        line.selectAll()
        QTest.keyClicks(line, text)  # one textEdited (and one draft change) per key
        print(f"TYPED {path} {text} {time.monotonic():.6f}", flush=True)
        QTimer.singleShot(rng.randint(20, 400), type_one)

    print("READY", flush=True)
    QTimer.singleShot(0, type_one)
    app.exec()


if __name__ == "__main__":
    main(int(sys.argv[1]))
