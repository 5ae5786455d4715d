"""The case-entry wizard, driven as a user would: steps, required fields, live plan, banner, diagram."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_gui_fields import all_paths

from vcf_desktop.domain.case import Case
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import ChoiceEditor, FieldEditor, LineEditor, MultiEditor
from vcf_desktop.gui.lab_field import LabEditor
from vcf_desktop.gui.wizard import CaseWizard

STEPS = ["Patient", "Injury and imaging", "Fractures", "Pain and function", "Neurological examination",
         "Bone health and medication", "Labs", "History and procedural risks", "Review", "Plan"]


@pytest.fixture
def make_wizard(qtbot, protocol):
    """A shown wizard with the protocol, once idle time has built every step (as a moment after start-up)."""
    def make(draft: CaseDraft | None = None) -> CaseWizard:
        wizard = CaseWizard(draft or CaseDraft(), protocol)
        qtbot.addWidget(wizard)
        wizard.resize(1366, 768)
        wizard.show()
        qtbot.waitUntil(wizard.all_built, timeout=5000)
        return wizard
    return make


def expected(examples_dir, name):
    return next(e["expect"] for e in json.loads((examples_dir / "expected.json").read_text()) if e["case"] == name)


def type_into(editor: FieldEditor, value) -> None:
    """Set a value through the editor's own widget, as a user would."""
    if isinstance(editor, ChoiceEditor):
        editor.combo.setCurrentIndex(editor.combo.findData(value))
    elif isinstance(editor, MultiEditor):
        editor.set_value(value)
    else:
        assert isinstance(editor, LineEditor)
        if isinstance(editor, LabEditor):
            editor.unit_combo.setCurrentText(editor.lab.contract)  # the case file's unit
        editor.line.clear()
        editor.line.setFocus()
        editor.line.insert(f"{value:g}" if isinstance(value, float) else str(value))
        editor.line.textEdited.emit(editor.line.text())


def fill_page(wizard: CaseWizard, data: dict) -> None:
    draft = wizard.draft
    page = wizard.currentPage()
    if page is wizard.fractures_page:
        for i, fracture in enumerate(data["fractures"]):
            if i > 0:
                page.add_button.click()
            assert page.current() == i
            for editor in page.fracture_editors:
                if editor.spec.name in fracture:
                    type_into(editor, fracture[editor.spec.name])
        editors = [e for e in page.editors if e not in page.fracture_editors]
    else:
        editors = page.editors
    for editor in editors:
        value = _lookup(data, editor.path)
        if value is not None:
            type_into(editor, value)
            assert draft.get(editor.path) == value, editor.path


def _lookup(data: dict, path: str):
    node = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def test_steps_are_in_clinical_order(make_wizard):
    wizard = make_wizard()
    assert [wizard.page(i).title() for i in wizard.pageIds()] == STEPS


def test_every_field_of_the_case_format_is_on_some_step(make_wizard):
    wizard = make_wizard()
    reachable = {e.path for page in wizard.steps for e in page.editors}
    assert reachable == set(all_paths())


def test_next_is_blocked_only_until_age_sex_and_index_level(make_wizard, qtbot):
    wizard = make_wizard()
    patient = wizard.currentPage()
    next_button = wizard.button(wizard.WizardButton.NextButton)
    assert not next_button.isEnabled()
    assert "Age" in patient.hint.text() and "Sex" in patient.hint.text()
    qtbot.keyClicks(patient.editor("patient.age_years").line, "81")
    assert not next_button.isEnabled()
    type_into(patient.editor("patient.sex"), "male")
    assert next_button.isEnabled() and not patient.hint.isVisible()
    wizard.next()
    assert wizard.currentPage() is wizard.form_pages["imaging"] and next_button.isEnabled()
    wizard.next()
    fractures = wizard.currentPage()
    assert fractures is wizard.fractures_page and not next_button.isEnabled()
    assert "level of fracture 1" in fractures.hint.text()
    type_into(fractures.fracture_editors[0], "L3")
    assert next_button.isEnabled()
    # every later step is free to skip
    for _ in range(7):
        assert next_button.isEnabled()
        wizard.next()
    assert wizard.currentPage() is wizard.plan_page


def test_invalid_age_does_not_unblock_next_and_keeps_its_text(make_wizard, qtbot):
    wizard = make_wizard()
    patient = wizard.currentPage()
    age = patient.editor("patient.age_years")
    type_into(patient.editor("patient.sex"), "female")
    qtbot.keyClicks(age.line, "130")
    assert age.line.text() == "130" and "at most 120" in age.error_label.text() and age.error_label.isVisible()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert ("Age", age.error()) in wizard.invalid_entries()
    qtbot.keyClick(age.line, Qt.Key.Key_Backspace)
    assert wizard.draft.get("patient.age_years") == 13 and not age.error_label.isVisible()


def test_enter_is_next(make_wizard, qtbot):
    wizard = make_wizard()
    patient = wizard.currentPage()
    qtbot.keyClicks(patient.editor("patient.age_years").line, "70")
    type_into(patient.editor("patient.sex"), "female")
    qtbot.keyClick(patient.editor("patient.age_years").line, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.form_pages["imaging"]
    wizard.next()
    level = wizard.fractures_page.fracture_editors[0]
    type_into(level, "L1")
    qtbot.keyClick(level.combo, Qt.Key.Key_Return)  # from a combo box too
    assert wizard.currentId() == 3


@pytest.mark.parametrize("name", ["typical-l2-wedge", "l2-fracture-cauda-equina", "suspected-metastatic-t9",
                                  "minimal-data-l3", "denosumab-stopped-10-months"])
def test_drive_an_example_from_empty_case_to_plan(make_wizard, qtbot, examples_dir, name):
    data = json.loads((examples_dir / f"{name}.json").read_text())
    wizard = make_wizard()
    while wizard.currentPage() not in (wizard.review_page, wizard.plan_page):
        fill_page(wizard, data)
        wizard.next()
    assert wizard.currentPage() is wizard.review_page
    assert "not accepted" not in wizard.review_page.summary.toPlainText()
    wizard.next()
    assert wizard.draft.case() == Case.model_validate({**data, "format_version": 2}, strict=False)  # everything typed, nothing added
    qtbot.waitUntil(lambda: wizard.plan_page.view.plan is not None, timeout=2000)
    plan = wizard.plan_page.view.plan
    assert plan.pathway in expected(examples_dir, name)["pathway"]
    assert plan.case_id == name


def test_editing_a_finding_and_coming_back_updates_the_plan(make_wizard, qtbot, examples_dir):
    case = Case.model_validate_json((examples_dir / "typical-l2-wedge.json").read_text())
    draft = CaseDraft()
    draft.load(case)
    wizard = make_wizard(draft)
    wizard.go_to(9)
    assert wizard.currentPage() is wizard.plan_page and wizard.plan_page.view.plan.pathway == "conservative"
    wizard.go_to(4)
    type_into(wizard.currentPage().editor("neuro.status"), "cauda_equina")
    wizard.go_to(9)
    qtbot.waitUntil(lambda: wizard.plan_page.view.plan.pathway == "emergency_referral", timeout=2000)


def _banners_visible(wizard):
    return [page.banner.isVisibleTo(page) for page in wizard.steps]


@pytest.mark.parametrize(("step", "path", "value", "code_text"), [
    (4, "neuro.sphincter_dysfunction", True, "emergency"),
    (7, "history.cancer", True, "malign"),
    (1, "imaging.infection_features", True, "infection"),
    (1, "injury.mechanism", "high_energy", "high-energy"),
])
def test_red_flag_banner_appears_on_every_step_and_clears(make_wizard, qtbot, step, path, value, code_text):
    draft = CaseDraft()
    for p, v in (("patient.age_years", 74), ("patient.sex", "female"), ("fractures[0].level", "L1")):
        draft.set(p, v)
    wizard = make_wizard(draft)
    wizard.go_to(step)
    page = wizard.currentPage()
    assert not any(_banners_visible(wizard))
    with qtbot.waitSignal(wizard.plan_changed, timeout=1000):
        type_into(page.editor(path), value)
    assert page.banner.isVisible()
    assert all(_banners_visible(wizard))
    assert code_text in page.banner.text().lower()
    page.editor(path).clear_button.click()
    qtbot.waitUntil(lambda: not page.banner.isVisible(), timeout=1000)
    assert not any(_banners_visible(wizard))


def test_evaluation_is_debounced(make_wizard, qtbot):
    draft = CaseDraft()
    for p, v in (("patient.age_years", 74), ("patient.sex", "female"), ("fractures[0].level", "L1")):
        draft.set(p, v)
    wizard = make_wizard(draft)
    calls = []
    wizard.plan_changed.connect(calls.append)
    age = wizard.currentPage().editor("patient.age_years")
    for text in ("7", "75", "751"[:2]):
        age.set_text(text)
    assert calls == []  # nothing yet: still typing
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=1000)
    qtbot.wait(300)
    assert len(calls) == 1


def test_bmi_and_kidney_function_are_derived_as_they_are_typed(make_wizard, qtbot):
    wizard = make_wizard()
    panel = wizard.currentPage().live
    assert panel.rows["bmi"].text() == "BMI: — (record Weight and Height)"
    assert "record Age, Sex, Weight, Creatinine" in panel.rows["crcl"].text()
    for path, value in (("patient.age_years", 80), ("patient.sex", "female"), ("patient.weight_kg", 60),
                        ("patient.height_cm", 160)):
        wizard.draft.set(path, value)
    assert wizard.plan is None  # no index level yet: no plan, but BMI is there
    assert panel.rows["bmi"].text() == "BMI: 23.4 kg/m² (from weight and height)"
    assert panel.rows["crcl"].text() == "Creatinine clearance: — (record Creatinine, or a measured clearance)"
    assert "cannot be checked" in panel.rows["used"].text()
    wizard.draft.set("labs.creatinine_umol_l", 100)
    assert panel.rows["crcl"].text() == "Creatinine clearance: 37 mL/min (Cockcroft-Gault)"  # 60 x 60 x 1.04 / 100
    assert panel.rows["used"].text() == "Drug decisions use creatinine clearance."
    wizard.draft.set("labs.egfr", 28)
    assert panel.rows["used"].text() == "Drug decisions use eGFR (the lower of the two)."
    labs = wizard.form_pages["labs"].live
    assert labs.rows["used"].text() == panel.rows["used"].text() and "bmi" not in labs.rows


def test_adding_a_fracture_updates_the_diagram(make_wizard, qtbot):
    wizard = make_wizard()
    wizard.draft.set("fractures[0].level", "L2")
    page = wizard.fractures_page
    assert 'id="fracture-L2"' in page.spine.svg and 'class="fracture index"' in page.spine.svg
    page.add_button.click()
    assert page.current() == 1 and page.list.count() == 2
    type_into(page.fracture_editors[1], True)      # new fracture: yes
    type_into(page.fracture_editors[0], "T12")     # level
    assert 'id="fracture-T12" class="fracture new"' in page.spine.svg
    assert 'id="fracture-L2" class="fracture index"' in page.spine.svg
    page.up_button.click()                         # T12 becomes the index fracture
    assert wizard.draft.get("fractures[0].level") == "T12"
    assert 'id="fracture-T12" class="fracture index"' in page.spine.svg
    assert page.list.item(0).text().startswith("1. T12 (index")
    page.remove_button.click()
    assert wizard.draft.get("fractures") == [{"level": "L2"}]
    assert "fracture-T12" not in page.spine.svg


def test_untouched_fields_stay_not_recorded(make_wizard, qtbot):
    wizard = make_wizard()
    patient = wizard.currentPage()
    qtbot.keyClicks(patient.editor("patient.age_years").line, "81")
    type_into(patient.editor("patient.sex"), "male")
    wizard.next()
    type_into(wizard.fractures_page.fracture_editors[0], "L3")
    while wizard.currentPage() is not wizard.plan_page:
        wizard.next()
    assert json.loads(wizard.draft.to_json()) == {
        "format": "vcf-case", "format_version": 2, "assessment_date": date.today().isoformat(),
        "patient": {"age_years": 81, "sex": "male"}, "fractures": [{"level": "L3"}]}
    review = wizard.review_page.html()
    assert "Not recorded" in review and "Haemoglobin" in review and "4 findings recorded" in review  # age, sex, level and the date


def test_loading_a_case_updates_every_widget(make_wizard, examples_dir):
    wizard = make_wizard()
    case = Case.model_validate_json((examples_dir / "suspected-metastatic-t9.json").read_text())
    wizard.draft.load(case)
    page = wizard.form_pages["history"]
    assert page.editor("history.cancer").combo.currentData() is True
    assert wizard.fractures_page.fracture_editors[0].combo.currentData() == "T9"
    assert wizard.form_pages["patient"].editor("patient.age_years").line.text() == "67"


def test_every_input_is_named_and_labels_have_unique_mnemonics(make_wizard):
    wizard = make_wizard()
    for page in wizard.steps:
        letters = []
        for widget in page.mnemonic_labels():
            text = widget.text()
            assert "&" in text, text
            letters.append(text[text.index("&") + 1].lower())
        assert len(letters) == len(set(letters)), page.title()
        assert not set(letters) & set("bnfh")
        for editor in page.editors:
            assert editor.input.accessibleName().startswith(editor.spec.title)
            assert editor.label.buddy() is editor.input


def test_an_engine_failure_blanks_the_plan_and_says_so(make_wizard, qtbot, monkeypatch):
    from vcf_desktop import engine

    draft = CaseDraft()
    for p, v in (("patient.age_years", 74), ("patient.sex", "female"), ("fractures[0].level", "L1")):
        draft.set(p, v)
    wizard = make_wizard(draft)
    assert wizard.plan is not None

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(engine, "evaluate", broken)
    draft.set("history.cancer", True)
    wizard.evaluate_now()
    assert wizard.plan is None and wizard.plan_page.view.plan is None
    assert "boom" in wizard.plan_page.error.text() and wizard.plan_page.error.isVisibleTo(wizard.plan_page)
    assert not wizard.currentPage().banner.isVisible()


def test_review_lists_rejected_entries(make_wizard, qtbot):
    wizard = make_wizard()
    wizard.currentPage().editor("patient.weight_kg").set_text("12")
    html = wizard.review_page.html()
    assert "Entries not accepted" in html and "Weight" in html and "at least 20" in html


def test_step_list_jumps_back_and_forward(make_wizard):
    draft = CaseDraft()
    for p, v in (("patient.age_years", 74), ("patient.sex", "female")):
        draft.set(p, v)
    wizard = make_wizard(draft)
    wizard.go_to(6)
    assert wizard.currentId() == 2  # stops where the index level is still missing
    draft.set("fractures[0].level", "L1")
    wizard.go_to(6)
    assert wizard.currentId() == 6 and wizard.step_list.currentRow() == 6
    wizard.go_to(2)
    assert wizard.currentId() == 2


def test_diagram_draws_what_it_can_of_an_imperfect_fracture_list(qtbot):
    from vcf_desktop.gui.spine_widget import SpineWidget, fractures_case

    draft = CaseDraft({"format": "vcf-case", "format_version": 1, "fractures": [
        {"level": "L1", "height_loss_pct": 130}, {"level": "T8", "new": False}, {"new": True}, {"level": "L4"}]})
    assert [f.level for f in fractures_case(draft).fractures] == ["L1", "T8"]  # stops at the one without a level
    spine = SpineWidget(draft)
    qtbot.addWidget(spine)
    assert 'id="fracture-L1" class="fracture index"' in spine.svg and 'class="fracture old"' in spine.svg
    assert "fracture-L4" not in spine.svg


def test_tab_goes_from_field_to_field_in_order(make_wizard, qtbot):
    wizard = make_wizard()
    wizard.activateWindow()
    page = wizard.currentPage()
    inputs = [e.input for e in page.editors]
    inputs[0].setFocus()
    qtbot.waitUntil(inputs[0].hasFocus, timeout=1000)
    for expected_next in inputs[1:6]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert expected_next.hasFocus(), expected_next.accessibleName()


def test_a_level_listed_twice_blocks_next_and_says_why(make_wizard):
    draft = CaseDraft()
    for p, v in (("patient.age_years", 74), ("patient.sex", "female"), ("fractures[0].level", "L1")):
        draft.set(p, v)
    wizard = make_wizard(draft)
    wizard.go_to(2)
    page = wizard.fractures_page
    page.add_button.click()
    type_into(page.fracture_editors[0], "L1")
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert "fracture 2: L1 is listed twice" in page.hint.text()
    assert "twice" in page.fracture_editors[0].error()
    type_into(page.fracture_editors[0], "L2")
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert page.fracture_editors[0].error() is None


def test_before_the_protocol_only_the_first_step_is_built_and_nothing_is_evaluated(qtbot, protocol):
    wizard = CaseWizard(CaseDraft())
    qtbot.addWidget(wizard)
    wizard.show()
    assert [page.built for page in wizard.steps] == [True] + [False] * 9
    qtbot.wait(50)  # idle time does not build steps before the protocol is in
    assert not wizard.steps[1].built and wizard.plan_page.view is None
    for path, value in (("patient.age_years", 70), ("patient.sex", "female"), ("fractures[0].level", "L1")):
        wizard.draft.set(path, value)
    assert wizard.evaluate_now() is None and not any(page.built for page in wizard.steps[1:])
    with qtbot.waitSignal(wizard.plan_changed, timeout=1000):
        wizard.set_protocol(protocol)
    assert wizard.plan is not None and wizard.plan_page.view.plan is wizard.plan  # the plan appears
    qtbot.waitUntil(wizard.all_built, timeout=5000)                               # the rest, in idle time


def test_steps_built_after_a_case_was_opened_show_its_values(qtbot, protocol, examples_dir):
    wizard = CaseWizard(CaseDraft())
    qtbot.addWidget(wizard)
    wizard.show()
    case = Case.model_validate_json((examples_dir / "suspected-metastatic-t9.json").read_text())
    wizard.draft.load(case)                      # opened before any other step was built
    assert not wizard.fractures_page.built and not wizard.form_pages["history"].built
    assert wizard.form_pages["patient"].editor("patient.age_years").line.text() == "67"
    wizard.set_protocol(protocol)
    qtbot.waitUntil(wizard.all_built, timeout=5000)
    assert wizard.form_pages["history"].editor("history.cancer").combo.currentData() is True
    assert wizard.fractures_page.fracture_editors[0].combo.currentData() == "T9"
    assert wizard.fractures_page.list.count() == len(case.fractures)
    assert "fracture-T9" in wizard.fractures_page.spine.svg
    assert wizard.form_pages["history"].banner.isVisibleTo(wizard.form_pages["history"])  # the latest plan's flag
    assert "malign" in wizard.form_pages["history"].banner.text().lower()


def test_going_to_a_step_builds_it_on_arrival(qtbot, protocol):
    draft = CaseDraft()
    for p, v in (("patient.age_years", 74), ("patient.sex", "female"), ("fractures[0].level", "L1")):
        draft.set(p, v)
    wizard = CaseWizard(draft)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.go_to(4)
    assert wizard.currentId() == 4 and all(page.built for page in wizard.steps[:5])
    assert wizard.currentPage().editor("neuro.status").isVisible()
    wizard.go_to(0)
    wizard.go_to(8)  # Review, before the protocol: the summary is there, the plan is not
    assert "findings recorded" in wizard.review_page.summary.toPlainText()
    assert not wizard.plan_page.built or wizard.plan_page.view is None


@pytest.mark.parametrize(("path", "value", "shown"), [
    ("patient.frailty_mfi5", 1, "1 point"), ("patient.frailty_mfi5", 2, "2 points"),
    ("symptoms.bed_rest_days", 1, "1 day"), ("symptoms.bed_rest_days", 0, "0 days"),
    ("fractures[0].kyphosis_deg", 12, "12°"), ("fractures[0].height_loss_pct", 31, "31 %"),
    ("symptoms.pain_nrs", 4, "4 (0–10)")])
def test_review_reads_numbers_with_their_units_as_said(path, value, shown):
    from vcf_desktop.gui.fields import resolve
    from vcf_desktop.gui.pages.review import display_value

    assert display_value(resolve(path), value, str) == shown
