"""Every step fits the width of the main window on the commonest small screens and at 150 % on 1920x1080:
only vertical scrolling, the help column on screen (the issue: at 144 dpi the form needed two scrollbars
and hid the help).

The sizes are the main window's, maximised under a window manager (tests/test_gui_geometry.py checks them
under Xvfb): at 150 % (QT_SCALE_FACTOR=1.5 or QT_FONT_DPI=144) a 1920x1080 screen is 1280x720 logical
pixels, fonts keep their size in logical pixels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from vcf_desktop.gui.pages.base import StepPage

DEMO = Path(__file__).resolve().parent.parent / "resources/cases/typical-l2-wedge.vcfcase.json"
#: (name, width, height) of the maximised main window.
WINDOWS = [("1366x768", 1366, 749), ("1280x720", 1280, 690), ("1920x1080@150%", 1280, 707)]


def _too_wide(page: StepPage) -> list[str]:
    """What on the step does not fit its width: a horizontal scrollbar, or help text past the visible part."""
    if page.scroll is None:
        return []
    problems = ["horizontal scrollbar"] if page.scroll.horizontalScrollBar().isVisible() else []
    viewport = page.scroll.viewport()
    for editor in page.editors:
        if editor.help.isVisibleTo(page) and editor.help.text():
            right = editor.help.mapTo(viewport, QPoint(editor.help.width(), 0)).x()
            if right > viewport.width():
                problems.append(f"help of {editor.path} ends at {right} of {viewport.width()}")
    return problems


@pytest.mark.parametrize(("width", "height"), [w[1:] for w in WINDOWS], ids=[w[0] for w in WINDOWS])
def test_every_step_fits_the_window_width(qtbot, protocol, width, height):
    from vcf_desktop.gui.main_window import MainWindow

    window = MainWindow(protocol, offer_recovery=False)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    window.open_path(DEMO)
    window.draft.set("bone_health.prior_therapies[1].agent", "denosumab")  # a second row of earlier drugs
    wizard = window.wizard
    qtbot.waitUntil(wizard.all_built, timeout=5000)
    seen = {}
    for index, step in enumerate(wizard.steps):
        wizard.go_to(index)
        assert wizard.currentPage() is step
        qtbot.wait(50)  # the layout settles (the page's height follows its width)
        seen[step.title()] = _too_wide(step)
    window.draft.mark_saved()  # closing asks nothing
    assert seen.get("Injury and imaging") == [] and seen.get("Bone health and medication") == [], seen
    assert not any(seen.values()), seen
