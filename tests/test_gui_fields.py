"""Editors generated from the case model: labels, units, ranges and choices come from the model;
untouched fields stay not recorded; rejected input stays in the editor with the model's message."""

from __future__ import annotations

from typing import get_args

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from vcf_desktop.domain import vocab as v
from vcf_desktop.domain.case import Case, Labs, Patient
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import (
    ChoiceEditor,
    DateEditor,
    LineEditor,
    MultiEditor,
    NumberValidator,
    make_editor,
    parse_number,
    list_fields,
    resolve,
    section_fields,
)


def _bounds(model, name):
    meta = model.model_fields[name].metadata
    return (next(m.ge for m in meta if hasattr(m, "ge")), next(m.le for m in meta if hasattr(m, "le")))


def all_paths() -> list[str]:
    top = [name for name in Case.model_fields if name not in ("format", "format_version", "plan_record")]
    paths = []
    for name in top:
        try:
            section = name if name != "fractures" else "fractures[0]"
            paths += section_fields(section)
            paths += [p for lst in list_fields(section) for p in section_fields(f"{lst}[0]")]  # first row
        except (AttributeError, TypeError):
            paths.append(name)
    return paths


def test_every_case_field_has_an_editor(qtbot):
    draft = CaseDraft()
    paths = all_paths()
    assert "labs.haemoglobin_g_l" in paths and "fractures[0].intravertebral_cleft" in paths and "case_id" in paths
    assert {"bone_health.prior_therapies[0].agent", "bone_health.prior_therapies[0].months",
            "bone_health.prior_therapies[0].ended", "patient.lactating", "history.pregnancy_weeks",
            "history.liver_disease", "history.glucocorticoid_mg_day", "bone_health.z_score",
            "fractures[0].augmented"} <= set(paths)
    for path in paths:
        editor = make_editor(draft, path)
        qtbot.addWidget(editor)
        assert editor.value() is None or path == "assessment_date"  # a new draft is for today


@pytest.mark.parametrize(("path", "model", "name"), [
    ("patient.age_years", Patient, "age_years"), ("labs.calcium_mmol_l", Labs, "calcium_mmol_l"),
    ("labs.egfr", Labs, "egfr")])
def test_number_range_label_unit_and_help_come_from_the_model(qtbot, path, model, name):
    editor = make_editor(CaseDraft(), path)
    qtbot.addWidget(editor)
    info = model.model_fields[name]
    validator = editor.line.validator()
    assert isinstance(validator, NumberValidator)
    assert (validator.bottom, validator.top) == _bounds(model, name)
    assert editor.label.text().replace("&", "") == info.title
    assert editor.unit_label.text() == info.json_schema_extra["unit"]
    assert editor.help.text() == info.description
    assert editor.input.accessibleName() == f"{info.title} ({info.json_schema_extra['unit']})"
    assert editor.label.buddy() is editor.input


def test_validator_at_just_inside_and_just_outside_the_range(qtbot):
    validator = NumberValidator(1.0, 4.5)
    state = NumberValidator.State
    assert validator.validate("1.0", 0) == state.Acceptable
    assert validator.validate("4.5", 0) == state.Acceptable
    assert validator.validate("0.99", 0) == state.Intermediate   # kept, then reported
    assert validator.validate("4.51", 0) == state.Intermediate
    assert validator.validate("2,34", 0) == state.Acceptable     # decimal comma
    assert validator.validate("", 0) == state.Acceptable         # empty = not recorded
    assert validator.validate("abc", 0) == state.Invalid


def test_parse_number():
    assert parse_number("") is None and parse_number("  ") is None
    assert parse_number(" 71 ") == 71 and isinstance(parse_number("71"), int)
    assert parse_number("71.0") == 71.0 and isinstance(parse_number("71.0"), float)
    assert parse_number("2,34") == 2.34
    assert parse_number("−3") == -3
    assert parse_number("1-2") == "1-2"  # not a number: kept for the model's message


def test_choices_come_from_the_literal_with_not_recorded_first(qtbot):
    editor = make_editor(CaseDraft(), "injury.mechanism")
    qtbot.addWidget(editor)
    assert isinstance(editor, ChoiceEditor)
    data = [editor.combo.itemData(i) for i in range(editor.combo.count())]
    assert data == [None, *get_args(v.Mechanism)]
    assert editor.combo.currentIndex() == 0 and "not recorded" in editor.combo.currentText()


def test_boolean_is_three_way_and_clears_back(qtbot):
    draft = CaseDraft()
    editor = make_editor(draft, "history.cancer")
    qtbot.addWidget(editor)
    assert [editor.combo.itemData(i) for i in range(3)] == [None, True, False]
    editor.combo.setCurrentIndex(2)
    assert draft.get("history.cancer") is False
    editor.clear_button.click()
    assert draft.get("history.cancer") is None and editor.combo.currentIndex() == 0


def test_out_of_range_entry_is_kept_with_the_models_message_and_not_written(qtbot):
    draft = CaseDraft()
    editor = make_editor(draft, "patient.age_years")
    qtbot.addWidget(editor)
    editor.show()
    editor.set_text("120")
    assert draft.get("patient.age_years") == 120 and editor.error() is None
    editor.set_text("121")
    assert editor.line.text() == "121"                     # never lost
    assert draft.get("patient.age_years") is None          # never written, and no stale 120 either
    assert "must be at most 120" in editor.error() and "0–120" in editor.error()
    editor.set_text("71.5")
    assert "whole number" in editor.error()
    editor.set_text("71")
    assert draft.get("patient.age_years") == 71 and editor.error() is None


def test_typing_keys_into_a_number_field(qtbot):
    draft = CaseDraft()
    editor = make_editor(draft, "labs.calcium_mmol_l")
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.line, "2,61")
    assert draft.get("labs.calcium_mmol_l") == 2.61
    qtbot.keyClicks(editor.line, "x")  # not a number character: refused by the validator
    assert editor.line.text() == "2,61"
    editor.line.selectAll()
    qtbot.keyClick(editor.line, Qt.Key.Key_Delete)
    assert draft.get("labs.calcium_mmol_l") is None


def test_date_editor_rejects_impossible_dates_and_keeps_text(qtbot):
    draft = CaseDraft()
    editor = make_editor(draft, "injury.onset_date")
    qtbot.addWidget(editor)
    editor.show()
    assert isinstance(editor, DateEditor)
    editor.set_text("2026-02-30")
    assert editor.line.text() == "2026-02-30" and editor.error() and draft.get("injury.onset_date") is None
    editor.set_text("2026-02-03")
    assert draft.get("injury.onset_date") == "2026-02-03" and editor.error() is None


def test_multi_choice_none_ticked_is_not_recorded(qtbot):
    draft = CaseDraft()
    editor = make_editor(draft, "imaging.modalities")
    qtbot.addWidget(editor)
    assert isinstance(editor, MultiEditor) and list(editor.boxes) == list(get_args(v.Modality))
    editor.boxes["mri"].setChecked(True)
    editor.boxes["radiograph"].setChecked(True)
    assert draft.get("imaging.modalities") == ["radiograph", "mri"]
    editor.boxes["mri"].setChecked(False)
    editor.boxes["radiograph"].setChecked(False)
    assert draft.get("imaging.modalities") is None


def test_editor_follows_the_draft_napari_style(qtbot):
    draft = CaseDraft()
    age, sex = make_editor(draft, "patient.age_years"), make_editor(draft, "patient.sex")
    qtbot.addWidget(age)
    qtbot.addWidget(sex)
    draft.set("patient.age_years", 80)
    draft.set("patient.sex", "male")
    assert age.line.text() == "80" and sex.combo.currentData() == "male"
    draft.replace({"format": "vcf-case", "format_version": 1})
    assert age.line.text() == "" and sex.combo.currentIndex() == 0


def test_invalid_value_from_a_file_is_shown_not_hidden(qtbot):
    draft = CaseDraft({"format": "vcf-case", "format_version": 1, "patient": {"sex": "unknown", "age_years": 130}})
    sex, age = make_editor(draft, "patient.sex"), make_editor(draft, "patient.age_years")
    for w in (sex, age):
        qtbot.addWidget(w)
        w.show()
    assert "unknown" in sex.combo.currentText() and sex.error()
    assert age.line.text() == "130" and "at most 120" in age.error()


def test_rebinding_to_another_fracture(qtbot):
    draft = CaseDraft({"format": "vcf-case", "format_version": 1,
                       "fractures": [{"level": "L2"}, {"level": "T12"}]})
    editor = make_editor(draft, "fractures[0].level")
    qtbot.addWidget(editor)
    assert editor.combo.currentData() == "L2"
    editor.set_path("fractures[1].level")
    assert editor.combo.currentData() == "T12"
    assert resolve("fractures[1].level").choices == v.LEVELS


def test_editor_kinds(qtbot):
    kinds = {p: type(make_editor(CaseDraft(), p)) for p in ("case_id", "patient.sex", "labs.egfr")}
    assert kinds == {"case_id": LineEditor, "patient.sex": ChoiceEditor, "labs.egfr": LineEditor}
    assert isinstance(make_editor(CaseDraft(), "patient.sex").input, QComboBox)
    assert isinstance(make_editor(CaseDraft(), "labs.egfr").input, QLineEdit)


def test_shipped_case_schema_is_the_models_schema():
    from vcf_desktop.gui.schema_file import SCHEMA_FILE, generated_text
    from vcf_desktop.resources import resource_path

    shipped = resource_path(SCHEMA_FILE).read_text(encoding="utf-8")
    assert shipped == generated_text(), (
        f"resources/{SCHEMA_FILE} is out of date with the case model; regenerate it with\n"
        "    .venv/bin/python -m vcf_desktop.gui.schema_file")


def test_every_field_spec_says_what_the_model_says():
    """Title, help, unit, range, choices and required-ness read from the schema file match the model."""
    import annotated_types

    from vcf_desktop.domain import case as case_module

    for path in all_paths():
        spec = resolve(path)
        info = getattr(case_module, spec.model).model_fields[spec.name]
        extra = info.json_schema_extra or {}
        assert (spec.title, spec.description, spec.unit) == (info.title, info.description or "", extra.get("unit")), path
        assert spec.minimum == next((m.ge for m in info.metadata if isinstance(m, annotated_types.Ge)), None), path
        assert spec.maximum == next((m.le for m in info.metadata if isinstance(m, annotated_types.Le)), None), path
        assert spec.required == info.is_required(), path
    assert resolve("fractures[0].level").choices == v.LEVELS and resolve("patient.sex").kind == "choice"
    assert resolve("imaging.modalities").choices == get_args(v.Modality)
    assert resolve("injury.onset_date").kind == "date" and resolve("labs.egfr").kind in ("int", "float")
    with pytest.raises(KeyError):
        resolve("patient.shoe_size")
    with pytest.raises(TypeError):
        section_fields("case_id")


def test_an_editor_with_a_unit_never_opens_a_window_of_its_own(qtbot):
    """A label shown before it has a parent becomes a window: that stole the focus from the main window
    whenever a step was built in idle time."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    opened = []

    class Watch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
                opened.append(obj)
            return False

    watch = Watch()
    QApplication.instance().installEventFilter(watch)
    try:
        editor = make_editor(CaseDraft(), "symptoms.pain_nrs")
        qtbot.addWidget(editor)
    finally:
        QApplication.instance().removeEventFilter(watch)
    assert editor.unit_label.text() and opened == []


def test_qt_calls_do_not_leak_references_to_none_or_true(qtbot):
    """PySide6 6.12.0 dropped a reference to None per void call and to True per emit, which aborted
    Python 3.11 after a few thousand calls; the pinned PySide6 must not."""
    import sys

    from PySide6.QtWidgets import QLabel

    draft = CaseDraft()
    label = QLabel()
    qtbot.addWidget(label)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(20000):
        label.setText("")          # returns None
        draft.changed.emit("x")    # returns True
    assert sys.getrefcount(None) >= none_before - 100
    assert sys.getrefcount(True) >= true_before - 100
