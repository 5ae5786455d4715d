"""Autosave, crash recovery and the recent-files store."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox
from test_gui_main_support import answers, data_dir, make_window  # noqa: F401

from vcf_desktop.gui import files
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.main_window import MainWindow


@pytest.fixture
def fast_autosave(monkeypatch):
    monkeypatch.setattr(files, "AUTOSAVE_DELAY_MS", 1000)


def test_autosave_path_follows_the_env_override(data_dir):
    assert files.autosave_path() == data_dir / "autosave" / "current.vcfdraft.json"
    assert files.RecentFiles().path == data_dir / "config" / "recent-files.json"


def test_autosave_is_debounced_then_written(make_window, fast_autosave, qtbot):
    window = make_window()
    path = files.autosave_path()
    window.draft.set("patient.age_years", 82)
    assert not path.exists()  # not at once: a burst of typing is written once, after the last change
    assert window.autosave._debounce.isActive()
    qtbot.wait(300)
    window.draft.set("patient.age_years", 83)  # restarts the delay
    assert window.autosave._debounce.remainingTime() > 800
    qtbot.waitUntil(lambda: path.exists() and json.loads(path.read_text())["patient"] == {"age_years": 83},
                    timeout=5000)


def test_clean_draft_is_not_autosaved(make_window):
    window = make_window()
    assert window.autosave.save_now()
    assert not files.autosave_path().exists()


def crash(window, qtbot) -> None:
    """End a window the way a crash does: no close event, no clean exit."""
    window.deleteLater()
    qtbot.wait(10)


def test_recovery_after_crash_restores_a_partial_draft(make_window, protocol, answers, qtbot):
    first = MainWindow(protocol)  # not registered with qtbot: it never gets closed
    first.draft.set("patient.age_years", 83)
    first.draft.set("fractures[0].level", "L1")
    first.draft.set("symptoms.pain_nrs", 7)
    assert first.autosave.save_now()
    typed = first.draft.to_json()
    crash(first, qtbot)
    assert files.autosave_path().exists()

    answers["replies"].append("Recover")
    second = make_window()
    assert "did not close normally" in answers["shown"][0][1]
    assert second.draft.to_json() == typed
    assert second.draft.case() is None  # still partial: sex missing
    assert second.isWindowModified()  # recovered work is not saved anywhere yet


def test_declined_recovery_is_set_aside_not_deleted(make_window, protocol, answers, qtbot):
    first = MainWindow(protocol)
    first.draft.set("patient.age_years", 50)
    first.autosave.save_now()
    crash(first, qtbot)
    answers["replies"].append("Discard")
    second = make_window()
    assert second.draft.get("patient.age_years") is None
    assert not files.autosave_path().exists()
    kept = files.autosave_path().with_name("previous.vcfdraft.json")
    assert json.loads(kept.read_text())["patient"]["age_years"] == 50


def test_clean_exit_and_save_remove_the_autosave(make_window, answers, tmp_path, examples_dir):
    window = make_window()
    window.draft.set("patient.age_years", 50)
    window.autosave.save_now()
    answers["replies"].append(QMessageBox.StandardButton.Discard)
    window.close()
    assert not files.autosave_path().exists()

    again = make_window()
    assert answers["shown"][-1][0] == "Unsaved changes"  # no recovery prompt after a clean exit
    again.open_path(examples_dir / "typical-l2-wedge.json")
    again.draft.set("patient.age_years", 72)
    again.autosave.save_now()
    assert files.autosave_path().exists()
    again.file_path = tmp_path / "c.vcfcase.json"
    assert again.save()
    assert not files.autosave_path().exists()


def test_unreadable_autosave_is_kept_and_reported(make_window, answers, data_dir):
    path = files.autosave_path()
    path.parent.mkdir(parents=True)
    path.write_text("[1, 2")
    window = make_window()
    assert "cannot be read" in answers["shown"][0][1]
    assert window.draft.get("patient.age_years") is None
    assert path.with_name("previous.vcfdraft.json").read_text() == "[1, 2"


def test_recent_files_store(tmp_path):
    recent = files.RecentFiles(tmp_path / "r.json")
    assert recent.paths() == []
    for n in range(10):
        recent.add(tmp_path / f"{n}.json")
    recent.add(tmp_path / "5.json")
    names = [p.name for p in recent.paths()]
    assert names == ["5.json", "9.json", "8.json", "7.json", "6.json", "4.json", "3.json", "2.json"]
    recent.remove(tmp_path / "9.json")
    assert "9.json" not in [p.name for p in recent.paths()]
    (tmp_path / "r.json").write_text("{not json")
    assert recent.paths() == []


def test_draft_from_json_round_trip_for_partial_drafts():
    draft = CaseDraft()
    draft.set("patient.sex", "female")
    assert CaseDraft.from_json(draft.to_json()).to_json() == draft.to_json()


def test_a_failing_autosave_is_shown_in_the_status_bar(make_window, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "autosave").write_text("a file where the folder should be")
    window = make_window()
    window.draft.set("patient.age_years", 50)
    assert window.autosave.save_now() is False
    assert "Autosave failed" in window.statusBar().currentMessage()
    assert window.draft.get("patient.age_years") == 50
