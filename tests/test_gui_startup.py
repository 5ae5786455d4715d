"""The first paint pays for nothing it does not show (benchmarks/startup.py measures the time).

Run in a fresh interpreter: `gui.app.run(["--exit-after-show"])` on an offscreen 1920x1080 screen, with a
watcher that notes, at the main window's first paint, which enums PySide6 has built. Touching `Qt.*` builds all of Qt's namespace enums (about 18 ms): the first screen's
widgets use `gui.qt_lazy` instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import enum, json
built = []
create = enum.EnumType._create_
def recording(cls, name, *args, **kwargs):
    built.append(name)
    return create(cls, name, *args, **kwargs)
enum.EnumType._create_ = recording

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
seen = {}

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow) and "enums" not in seen:
            seen["enums"] = list(built)
        return False

watch = Watch()
app.installEventFilter(watch)
from vcf_desktop.gui.app import run

seen["code"] = run(["--exit-after-show"])
print(json.dumps(seen))
"""


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 800)])  # the second opens maximised
def test_the_first_paint_builds_no_qt_namespace_enum(tmp_path, width, height):
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                                "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screens}", "VCF_DESKTOP_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["code"] == 0
    assert "AlignmentFlag" not in seen["enums"], "Qt.* was touched before the first paint (use gui.qt_lazy)"
    assert "QCborKnownTags" in seen["enums"]  # the watcher works: QtCore's own enums are built on import
