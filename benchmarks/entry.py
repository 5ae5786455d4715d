"""Keyboard entry benchmark: the demo case typed into the wizard from an empty case, with key events only.

A skilled user's keystrokes, sent with QTest to whatever widget has the focus: on every step the cursor
starts in the first field; a value is typed and Tab moves on (a yes/no or a choice moves on by itself
once the letters typed match one choice, e.g. "y", "l2"); Tab skips a field left not recorded; Enter
goes to the next step from any field (fields after the last recorded one need no key). At the end,
Ctrl+S saves (the file dialog is answered without keys) and the saved case is compared with the demo
case (resources/cases/typical-l2-wedge.vcfcase.json). Questions the wizard does not ask of this patient
(pregnancy, for a 71-year-old woman recorded postmenopausal) cannot be typed and are left out of the
comparison; the lab units are the case file's (a clinic whose laboratory reports in them).

Prints the keys per step, the typed characters of values and the other keys, and ends with
`keystrokes: N` (every key event; a chord such as Ctrl+S counts once). Target: <= 80.

Usage: .venv/bin/python benchmarks/entry.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["VCF_DESKTOP_DATA_DIR"] = tempfile.mkdtemp(prefix="vcf-entry-bench-")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

DEMO = ROOT / "resources" / "cases" / "typical-l2-wedge.vcfcase.json"
TARGET = 80


class Keyboard:
    """Sends key events to the focused widget and counts them."""

    def __init__(self) -> None:
        self.typed = 0  # characters of values
        self.other = 0  # Tab, Enter, Space, type-ahead letters of choices, chords

    @staticmethod
    def _focus():
        widget = QApplication.focusWidget() or QApplication.activeWindow()  # a chord reaches the window
        assert widget is not None, "no window is active"
        return widget

    def text(self, text: str, *, value: bool = True) -> None:
        for char in text:
            QTest.keyClick(self._focus(), char)
        if value:
            self.typed += len(text)
        else:
            self.other += len(text)

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(self._focus(), key, modifier)
        self.other += 1

    @property
    def total(self) -> int:
        return self.typed + self.other


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _prefix(combo, index: int) -> str | None:
    """The shortest prefix of item `index` that matches no other item (None if there is none)."""
    text = combo.itemText(index).lower()
    others = [combo.itemText(i).lower() for i in range(combo.count()) if i != index]
    return next((text[:n] for n in range(1, len(text) + 1) if not any(o.startswith(text[:n]) for o in others)), None)


def type_step(keys: Keyboard, page, data: dict) -> None:
    """Type every recorded value of the step's shown fields, in Tab order; Enter to go on."""
    from vcf_desktop.gui.draft import CaseDraft
    from vcf_desktop.gui.fields import ChoiceEditor, MultiEditor

    source = CaseDraft(data)
    editors = page.fracture_editors if hasattr(page, "fracture_editors") else [e for e in page.editors if e.labelled]
    for i, editor in enumerate(editors):
        if not any(source.get(e.path) is not None for e in editors[i:]):
            break  # nothing more to type here: Enter goes on from any field
        if not editor.isVisibleTo(page):
            continue  # not asked of this patient (shown or hidden as the answers before it came in)
        value = source.get(editor.path)
        assert QApplication.focusWidget() in (editor.input, *getattr(editor, "boxes", {}).values()), \
            (editor.path, QApplication.focusWidget())
        if isinstance(editor, MultiEditor):
            for choice in editor.boxes:
                if choice in (value or []):
                    keys.key(Qt.Key.Key_Space)
                keys.key(Qt.Key.Key_Tab)
        elif isinstance(editor, ChoiceEditor):
            if value is None:
                keys.key(Qt.Key.Key_Tab)
                continue
            index = editor.combo.findData(value)
            prefix = _prefix(editor.combo, index)
            if prefix is not None:
                keys.text(prefix, value=False)  # moves on by itself
            else:
                keys.text(editor.combo.itemText(index).lower(), value=False)
                keys.key(Qt.Key.Key_Tab)
        else:
            if value is not None:
                keys.text(_number(value) if isinstance(value, (int, float)) else str(value))
            if not any(source.get(e.path) is not None for e in editors[i + 1:]):
                break  # the step's last value: Enter from here
            for _ in editor.tab_widgets():
                keys.key(Qt.Key.Key_Tab)
    keys.key(Qt.Key.Key_Return)
    QApplication.processEvents()


def main() -> int:
    app = QApplication.instance() or QApplication([])
    # A choice's letters belong together when typed within this interval (Qt's default is 400 ms); a
    # loaded machine can take longer than that between two synthetic key events.
    app.setKeyboardInputInterval(2000)
    from vcf_desktop.domain.casefile import read_case
    from vcf_desktop.engine import evaluate, load_protocol
    from vcf_desktop.gui import applicability, units
    from vcf_desktop.gui.draft import CaseDraft
    from vcf_desktop.gui.main_window import MainWindow
    from vcf_desktop.gui.style import readable_palette

    app.setPalette(readable_palette(app.palette()))
    for path, lab in units.LABS.items():
        units.remember_unit(path, lab.contract)
    protocol = load_protocol()
    demo = read_case(DEMO)
    data = json.loads(demo.to_json())
    window = MainWindow(protocol, offer_recovery=False)
    window.show()
    window.activateWindow()
    wizard = window.wizard
    QTest.qWaitForWindowActive(window)
    while not wizard.all_built():
        QApplication.processEvents()
    keys = Keyboard()
    print(f"{'step':<32}{'keys':>6}")
    while wizard.currentPage() is not wizard.review_page:
        page, before = wizard.currentPage(), keys.total
        type_step(keys, page, data)
        assert wizard.currentId() == wizard.steps.index(page) + 1, f"{page.title()}: Enter did not go on"
        print(f"{page.title():<32}{keys.total - before:>6}")
    keys.key(Qt.Key.Key_Return)  # Review -> Plan
    assert wizard.currentPage() is wizard.plan_page
    print(f"{'Review':<32}{1:>6}")

    target = Path(os.environ["VCF_DESKTOP_DATA_DIR"]) / "typed.vcfcase.json"
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(target), ""))
    keys.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    print(f"{'Save (Ctrl+S)':<32}{1:>6}")
    saved = json.loads(read_case(target).to_json())
    record = saved.pop("plan_record", None)  # written by the program on saving, not typed
    asked = dict(data)
    for section, fields in data.items():
        if isinstance(fields, dict):
            asked[section] = {k: v for k, v in fields.items()
                              if applicability.applies(CaseDraft(saved), f"{section}.{k}")}
    skipped = sorted(f"{s}.{k}" for s, f in data.items() if isinstance(f, dict) for k in f if k not in asked[s])
    assert saved == asked, json.dumps({"saved": saved, "expected": asked}, indent=1)
    plan = evaluate(read_case(target), protocol)
    assert plan.pathway == evaluate(demo, protocol).pathway and wizard.plan_page.view is not None
    assert record is None or record["pathway"] == plan.pathway
    print(f"saved case equals the demo case (not asked of this patient: {', '.join(skipped) or 'nothing'})")
    print(f"plan: {plan.pathway}, {plan.stability}")
    print(f"typed characters of values: {keys.typed}")
    print(f"other keys (Tab, Enter, Space, choice letters, Ctrl+S): {keys.other}")
    print(f"target: <= {TARGET} ({'met' if keys.total <= TARGET else 'not met'})")
    print(f"keystrokes: {keys.total}")
    window.draft.mark_saved()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
