""""Unanswered yes/no → No" (Alt+O): marks only the current step's unanswered yes/no questions that apply to
this patient, never changes an answer, says how many in the status bar, and the same command undoes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from vcf_desktop.gui.wizard import CaseWizard

LABS, HISTORY, REVIEW, PLAN = 6, 7, 8, 9


@pytest.fixture
def wizard(active_wizard) -> CaseWizard:
    """A 71-year-old postmenopausal woman (pregnancy is not asked), L2, no MRI recorded yet."""
    return active_wizard({"patient.age_years": 71, "patient.sex": "female", "patient.premenopausal": False,
                          "fractures[0].level": "L2"})


def _alt_o(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.wait(200)  # a button's Alt+letter clicks it after its short press animation


def _yes_no(wizard: CaseWizard) -> list[str]:
    return [e.path for e in wizard.currentPage().editors if e.spec.kind == "bool"]


def test_marks_only_unanswered_questions_that_apply_and_says_how_many(wizard, qtbot):
    messages = []
    wizard.announce.connect(messages.append)
    wizard.go_to(HISTORY)
    draft = wizard.draft
    draft.set("history.cancer", True)
    draft.set("history.fever", False)
    questions = _yes_no(wizard)
    assert "history.pregnant" in questions  # asked of women who may be pregnant; not of her
    expected = [p for p in questions if p not in ("history.cancer", "history.fever", "history.pregnant")]
    assert wizard.no_button.isVisible() and wizard.no_button.text() == f"Unanswered yes/no → N&o ({len(expected)})"
    _alt_o(qtbot)
    assert all(draft.get(p) is False for p in expected)
    assert draft.get("history.cancer") is True and draft.get("history.fever") is False  # answers kept
    assert draft.get("history.pregnant") is None  # does not apply to this patient
    assert draft.get("history.mi_or_stroke") is None and draft.get("history.glucocorticoid_mg_day") is None
    assert draft.get("symptoms.delirium") is None  # another step
    names = ["Unexplained weight loss", "IV drug use", "Immunosuppressed", "Anticoagulant", "Antiplatelet",
             "Uncorrected coagulopathy", "Cement allergy", "Pulmonary dysfunction", "Upper GI contraindication",
             "Glucocorticoids", "Liver disease"]
    head = f"Marked “no”: {len(expected)} unanswered yes/no questions of this step (Alt+O again to undo): "
    assert len(messages) == 1 and messages[0].startswith(head + "Unexplained weight loss, IV drug use, ")
    shown, more = messages[0].removeprefix(head).split(" and ")
    assert shown.split(", ") == names[:len(shown.split(", "))] and more == f"{len(names) - len(shown.split(', '))} more"
    assert wizard.no_button.text() == f"Undo N&o ({len(expected)})"
    assert wizard.no_button.toolTip() == "Back to not recorded (Alt+O): " + ", ".join(names)  # all of them
    assert wizard.currentId() == HISTORY and QApplication.focusWidget() is wizard.currentPage().first_field()


def test_the_same_command_undoes_only_what_it_marked_and_the_user_left(wizard, qtbot):
    wizard.go_to(HISTORY)
    draft = wizard.draft
    draft.set("history.cancer", True)
    _alt_o(qtbot)
    draft.set("history.fever", True)  # the user changes a marked answer: theirs now
    draft.set("history.anticoagulant", None)
    draft.set("history.anticoagulant", False)  # cleared and answered again by the user: theirs too
    marked = [p for p in _yes_no(wizard) if draft.get(p) is False]
    wizard.mark_remaining_no()
    assert draft.get("history.cancer") is True and draft.get("history.fever") is True
    assert draft.get("history.anticoagulant") is False
    assert [p for p in marked if draft.get(p) is not None] == ["history.anticoagulant"]
    assert wizard.no_button.text().startswith("Unanswered yes/no")


def test_questions_that_do_not_apply_yet_are_left_and_a_fracture_is_marked_alone(wizard, qtbot):
    wizard.go_to(2)  # Fractures: MRI oedema and cleft are asked only once an MRI is recorded
    draft = wizard.draft
    _alt_o(qtbot)
    assert draft.get("fractures[0].retropulsion") is False and draft.get("fractures[0].augmented") is False
    assert draft.get("fractures[0].mri_edema") is None
    assert draft.get("fractures[0].new") is None  # "no" would say the fracture is old: always answered alone
    wizard.fractures_page.add_fracture()  # the list changed: what was marked is no longer undone by the command
    assert draft.get("fractures[1].new") is None
    wizard.fractures_page.select(0)
    assert wizard.no_button.text() == "Unanswered yes/no → N&o (0)" and not wizard.no_button.isEnabled()


def test_the_command_is_offered_only_on_steps_with_yes_no_questions(wizard):
    for index in range(len(wizard.steps)):
        wizard.go_to(index)
        assert wizard.no_button.isVisible() == (index not in (LABS, REVIEW, PLAN)), wizard.currentPage().title()


def test_main_window_shows_the_message_in_its_status_bar(qtbot, protocol):
    from vcf_desktop.gui.main_window import MainWindow

    window = MainWindow(protocol, offer_recovery=False)
    qtbot.addWidget(window)
    window.show()
    window.wizard.mark_remaining_no()  # Patient step of a new case: sex not recorded, so premenopausal is not asked
    assert window.statusBar().currentMessage() == ("Marked “no”: 2 unanswered yes/no questions of this step "
                                                   "(Alt+O again to undo): Cognitive impairment, High fall risk")
    assert window.draft.get("patient.cognitive_impairment") is False
    window.wizard.mark_remaining_no()
    assert window.statusBar().currentMessage() == ("Back to not recorded: 2 questions of this step that were "
                                                   "marked “no”: Cognitive impairment, High fall risk")
    assert window.draft.get("patient.cognitive_impairment") is None
    assert window.draft.get("patient.premenopausal") is None
    window.draft.mark_saved()


@pytest.mark.parametrize(("width", "height"), [(1366, 749), (1280, 707)], ids=["1366x768", "1920x1080@150%"])
def test_the_status_bar_message_fits_the_window(qtbot, protocol, width, height):
    """The count and how to undo come first and are never cut; the names that do not fit are counted."""
    from vcf_desktop.gui.main_window import MainWindow

    window = MainWindow(protocol, offer_recovery=False)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    for path, value in {"patient.age_years": 71, "patient.sex": "female", "fractures[0].level": "L2"}.items():
        window.draft.set(path, value)
    window.wizard.go_to(HISTORY)
    questions = len(window.wizard.remaining_no.unanswered(window.wizard.currentPage()))
    assert questions >= 13
    window.wizard.mark_remaining_no()
    window.draft.mark_saved()  # closing asks nothing
    message, bar = window.statusBar().currentMessage(), window.statusBar()
    assert message.startswith(f"Marked “no”: {questions} unanswered yes/no questions of this step "
                              "(Alt+O again to undo): Cancer history, ")
    assert bar.fontMetrics().horizontalAdvance(message) <= bar.width() - 20  # room for the size grip
    shown, more = message.split("(Alt+O again to undo): ")[1].split(" and ")
    assert more == f"{questions - len(shown.split(', '))} more"


def test_premenopausal_and_breastfeeding_are_never_marked_and_one_question_reads_in_the_singular(active_wizard,
                                                                                                  qtbot):
    """'No' to premenopausal says she is postmenopausal, 'no' to breastfeeding (or pregnant) clears drugs: each is
    always answered alone."""
    wizard = active_wizard({"patient.age_years": 45, "patient.sex": "female", "fractures[0].level": "L2"})
    messages = []
    wizard.announce.connect(messages.append)
    draft = wizard.draft
    alone = ("patient.premenopausal", "patient.lactating", "patient.cognitive_impairment")
    for path in _yes_no(wizard):
        draft.set(path, None if path in alone else True)
    _alt_o(qtbot)
    assert draft.get("patient.premenopausal") is None and draft.get("patient.lactating") is None
    assert draft.get("patient.cognitive_impairment") is False
    assert messages[-1].startswith("Marked “no”: 1 unanswered yes/no question of this step (Alt+O again to undo)")


def test_pregnancy_is_never_marked(active_wizard, qtbot):
    wizard = active_wizard({"patient.age_years": 30, "patient.sex": "female", "patient.premenopausal": True,
                            "fractures[0].level": "L2"})
    wizard.go_to(HISTORY)
    _alt_o(qtbot)
    assert wizard.draft.get("history.fever") is False and wizard.draft.get("history.pregnant") is None
