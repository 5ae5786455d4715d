"""Shared test set-up: Qt runs offscreen (without a display Qt aborts the whole run), and common fixtures."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Settings, autosave and recent files of the tests never touch the user's own (tests that need their own
# folder set VCF_DESKTOP_DATA_DIR themselves).
os.environ.setdefault("VCF_DESKTOP_DATA_DIR", tempfile.mkdtemp(prefix="vcf-desktop-tests-"))
# A shipped protocol edited without re-pinning runs (marked unapproved) instead of being refused, so that a
# stale pin fails one test, tests/test_protocol_approval.py, rather than every test that loads the protocol.
os.environ.setdefault("VCF_DESKTOP_RUN_CHANGED_SHIPPED_PROTOCOL", "1")

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent / "examples"


@pytest.fixture
def examples_dir() -> Path:
    """The worked example case files (`tests/examples/NAME.json`, plus `expected.json`)."""
    return EXAMPLES


@pytest.fixture(scope="session")
def protocol():
    """The shipped protocol, loaded once per test session."""
    from vcf_desktop.engine import load_protocol

    return load_protocol()


@pytest.fixture
def active_wizard(qtbot, protocol):
    """Makes a shown, active wizard (1366x768, every step built) on a new case with `values` recorded
    (path -> value), for tests that drive it with keys."""
    from PySide6.QtWidgets import QApplication

    from vcf_desktop.gui.draft import CaseDraft
    from vcf_desktop.gui.wizard import CaseWizard

    def make(values: dict[str, object]) -> CaseWizard:
        draft = CaseDraft()
        for path, value in values.items():
            draft.set(path, value)
        wizard = CaseWizard(draft, protocol)
        qtbot.addWidget(wizard)
        wizard.resize(1366, 768)
        wizard.show()
        wizard.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=2000)
        qtbot.waitUntil(wizard.all_built, timeout=5000)
        return wizard
    return make
