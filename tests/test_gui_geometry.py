"""The main window, its buttons and the print preview fit the screen: offscreen for the sizing rules, and
under Xvfb with a real window manager (frames and title bars) at the commonest small screens and at
150 % scaling. The Xvfb tests are skipped where Xvfb or the window manager is not installed (`make
test` installs both)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize

from vcf_desktop.gui import geometry

ROOT = Path(__file__).resolve().parent.parent
WINDOW_MANAGER = "openbox"


def test_a_preferred_size_is_shrunk_to_the_screen_with_room_for_the_frame():
    area = QRect(0, 0, 1366, 728)
    size = geometry.fitted_size(QSize(1280, 800), area)
    assert size.width() == 1280 and size.height() == 728 - geometry.FRAME_ALLOWANCE.height()
    assert geometry.fitted_size(QSize(800, 600), QRect(0, 0, 1920, 1040)) == QSize(800, 600)


def test_the_main_window_opens_maximised_on_a_small_screen_and_remembers_its_size(qtbot, protocol, tmp_path,
                                                                                 monkeypatch):
    from vcf_desktop.gui.main_window import MainWindow

    monkeypatch.setenv("VCF_DESKTOP_DATA_DIR", str(tmp_path))
    window = MainWindow(protocol, offer_recovery=False)
    qtbot.addWidget(window)
    window.show_placed()
    area = geometry.available_area(window)
    small = area.width() < geometry.MAXIMISE_BELOW.width() or area.height() < geometry.MAXIMISE_BELOW.height()
    assert window.isMaximized() == small
    window.setWindowState(window.windowState() & ~window.windowState().WindowMaximized)
    window.setGeometry(QRect(area.left() + 10, area.top() + 40, 700, 500))
    geometry.remember(window, "main_window")
    again = MainWindow(protocol, offer_recovery=False)
    qtbot.addWidget(again)
    assert again.geometry() == QRect(area.left() + 10, area.top() + 40, 700, 500) and not again.isMaximized()


def test_a_remembered_size_that_no_longer_fits_is_not_restored(qtbot, protocol, tmp_path, monkeypatch):
    from vcf_desktop.gui.main_window import MainWindow

    monkeypatch.setenv("VCF_DESKTOP_DATA_DIR", str(tmp_path))
    store = geometry.settings()
    store.setValue("main_window/geometry", QRect(0, 0, 5000, 3000))
    store.sync()
    window = MainWindow(protocol, offer_recovery=False)
    qtbot.addWidget(window)
    area = geometry.available_area(window)
    assert window.width() <= area.width() and window.height() <= area.height()


# ---- under a window manager --------------------------------------------------------------------------

#: Run in a fresh interpreter on the X display: show the main window (and, once it is framed, the print
#: preview of the demo case), then print their frame geometries, the buttons' and the screen's, and the
#: steps that scroll sideways.
PROBE = """
import json, sys
from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from vcf_desktop.engine import load_protocol
from vcf_desktop.domain.casefile import read_case
from vcf_desktop.engine import evaluate
from vcf_desktop.gui.main_window import MainWindow
from vcf_desktop.gui.printing import PlanPreviewDialog

protocol = load_protocol()
window = MainWindow(protocol, offer_recovery=False)
window.show_placed()  # as the app shows it (maximised on a small screen)
from pathlib import Path
window.open_path(Path(sys.argv[1]))
window.wizard.go_to(2)  # a middle step: Back and Next both shown
out = {}

def rect(r):
    return [r.x(), r.y(), r.width(), r.height()]

def global_rect(widget):
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    return rect(QRect(top_left, widget.size()))

def measure_window():
    out["screen"] = rect(window.screen().availableGeometry())
    out["window"] = rect(window.frameGeometry())
    wizard = window.wizard
    buttons = [wizard.button(getattr(wizard.WizardButton, name)) for name in ("BackButton", "NextButton")]
    out["buttons"] = {b.text(): global_rect(b) for b in buttons if b.isVisible()}
    out["status_bar"] = global_rect(window.statusBar()) if window.statusBar().isVisible() else None
    out["scrolling_sideways"] = []
    for index, step in enumerate(wizard.steps):  # every step fits the width: only vertical scrolling
        wizard.go_to(index)
        for _ in range(5):
            app.processEvents()
        if step.scroll is not None and step.scroll.horizontalScrollBar().isVisible():
            out["scrolling_sideways"].append(step.title())
    case = read_case(sys.argv[1])
    dialog = PlanPreviewDialog(evaluate(case, protocol), case, protocol, window)
    dialog.show()
    QTimer.singleShot(1500, lambda: measure_dialog(dialog))

def measure_dialog(dialog):
    out["preview"] = rect(dialog.frameGeometry())
    out["preview_choosers_shown"] = dialog.audience.isVisible() and dialog.detail.isVisible()
    print(json.dumps(out))
    app.quit()

QTimer.singleShot(1500, measure_window)
app.exec()
"""


def _x_tools() -> bool:
    return shutil.which("Xvfb") is not None and shutil.which(WINDOW_MANAGER) is not None


@pytest.fixture
def x_display(request, tmp_path):
    """An Xvfb display of the given size with the window manager running on it."""
    width, height = request.param
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as chosen:  # Xvfb writes the display number it chose once it is ready
        display = ":" + chosen.readline().strip()
    manager = subprocess.Popen([WINDOW_MANAGER], env={**os.environ, "DISPLAY": display, "HOME": str(tmp_path)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield display
    for process in (manager, server):
        process.terminate()
        process.wait(timeout=10)


def _inside(inner: list[int], outer: list[int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox and y >= oy and x + w <= ox + ow and y + h <= oy + oh


@pytest.mark.skipif(not _x_tools(), reason="needs Xvfb and openbox (make test installs them)")
@pytest.mark.parametrize(("x_display", "scaling"), [
    ((1366, 768), {}), ((1280, 720), {}), ((1920, 1080), {"QT_SCALE_FACTOR": "1.5"}),
    ((1920, 1080), {"QT_FONT_DPI": "144"})],
    indirect=["x_display"], ids=["1366x768", "1280x720", "1920x1080@150%", "1920x1080@144dpi"])
def test_main_window_buttons_and_preview_are_on_screen_under_a_window_manager(x_display, scaling, tmp_path):
    env = {**os.environ, "DISPLAY": x_display, "QT_QPA_PLATFORM": "xcb", **scaling,
           "VCF_DESKTOP_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", PROBE, str(ROOT / "resources/cases/typical-l2-wedge.vcfcase.json")],
                            env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    screen = seen["screen"]
    assert _inside(seen["window"], screen), seen
    assert len(seen["buttons"]) == 2, seen
    for name, button in seen["buttons"].items():
        assert _inside(button, screen), (name, seen)
    assert _inside(seen["status_bar"], screen), seen
    assert seen["scrolling_sideways"] == [], seen
    assert _inside(seen["preview"], screen), seen
    assert seen["preview_choosers_shown"], seen  # not behind the tool bar's ">>"
