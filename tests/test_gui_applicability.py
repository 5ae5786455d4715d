"""Questions are asked only where they apply, and never hide a recorded value."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from test_gui_wizard import make_wizard  # noqa: F401

from vcf_desktop.gui import applicability
from vcf_desktop.gui.draft import CaseDraft


def _shown(page, path):
    editor = page.editor(path)
    return editor.isVisibleTo(page) and editor.label.isVisibleTo(page)


@pytest.mark.parametrize(("sex", "age", "premenopausal", "asked"), [
    ("female", 34, None, True), ("female", 54, None, True), ("female", 55, None, False),
    ("female", 74, None, False), ("female", 58, True, True), ("female", 40, False, False),
    ("male", 30, None, False), (None, 30, None, False)])
def test_pregnancy_and_breastfeeding_are_asked_of_women_of_child_bearing_age(make_wizard, sex, age, premenopausal,
                                                                          asked):
    draft = CaseDraft()
    for path, value in (("patient.sex", sex), ("patient.age_years", age), ("patient.premenopausal", premenopausal)):
        draft.set(path, value)
    wizard = make_wizard(draft)
    patient, history = wizard.form_pages["patient"], wizard.form_pages["history"]
    assert _shown(patient, "patient.lactating") is asked
    assert _shown(history, "history.pregnant") is asked
    assert _shown(patient, "patient.premenopausal") is (sex == "female")
    assert not _shown(history, "history.pregnancy_weeks")


def test_questions_follow_the_answers_as_they_are_typed(make_wizard):
    wizard = make_wizard()
    history = wizard.form_pages["history"]
    draft = wizard.draft
    draft.set("patient.sex", "female")
    draft.set("patient.age_years", 30)
    assert _shown(history, "history.pregnant") and not _shown(history, "history.pregnancy_weeks")
    draft.set("history.pregnant", True)
    assert _shown(history, "history.pregnancy_weeks")
    draft.set("patient.age_years", 80)
    assert _shown(history, "history.pregnant")  # recorded: never hidden
    draft.set("history.pregnant", None)
    assert not _shown(history, "history.pregnant") and not _shown(history, "history.pregnancy_weeks")


def test_mri_findings_are_asked_once_an_mri_is_recorded(make_wizard):
    wizard = make_wizard()
    fractures = wizard.fractures_page
    assert not _shown(fractures, "fractures[0].mri_edema")
    wizard.draft.set("imaging.modalities", ["radiograph", "mri"])
    assert _shown(fractures, "fractures[0].mri_edema")
    wizard.draft.set("imaging.modalities", ["ct"])
    assert not _shown(fractures, "fractures[0].mri_edema")
    wizard.draft.set("fractures[0].mri_edema", False)
    assert _shown(fractures, "fractures[0].mri_edema")


def test_the_menopause_age_comes_from_the_protocol_in_use(protocol, monkeypatch):
    """The age that stops pregnancy questions is the protocol's `menopause_age` threshold, not a number in
    the GUI; before any protocol has loaded the questions are asked."""
    draft = CaseDraft({"format": "vcf-case", "format_version": 2, "patient": {"age_years": 57, "sex": "female"}})
    monkeypatch.setattr(applicability, "_menopause_age", None)
    assert applicability.child_bearing(draft)
    applicability.use_protocol(protocol)
    assert protocol.thresholds.menopause_age.value == 55 and not applicability.child_bearing(draft)
    applicability.use_protocol(SimpleNamespace(thresholds=SimpleNamespace(menopause_age=SimpleNamespace(value=60))))
    assert applicability.child_bearing(draft)
    applicability.use_protocol(protocol)
