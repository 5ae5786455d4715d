"""MainWindow: titles, menus, opening and saving case files, unsaved-changes prompts, recent files."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox
from test_gui_main_support import answers, data_dir, make_window, menu_action, open_dialog, save_dialog  # noqa: F401

from vcf_desktop.domain.casefile import read_case
from vcf_desktop.gui import files

SB = QMessageBox.StandardButton


def test_menus_have_mnemonics_and_shortcuts(make_window):
    window = make_window()
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Help"]
    for text, shortcut in [("New", "Ctrl+N"), ("Open…", "Ctrl+O"), ("Save", "Ctrl+S"), ("Save As…", "Ctrl+Shift+S"),
                           ("Export PDF — clinician…", "Ctrl+E"), ("Export PDF — patient…", "Ctrl+Shift+E"),
                           ("Print…", "Ctrl+P"), ("Quit", "Ctrl+Q")]:
        action = menu_action(window, text)
        assert "&" in action.text()
        assert action.shortcut().toString() == shortcut, text
    assert menu_action(window, "Open Recent").menu() is not None
    assert menu_action(window, "How this protocol works").shortcut().toString() == "F1"


def test_title_shows_file_name_and_dirty_marker(make_window, examples_dir):
    window = make_window()
    assert window.windowTitle().replace("[*]", "") == "Untitled case — VCF Desktop"
    assert not window.isWindowModified()
    window.draft.set("patient.age_years", 70)
    assert window.isWindowModified()
    assert window.open_path(examples_dir / "typical-l2-wedge.json")
    assert "typical-l2-wedge.json" in window.windowTitle()
    assert not window.isWindowModified()


def test_save_as_then_open_round_trip(make_window, examples_dir, tmp_path, monkeypatch, answers):
    source = examples_dir / "typical-l2-wedge.json"
    window = make_window()
    open_dialog(monkeypatch, source)
    menu_action(window, "Open…").trigger()
    expected = read_case(source).model_copy(update={"format_version": 2})  # a v1 file is held as v2
    assert window.draft.case() == expected

    target = tmp_path / "saved" / "copy"
    target.parent.mkdir()
    save_dialog(monkeypatch, target)
    menu_action(window, "Save As…").trigger()
    written = target.with_name("copy.vcfcase.json")
    saved = read_case(written)
    assert saved.model_copy(update={"plan_record": None}) == expected
    assert saved.plan_record is not None and saved.plan_record.protocol.sha256 == window.protocol.sha256
    assert window.file_path == written.resolve()
    assert "copy.vcfcase.json" in window.windowTitle() and not window.isWindowModified()

    window.draft.set("patient.age_years", 72)
    assert window.isWindowModified()
    menu_action(window, "Save").trigger()  # to the same file, no dialog
    assert read_case(written).patient.age_years == 72

    other = make_window(offer_recovery=False)
    open_dialog(monkeypatch, written)
    menu_action(other, "Open…").trigger()
    assert other.draft.case().patient.age_years == 72
    assert answers["shown"] == []


def test_damaged_file_is_reported_and_left_untouched(make_window, tmp_path, monkeypatch, answers, examples_dir):
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    before = window.draft.to_json()
    damaged = tmp_path / "damaged.vcfcase.json"
    damaged.write_bytes(b'{"format": "vcf-case", "format_version": 1, "patient": {"age_years": 250, "sex": "x"}')
    original = damaged.read_bytes()
    open_dialog(monkeypatch, damaged)
    menu_action(window, "Open…").trigger()
    assert len(answers["shown"]) == 1
    title, text = answers["shown"][0]
    assert "damaged.vcfcase.json" in text and "not valid JSON" in text and "has not been changed" in text
    assert damaged.read_bytes() == original
    assert window.draft.to_json() == before
    assert window.file_path.name == "typical-l2-wedge.json"


def test_invalid_values_are_listed_one_per_line(make_window, tmp_path, answers):
    window = make_window()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "vcf-case", "format_version": 1,
                               "patient": {"age_years": 250, "sex": "x"}, "fractures": [{"level": "L2"}]}))
    original = bad.read_bytes()
    assert window.open_path(bad) is False
    _, text = answers["shown"][0]
    assert "Age (Patient): 250" in text and "Sex (Patient)" in text  # as the labels read on screen
    assert bad.read_bytes() == original


def test_unsaved_changes_prompt_on_new(make_window, answers):
    window = make_window()
    window.draft.set("patient.age_years", 70)
    answers["replies"].append(SB.Cancel)
    menu_action(window, "New").trigger()
    assert window.draft.get("patient.age_years") == 70 and len(answers["shown"]) == 1

    answers["replies"].append(SB.Discard)
    menu_action(window, "New").trigger()
    assert window.draft.get("patient.age_years") is None and not window.isWindowModified()

    menu_action(window, "New").trigger()  # clean: no prompt
    assert len(answers["shown"]) == 2


def test_unsaved_prompt_save_writes_the_file(make_window, examples_dir, tmp_path, monkeypatch, answers):
    window = make_window()
    window.open_path(examples_dir / "typical-l2-wedge.json")
    window.file_path = None
    window.draft.set("patient.age_years", 80)
    answers["replies"].append(SB.Save)
    save_dialog(monkeypatch, tmp_path / "x.vcfcase.json")
    menu_action(window, "New").trigger()
    assert read_case(tmp_path / "x.vcfcase.json").patient.age_years == 80
    assert window.draft.get("patient.age_years") is None


def test_incomplete_case_cannot_be_saved_but_is_kept(make_window, tmp_path, monkeypatch, answers):
    window = make_window()
    window.draft.set("patient.age_years", 80)
    save_dialog(monkeypatch, tmp_path / "never.vcfcase.json")
    assert window.save() is False
    assert not (tmp_path / "never.vcfcase.json").exists()
    _, text = answers["shown"][0]
    assert "patient.sex" in text and "Nothing is lost" in text
    assert window.draft.get("patient.age_years") == 80


def test_quit_asks_and_cancel_keeps_window(make_window, answers, qtbot):
    window = make_window()
    window.show()
    window.draft.set("patient.age_years", 70)
    answers["replies"].append(SB.Cancel)
    assert window.close() is False
    assert window.isVisible()
    answers["replies"].append(SB.Discard)
    assert window.close() is True


def test_recent_files_menu(make_window, examples_dir, tmp_path, data_dir, answers):
    window = make_window()
    copies = []
    for n in range(files.MAX_RECENT + 1):
        path = tmp_path / f"case{n}.json"
        path.write_bytes((examples_dir / "typical-l2-wedge.json").read_bytes())
        assert window.open_path(path)
        copies.append(path.resolve())
    assert window.recent.paths() == list(reversed(copies))[: files.MAX_RECENT]
    assert (data_dir / "config" / "recent-files.json").is_file()
    window.recent_menu.aboutToShow.emit()
    entries = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert entries[0].startswith("&1 case8.json") and len([e for e in entries if e[1:2].isdigit()]) == 8
    window.draft.set("patient.age_years", 99)
    answers["replies"] += [SB.Cancel, SB.Discard]
    window.recent_menu.actions()[2].trigger()  # "&3 case6.json": asks first
    assert window.draft.get("patient.age_years") == 99 and window.file_path.name == "case8.json"
    window.recent_menu.actions()[2].trigger()
    assert window.file_path.name == "case6.json" and window.draft.get("patient.age_years") == 71


def test_help_dialogs_from_the_menu(make_window, protocol, monkeypatch):
    from PySide6.QtWidgets import QDialog

    shown: list[QDialog] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: shown.append(self) or 0)
    window = make_window()
    menu_action(window, "About").trigger()
    menu_action(window, "How this protocol works").trigger()
    about, summary = shown
    text = about.text.text()
    meta = protocol.data.protocol
    for expected in (meta.title, protocol.version, protocol.sha256, meta.review_date.isoformat(), meta.intended_use,
                     "offline clinical decision aid", "not a substitute for clinical judgement"):
        assert expected in text
    assert ".md" not in text and ".toml" not in text and "evidence base" not in text.lower()  # no internal files
    assert summary.text.isReadOnly() and summary.contents.count() > 10
    assert "How this protocol works" in summary.text.toPlainText()


def test_protocol_browser_search_finds_a_threshold_by_its_words(qtbot, protocol):
    from vcf_desktop.gui.dialogs import ProtocolDialog

    dialog = ProtocolDialog(protocol)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    threshold = protocol.thresholds.crcl_alendronate
    words = threshold.rule  # "alendronate not recommended if CrCl < 35"
    qtbot.keyClicks(dialog.search, words)
    selected = dialog.text.textCursor().selectedText()
    assert selected.lower() == words.lower() and dialog.status.text() == ""
    block = dialog.text.textCursor().block().text()
    assert f"{threshold.rule} (counts below 35 mL/min)" in " ".join(block.split())
    dialog.search.setText("no such words anywhere")
    assert not dialog.find_next(from_top=True) and dialog.status.text() == "not found"
    dialog.contents.setCurrentRow(dialog.contents.count() - 1)  # the last heading: References
    assert dialog.text.verticalScrollBar().value() > 0


def test_before_the_protocol_printing_and_help_wait_and_messages_are_deferred(qtbot, protocol, data_dir, answers):
    from vcf_desktop.gui.main_window import MainWindow

    window = MainWindow(None, offer_recovery=False)
    qtbot.addWidget(window)
    waiting = ["Export PDF — clinician…", "Export PDF — patient…", "Print Preview…", "Print…",
               "How this protocol works", "About VCF Desktop"]
    assert window.protocol_actions == [menu_action(window, text) for text in waiting]
    assert not any(action.isEnabled() for action in window.protocol_actions)
    assert menu_action(window, "Open…").isEnabled() and menu_action(window, "Save").isEnabled()
    age = window.wizard.steps[0].editor("patient.age_years")
    window.draft.set("patient.age_years", 130)  # e.g. recovered from an autosave: a message, but later
    assert window.draft.messages_deferred and window.draft.errors() == {} and age.error() is None
    window.set_protocol(protocol)
    assert all(action.isEnabled() for action in window.protocol_actions)
    assert window.wizard.protocol is protocol and window.wizard.plan_page.view is not None
    assert "at most 120" in age.error() and "at most 120" in window.draft.errors()["patient.age_years"]


def test_an_opened_case_lands_on_review_and_a_new_one_on_the_first_step(make_window, examples_dir):
    window = make_window()
    assert window.open_path(examples_dir / "typical-l2-wedge.json")
    assert window.wizard.currentPage() is window.wizard.review_page
    window.new_case()
    assert window.wizard.currentId() == 0


def test_unsaved_changes_buttons_have_mnemonics(make_window, monkeypatch):
    window = make_window()
    window.draft.set("patient.age_years", 70)
    seen = []

    def exec_(box):
        seen.extend(b.text() for b in box.buttons())
        next(b for b in box.buttons() if b.text() == "&Cancel").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert not window.confirm_discard()
    assert sorted(seen) == ["&Cancel", "&Discard", "&Save"]


def test_file_problems_name_fields_as_their_labels_read(make_window, tmp_path, answers):
    bad = tmp_path / "bad.vcfcase.json"
    bad.write_text(json.dumps({"format": "vcf-case", "format_version": 2, "patient": {"age_years": 130, "sex": "female"},
                               "fractures": [{"level": "L1"}, {"level": "L9"}]}), encoding="utf-8")
    window = make_window()
    assert not window.open_path(bad)
    text = answers["shown"][-1][1]
    assert "Age (Patient): 130" in text and "Level (fracture 2)" in text
    assert "patient.age_years" not in text


def test_a_pdf_opened_as_a_case_is_called_a_pdf(make_window, tmp_path, answers):
    renamed = tmp_path / "plan.vcfcase.json"
    renamed.write_bytes(b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n1 0 obj\n")
    window = make_window()
    assert not window.open_path(renamed)
    text = answers["shown"][-1][1]
    assert "PDF" in text and "UTF-8" not in text
