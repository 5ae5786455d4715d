"""Lab values in the units labs report: converted to the contract's unit on entry, shown back in the
chosen unit, a warning when the number suits the other unit, numbers in the user's locale."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from vcf_desktop.gui import units
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import make_editor, number_text
from vcf_desktop.gui.lab_field import LabEditor


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("VCF_DESKTOP_DATA_DIR", str(tmp_path))


@pytest.fixture
def locale():
    """Sets the default locale for one test, then puts the previous one back."""
    before = QLocale()
    yield lambda loc: QLocale.setDefault(loc)
    QLocale.setDefault(before)


def lab(qtbot, path: str, unit: str, draft: CaseDraft | None = None) -> LabEditor:
    editor = make_editor(draft or CaseDraft(), path)
    assert isinstance(editor, LabEditor)
    qtbot.addWidget(editor)
    editor.unit_combo.setCurrentText(unit)
    return editor


@pytest.mark.parametrize(("path", "unit", "typed", "stored"), [
    ("labs.vitamin_d_ng_ml", "nmol/L", "75", 30.0),       # 75 / 2.496 = 30.05
    ("labs.vitamin_d_ng_ml", "nmol/L", "50", 20.0),
    ("labs.calcium_mmol_l", "mg/dL", "9.4", 2.35),        # 9.4 / 4.008 = 2.345
    ("labs.creatinine_umol_l", "mg/dL", "0.75", 66.0),    # 0.75 x 88.42 = 66.3
    ("labs.haemoglobin_g_l", "g/dL", "13.1", 131.0),
    ("labs.haemoglobin_g_l", "g/L", "131", 131),
])
def test_a_value_in_another_unit_is_stored_in_the_contract_unit(qtbot, path, unit, typed, stored):
    editor = lab(qtbot, path, unit)
    editor.set_text(typed)
    assert editor.draft.get(path) == pytest.approx(stored)
    assert editor.error() is None
    if unit != editor.lab.contract:
        assert editor.note.isVisibleTo(editor)
        assert editor.note.text() == f"= {number_text(stored)} {editor.lab.contract} in the case file"
    else:
        assert not editor.note.isVisibleTo(editor)


@pytest.mark.parametrize(("path", "unit", "stored", "shown"), [
    ("labs.vitamin_d_ng_ml", "nmol/L", 36, "90"),         # 36 x 2.496 = 89.9
    ("labs.calcium_mmol_l", "mg/dL", 2.34, "9.4"),
    ("labs.creatinine_umol_l", "mg/dL", 66, "0.75"),
    ("labs.haemoglobin_g_l", "g/dL", 131, "13.1"),
])
def test_a_stored_value_is_shown_in_the_chosen_unit_and_left_as_it_is(qtbot, path, unit, stored, shown):
    draft = CaseDraft()
    draft.set(path, stored)
    editor = lab(qtbot, path, unit, draft)
    assert editor.line.text() == shown
    assert draft.get(path) == stored  # showing is not editing
    assert editor.note.text() == f"= {number_text(stored)} {editor.lab.contract} in the case file"


def test_choosing_the_unit_rereads_the_number_typed_and_becomes_the_default(qtbot):
    editor = lab(qtbot, "labs.vitamin_d_ng_ml", "ng/mL")
    editor.set_text("60")
    assert editor.draft.get("labs.vitamin_d_ng_ml") == 60
    editor.unit_combo.setCurrentText("nmol/L")
    assert editor.draft.get("labs.vitamin_d_ng_ml") == 24.0 and editor.line.text() == "60"
    assert units.default_unit("labs.vitamin_d_ng_ml") == "nmol/L"
    again = make_editor(CaseDraft(), "labs.vitamin_d_ng_ml")
    qtbot.addWidget(again)
    assert again.unit_combo.currentText() == "nmol/L"


@pytest.mark.parametrize(("path", "unit", "typed", "warning"), [
    ("labs.vitamin_d_ng_ml", "ng/mL", "60", "60 ng/mL is very high; did you mean nmol/L?"),
    ("labs.calcium_mmol_l", "mmol/L", "9.4", "9.4 mmol/L is very high; did you mean mg/dL?"),
    ("labs.creatinine_umol_l", "µmol/L", "1.2", "1.2 µmol/L is very low; did you mean mg/dL?"),
    ("labs.haemoglobin_g_l", "g/L", "13.1", "13.1 g/L is very low; did you mean g/dL?"),
    ("labs.haemoglobin_g_l", "g/dL", "131", "131 g/dL is very high; did you mean g/L?"),
])
def test_a_number_that_suits_the_other_unit_brings_a_warning(qtbot, path, unit, typed, warning):
    editor = lab(qtbot, path, unit)
    editor.set_text(typed)
    assert editor.warning.isVisibleTo(editor) and editor.warning.text() == warning
    editor.unit_combo.setCurrentText(next(u for u in editor.lab.units if u != unit))  # the user follows it
    assert not editor.warning.isVisibleTo(editor)
    assert editor.error() is None and editor.draft.get(path) is not None


@pytest.mark.parametrize(("path", "unit", "typed"), [
    ("labs.vitamin_d_ng_ml", "ng/mL", "36"), ("labs.vitamin_d_ng_ml", "nmol/L", "60"),
    ("labs.calcium_mmol_l", "mmol/L", "2.34"), ("labs.creatinine_umol_l", "µmol/L", "66"),
    ("labs.haemoglobin_g_l", "g/L", "131")])
def test_an_ordinary_value_brings_no_warning(qtbot, path, unit, typed):
    editor = lab(qtbot, path, unit)
    editor.set_text(typed)
    assert not editor.warning.isVisibleTo(editor)


def test_first_start_takes_the_unit_from_the_locale():
    us, de = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates), QLocale(
        QLocale.Language.German, QLocale.Country.Germany)
    assert [units.locale_unit(p, us) for p in units.LABS] == ["ng/mL", "mg/dL", "mg/dL", "g/dL"]
    assert [units.locale_unit(p, de) for p in units.LABS] == ["nmol/L", "mmol/L", "µmol/L", "g/L"]


def test_numbers_are_shown_in_the_users_locale(qtbot, locale):
    locale(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    draft = CaseDraft()
    draft.set("labs.calcium_mmol_l", 2.34)
    draft.set("bone_health.t_score", -2.7)
    calcium = lab(qtbot, "labs.calcium_mmol_l", "mmol/L", draft)
    assert calcium.line.text() == "2,34" and calcium.line.placeholderText() == "not recorded (1–4,5)"
    t_score = make_editor(draft, "bone_health.t_score")
    qtbot.addWidget(t_score)
    assert t_score.line.text() == "-2,7"
    calcium.set_text("2,41")  # typed with the locale's decimal comma
    assert draft.get("labs.calcium_mmol_l") == 2.41
    calcium.unit_combo.setCurrentText("mg/dL")
    assert calcium.line.text() == "2,41"  # the number typed stays; it is now read as mg/dL
    assert calcium.error() and "at least 1" in calcium.error()
