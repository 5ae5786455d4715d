"""Shared fixtures and helpers for the main-window tests (no tests here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from vcf_desktop.gui import files
from vcf_desktop.gui.main_window import MainWindow


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data/config folder for autosave and recent files."""
    folder = tmp_path / "appdata"
    monkeypatch.setenv(files.ENV_DATA_DIR, str(folder))
    return folder


@pytest.fixture
def make_window(qtbot, protocol, data_dir, answers) -> Callable[..., MainWindow]:
    """Windows closed by qtbot at the end of a test answer any unsaved-changes question with Discard."""
    def make(**kwargs) -> MainWindow:
        window = MainWindow(protocol, **kwargs)
        qtbot.addWidget(window)
        return window
    return make


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """Records every message box (`shown`); answers with the values pushed onto `replies`.

    The unsaved-changes box (and `QMessageBox.question`) with nothing pushed answers Discard (what the end
    of a test needs).
    """
    seen: dict[str, list] = {"shown": [], "replies": []}

    def question(parent, title, text, buttons=None, default=None):
        seen["shown"].append((title, text))
        return seen["replies"].pop(0) if seen["replies"] else QMessageBox.StandardButton.Discard

    def exec_(box):
        seen["shown"].append((box.windowTitle() or box.text(), box.text() + "\n" + box.informativeText()))
        texts = [b.text().replace("&", "") for b in box.buttons()]
        choice = seen["replies"].pop(0) if seen["replies"] else ("Discard" if "Save" in texts else None)
        if isinstance(choice, QMessageBox.StandardButton):  # the unsaved-changes box names its buttons
            choice = {QMessageBox.StandardButton.Save: "Save", QMessageBox.StandardButton.Discard: "Discard",
                      QMessageBox.StandardButton.Cancel: "Cancel"}[choice]
        for button in box.buttons():
            if choice is not None and button.text().replace("&", "") == choice:
                button.click()
        return 0

    for name in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(
            lambda parent, title, text, *a, **k: seen["shown"].append((title, text)) or QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return seen


def save_dialog(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path) if path else "", "")))


def open_dialog(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path) if path else "", "")))


def menu_action(window: MainWindow, text: str):
    """The menu action whose text (without mnemonics) starts with `text`."""
    for action in window.findChildren(type(window.menuBar().actions()[0])):
        if action.text().replace("&", "").startswith(text):
            return action
    raise LookupError(text)
