"""Keyboard use of the wizard: where the cursor is after every step change, and every Alt+letter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from vcf_desktop.gui.pages.base import RESERVED_MNEMONICS
from vcf_desktop.gui.wizard import CaseWizard


@pytest.fixture
def wizard(active_wizard) -> CaseWizard:
    """Age, sex and the index level recorded (so every step can be reached)."""
    return active_wizard({"patient.age_years": 34, "patient.sex": "female", "fractures[0].level": "L1",
                          "imaging.modalities": ["mri"]})


def _inside(widget: QWidget | None, container: QWidget) -> bool:
    return widget is not None and (widget is container or container.isAncestorOf(widget))


def test_the_cursor_starts_in_the_first_field(wizard):
    first = wizard.steps[0].editors[0]
    assert QApplication.focusWidget() is first.input
    assert first.input.isVisible() and first.input.isEnabled()


def test_next_and_back_put_the_cursor_in_the_first_field_of_every_step(wizard, qtbot):
    next_button = wizard.button(wizard.WizardButton.NextButton)
    for index in range(1, 8):  # every form step, forwards with the Next button
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
        assert wizard.currentId() == index
        page = wizard.currentPage()
        assert QApplication.focusWidget() is page.first_field(), page.title()
        assert QApplication.focusWidget() is not next_button
    for index in range(6, -1, -1):  # and backwards
        qtbot.mouseClick(wizard.button(wizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
        assert wizard.currentId() == index
        assert QApplication.focusWidget() is wizard.currentPage().first_field(), wizard.currentPage().title()


def test_typed_digits_after_next_land_in_a_field(wizard, qtbot):
    wizard.go_to(3)  # Pain and function: the first field is the pain score
    qtbot.keyClicks(QApplication.focusWidget(), "4")
    assert wizard.draft.get("symptoms.pain_nrs") == 4


def test_space_after_next_does_not_skip_a_step(wizard, qtbot):
    wizard.go_to(3)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert wizard.currentId() == 3


def test_enter_still_advances_from_the_first_field(wizard, qtbot):
    wizard.go_to(3)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentId() == 4


def test_every_alt_letter_of_every_step_reaches_its_editor(wizard, qtbot):
    """Alt+letter of each label moves the cursor into that label's editor; letters are unique on a step
    and never those of the menus (File, Help) or the wizard's buttons (Back, Next)."""
    for index in range(8):
        wizard.go_to(index)
        page = wizard.currentPage()
        letters = {}
        for label in page.mnemonic_labels():
            text = label.text()
            assert "&" in text, (page.title(), text)
            letter = text[text.index("&") + 1].lower()
            assert letter not in RESERVED_MNEMONICS, (page.title(), text)
            assert letter not in letters, (page.title(), text, letters[letter])
            letters[letter] = label
        for editor in page.editors:
            buddy = editor.label.buddy()
            assert buddy is editor.input and buddy.focusPolicy() != Qt.FocusPolicy.NoFocus, editor.path
            if not editor.label.isVisible():
                continue  # a question that does not apply to this patient
            text = editor.label.text()
            letter = text[text.index("&") + 1].upper()
            page.first_field().setFocus()
            qtbot.keyClick(QApplication.focusWidget(), getattr(Qt.Key, f"Key_{letter}"),
                           Qt.KeyboardModifier.AltModifier)
            assert _inside(QApplication.focusWidget(), editor), (page.title(), text, QApplication.focusWidget())


def test_alt_m_reaches_imaging_done(wizard, qtbot):
    wizard.go_to(1)
    done = wizard.currentPage().editor("imaging.modalities")
    text = done.label.text()
    letter = text[text.index("&") + 1].upper()
    qtbot.keyClick(QApplication.focusWidget(), getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is done.boxes["radiograph"]
    assert wizard.draft.get("imaging.modalities") == ["mri"]  # reaching the boxes does not tick one


def test_a_choice_typed_ahead_moves_on_once_it_is_the_only_match(wizard, qtbot):
    wizard.go_to(2)  # Fractures: Level, New fracture, Height loss, ...
    page = wizard.currentPage()
    level, new = page.fracture_editors[0], page.fracture_editors[1]
    level.input.setFocus()
    qtbot.keyClicks(level.input, "t1")  # T1, T10, T11, T12: waits
    assert QApplication.focusWidget() is level.input and wizard.draft.get("fractures[0].level") == "T1"
    qtbot.wait(QApplication.keyboardInputInterval() + 100)  # a new search, as after a pause
    qtbot.keyClicks(level.input, "l2")
    assert wizard.draft.get("fractures[0].level") == "L2" and QApplication.focusWidget() is new.input
    qtbot.keyClicks(new.input, "y")
    assert wizard.draft.get("fractures[0].new") is True
    assert QApplication.focusWidget() is page.fracture_editors[2].input


def test_the_last_field_of_a_step_keeps_the_cursor_so_enter_goes_on(wizard, qtbot):
    wizard.go_to(7)
    last = [e for e in wizard.currentPage().editors if e.isVisible()][-1]
    last.input.setFocus()
    qtbot.keyClicks(last.input, "n")
    assert QApplication.focusWidget() is last.input
    qtbot.keyClick(last.input, Qt.Key.Key_Return)
    assert wizard.currentId() == 8


def test_tab_visits_every_imaging_box_in_order(wizard, qtbot):
    wizard.go_to(1)
    page = wizard.currentPage()
    days, done = page.editor("injury.days_since_onset"), page.editor("imaging.modalities")
    days.input.setFocus()
    for box in done.boxes.values():
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is box
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.editor("imaging.mri_contraindicated").input


def test_enter_goes_on_after_a_button_of_the_step_had_the_focus(wizard, qtbot):
    wizard.go_to(5)  # Bone health: its "Add earlier drug" button takes the dialog's default while focused
    page = wizard.currentPage()
    page.lists[0].add_button.setFocus()
    page.first_field().setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentId() == 6
    wizard.go_to(9)
    assert wizard.plan_page.action_buttons["finish"].isDefault()  # Enter on the Plan step: Finish
