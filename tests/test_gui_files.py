"""Autosave (one draft per window, within a bounded delay), crash recovery and the recent-files store."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from test_gui_main_support import answers, data_dir, make_window  # noqa: F401

from vcf_desktop.gui import files
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.main_window import MainWindow


def drafts(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "autosave").glob("draft-*" + files.DRAFT_SUFFIX))


def case_in(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["case"]


def test_autosave_folder_follows_the_env_override(data_dir):
    assert files.autosave_dir() == data_dir / "autosave"
    assert files.RecentFiles().path == data_dir / "config" / "recent-files.json"


def test_every_change_is_written_within_the_delay_however_fast_the_typing(make_window, qtbot, data_dir):
    window = make_window()
    window.draft.set("patient.age_years", 82)
    assert window.autosave.pending() and not window.autosave.path.exists()
    qtbot.waitUntil(lambda: window.autosave.path.exists(), timeout=files.AUTOSAVE_DELAY_MS + 1000)
    # Typing without a pause (a change every 50 ms for 2 s) must not hold the autosave back.
    start, lags = time.monotonic(), []
    value = 0
    while time.monotonic() - start < 2.0:
        value += 1
        window.draft.set("patient.weight_kg", 20 + value)
        typed = time.monotonic()
        qtbot.wait(50)
        if case_in(window.autosave.path)["patient"].get("weight_kg") != 20 + value:
            continue
        lags.append(time.monotonic() - typed)
    qtbot.waitUntil(lambda: case_in(window.autosave.path)["patient"]["weight_kg"] == 20 + value, timeout=1000)
    saves_seen = len(lags)
    assert saves_seen >= 2, "the autosave was starved by continuous typing"
    assert drafts(data_dir) == [window.autosave.path]


def test_the_draft_records_time_and_file(make_window, data_dir, tmp_path, examples_dir):
    window = make_window()
    assert window.open_path(examples_dir / "typical-l2-wedge.json")
    window.draft.set("patient.age_years", 72)
    before = time.time()
    assert window.autosave.save_now()
    record = json.loads(window.autosave.path.read_text(encoding="utf-8"))
    assert record["format"] == "vcf-draft" and record["case"]["patient"]["age_years"] == 72
    assert record["file"] == str((examples_dir / "typical-l2-wedge.json").resolve())
    from datetime import datetime

    assert abs(datetime.fromisoformat(record["saved_at"]).timestamp() - before) < 5
    assert os.stat(window.autosave.path).st_mode & 0o077 == 0  # patient data: the owner only


def test_clean_draft_is_not_autosaved(make_window, data_dir):
    window = make_window()
    assert window.autosave.save_now()
    assert drafts(data_dir) == []


def crash(window, qtbot) -> None:
    """End a window the way a crash does: no close event, no clean exit; its lock goes with its process
    (here the process lives on, so the lock is dropped by hand; tests/test_autosave_kill.py kills for real)."""
    window.autosave._lock.unlock()
    window.deleteLater()
    qtbot.wait(10)


def test_recovery_after_crash_restores_a_partial_draft_and_its_file_name(make_window, protocol, answers, qtbot,
                                                                          data_dir, examples_dir):
    first = MainWindow(protocol)  # not registered with qtbot: it never gets closed
    first.open_path(examples_dir / "typical-l2-wedge.json")
    first.draft.set("patient.age_years", 83)
    first.draft.set("symptoms.pain_nrs", 7)
    assert first.autosave.save_now()
    typed = first.draft.to_json()
    crash(first, qtbot)
    assert len(drafts(data_dir)) == 1

    answers["replies"].append("Recover")
    second = make_window()
    title, text = answers["shown"][0]
    assert "did not close normally" in text
    assert "Case: typical-l2-wedge" in text and "typical-l2-wedge.json" in text and "Last autosaved: 20" in text
    assert second.draft.to_json() == typed
    assert second.file_path == (examples_dir / "typical-l2-wedge.json").resolve()
    assert second.windowTitle().startswith("typical-l2-wedge.json")
    assert second.isWindowModified()  # recovered work is not saved anywhere yet
    assert drafts(data_dir) == [second.autosave.path]  # taken over: the old draft is gone, the new one written
    assert case_in(second.autosave.path)["symptoms"]["pain_nrs"] == 7


def test_declined_recovery_is_set_aside_not_deleted(make_window, protocol, answers, qtbot, data_dir):
    first = MainWindow(protocol)
    first.draft.set("patient.age_years", 50)
    first.autosave.save_now()
    crash(first, qtbot)
    answers["replies"].append("Discard")
    second = make_window()
    assert second.draft.get("patient.age_years") is None
    assert drafts(data_dir) == []
    kept = data_dir / "autosave" / files.SET_ASIDE
    assert case_in(kept)["patient"]["age_years"] == 50


def test_a_draft_put_off_for_later_is_offered_again(make_window, protocol, answers, qtbot, data_dir):
    first = MainWindow(protocol)
    first.draft.set("patient.age_years", 51)
    first.autosave.save_now()
    crash(first, qtbot)
    answers["replies"].append("Later")
    second = make_window()
    assert second.draft.get("patient.age_years") is None
    answers["replies"].append("Recover")
    third = make_window()
    assert third.draft.get("patient.age_years") == 51


def test_clean_exit_and_save_remove_the_draft(make_window, answers, tmp_path, examples_dir, data_dir):
    window = make_window()
    window.draft.set("patient.age_years", 50)
    window.autosave.save_now()
    answers["replies"].append(QMessageBox.StandardButton.Discard)
    window.close()
    assert drafts(data_dir) == []
    assert list((data_dir / "autosave").glob("*.lock")) == []

    again = make_window()
    assert answers["shown"][-1][0] == "Unsaved changes"  # no recovery prompt after a clean exit
    again.open_path(examples_dir / "typical-l2-wedge.json")
    again.draft.set("patient.age_years", 72)
    again.autosave.save_now()
    assert drafts(data_dir) == [again.autosave.path]
    again.file_path = tmp_path / "c.vcfcase.json"
    assert again.save()
    assert drafts(data_dir) == []


def test_two_windows_keep_separate_drafts(make_window, answers, data_dir):
    one = make_window()
    one.draft.set("patient.age_years", 61)
    assert one.autosave.save_now()
    two = make_window()  # starts while one is alive: its draft is not offered
    assert not any("did not close normally" in text for _, text in answers["shown"])
    two.draft.set("patient.age_years", 62)
    assert two.autosave.save_now()
    assert one.autosave.path != two.autosave.path
    assert [case_in(p)["patient"]["age_years"] for p in (one.autosave.path, two.autosave.path)] == [61, 62]
    answers["replies"].append(QMessageBox.StandardButton.Discard)
    one.close()  # a clean exit of one leaves the other's draft alone
    assert drafts(data_dir) == [two.autosave.path]
    assert case_in(two.autosave.path)["patient"]["age_years"] == 62


def test_an_earlier_versions_autosave_is_still_offered(make_window, answers, data_dir):
    legacy = data_dir / "autosave" / files.LEGACY_DRAFT
    legacy.parent.mkdir(parents=True)
    legacy.write_text(json.dumps({"format": "vcf-case", "format_version": 2, "case_id": "old-one",
                                  "patient": {"age_years": 70}}))
    answers["replies"].append("Recover")
    window = make_window()
    assert "Case: old-one" in answers["shown"][0][1]
    assert window.draft.get("patient.age_years") == 70
    assert not legacy.exists()


def test_unreadable_draft_is_kept_and_reported(make_window, answers, data_dir):
    path = data_dir / "autosave" / ("draft-0" + files.DRAFT_SUFFIX)
    path.parent.mkdir(parents=True)
    path.write_text("[1, 2")
    window = make_window()
    assert "cannot be read" in answers["shown"][0][1]
    assert window.draft.get("patient.age_years") is None
    assert (data_dir / "autosave" / files.SET_ASIDE).read_text() == "[1, 2"


def test_stale_temporary_files_are_swept_at_start(make_window, data_dir):
    folder = data_dir / "autosave"
    folder.mkdir(parents=True)
    stale = folder / f".draft-1{files.DRAFT_SUFFIX}.999999999-0123456789abcdef.tmp"
    stale.write_text("patient data left by a kill during a save")
    make_window()
    assert not stale.exists()


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


def test_a_failing_autosave_is_shown_and_never_claimed(make_window, data_dir, answers):
    data_dir.mkdir(parents=True)
    (data_dir / "autosave").write_text("a file where the folder should be")
    window = make_window()
    window.draft.set("patient.age_years", 50)
    assert window.autosave.save_now() is False
    assert "Autosave failed" in window.statusBar().currentMessage()
    assert window.draft.get("patient.age_years") == 50
    window.save_as()  # incomplete: the dialog explains, and must not say "autosaved"
    title, text = answers["shown"][-1]
    assert title == "The case is not complete"
    assert "autosaved" not in text.replace("could NOT be autosaved", "")
    assert "could NOT be autosaved" in text
