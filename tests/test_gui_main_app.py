"""`python -m vcf_desktop --exit-after-show` and gui.app.run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VCF_DESKTOP_DATA_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-m", "vcf_desktop", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_exit_after_show_exits_zero(tmp_path):
    result = _run("--exit-after-show", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_exit_after_show_with_a_case_file(tmp_path, examples_dir):
    result = _run(str(examples_dir / "typical-l2-wedge.json"), "--exit-after-show", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not list((tmp_path / "autosave").glob("*.vcfdraft.json"))


def test_exit_after_show_with_a_damaged_case_never_blocks(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = _run(str(bad), "--exit-after-show", tmp_path=tmp_path)
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    assert bad.read_text(encoding="utf-8") == "{"


#: Run in a fresh interpreter: `run(argv)` with a watcher that notes, at the main window's first paint,
#: which heavy modules are loaded and what the window holds; afterwards, what it holds at the end.
PAINT_PROBE = """
import json, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
seen = {}

def state(window):
    heavy = ("pydantic", "vcf_desktop.domain.case", "vcf_desktop.domain.plan", "vcf_desktop.engine")
    return {"modules": sorted(m for m in heavy if m in sys.modules),
            "protocol": window.protocol is not None, "plan": window.wizard.plan is not None,
            "case_id": window.draft.get("case_id"), "built": [p.built for p in window.wizard.steps]}

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow) and "paint" not in seen:
            seen["paint"] = state(obj)
        return False

watch = Watch()
app.installEventFilter(watch)
from vcf_desktop.gui.app import run

seen["code"] = run(sys.argv[1:])
seen["end"] = state(next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow)))
print(json.dumps(seen))
"""


def _probe(*args: str, tmp_path: Path) -> dict:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VCF_DESKTOP_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PAINT_PROBE, *args], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_first_paint_comes_before_pydantic_the_models_and_the_engine(tmp_path):
    seen = _probe("--exit-after-show", tmp_path=tmp_path)
    assert seen["code"] == 0
    assert seen["paint"]["modules"] == [] and not seen["paint"]["protocol"]
    assert seen["paint"]["built"] == [True] + [False] * 9  # the Patient step, nothing else
    assert seen["end"]["modules"] == []  # --exit-after-show without a case: done at the first paint


def test_the_protocol_and_the_case_arrive_after_the_first_paint(tmp_path, examples_dir):
    seen = _probe(str(examples_dir / "typical-l2-wedge.json"), "--exit-after-show", tmp_path=tmp_path)
    assert seen["code"] == 0
    assert not seen["paint"]["protocol"] and not seen["paint"]["plan"] and seen["paint"]["case_id"] is None
    assert "vcf_desktop.engine" not in seen["paint"]["modules"]
    assert seen["end"]["protocol"] and seen["end"]["plan"] and seen["end"]["case_id"] == "typical-l2-wedge"


def test_a_broken_protocol_is_reported_and_exits_1(qapp, monkeypatch, capsys, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from vcf_desktop.engine import protocol as protocol_module
    from vcf_desktop.gui import app

    def broken(path=None):
        raise protocol_module.ProtocolError("rules[3]: citation 'XX-1' is not in [references]")

    shown = []
    monkeypatch.setenv("VCF_DESKTOP_DATA_DIR", str(tmp_path))  # no autosave of a real session offered
    monkeypatch.setattr(protocol_module, "load_protocol", broken)
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text)))
    assert app.run([]) == 1
    assert "XX-1" in shown[0] and "XX-1" in capsys.readouterr().err
