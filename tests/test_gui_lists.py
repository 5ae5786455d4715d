"""The earlier osteoporosis drugs: a small list of rows (drug, months, ended), add and remove."""

from __future__ import annotations

import json

from test_gui_wizard import make_wizard, type_into  # noqa: F401

from vcf_desktop.gui.draft import CaseDraft

PRIOR = "bone_health.prior_therapies"


def _bone_step(make_wizard):
    draft = CaseDraft()
    for path, value in (("patient.age_years", 70), ("patient.sex", "female"), ("fractures[0].level", "L1")):
        draft.set(path, value)
    wizard = make_wizard(draft)
    wizard.go_to(5)
    page = wizard.currentPage()
    assert page is wizard.form_pages["bone_health"]
    return wizard, page, page.lists[0]


def test_earlier_drugs_are_added_edited_and_removed(make_wizard):
    wizard, page, box = _bone_step(make_wizard)
    assert len(box.rows) == 1 and wizard.draft.get(PRIOR) is None  # an empty row records nothing
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    first = box.rows[0][1]
    type_into(first[0], "denosumab")
    type_into(first[1], 36)
    type_into(first[2], "2025-01-10")
    box.add_button.click()
    assert len(box.rows) == 2
    type_into(box.rows[1][1][0], "zoledronic_acid")
    assert wizard.draft.get(PRIOR) == [{"agent": "denosumab", "months": 36, "ended": "2025-01-10"},
                                       {"agent": "zoledronic_acid"}]
    assert "Earlier drug 2" in wizard.review_page.html() and "zoledronic acid" in wizard.review_page.html()
    box.rows[0][2].click()  # remove the first
    assert wizard.draft.get(PRIOR) == [{"agent": "zoledronic_acid"}]
    assert box.rows[0][1][0].combo.currentData() == "zoledronic_acid"
    box.rows[0][2].click()
    assert wizard.draft.get(PRIOR) is None and len(box.rows) == 1
    assert "prior_therapies" not in json.loads(wizard.draft.to_json()).get("bone_health", {})


def test_a_row_with_months_but_no_drug_blocks_next_and_says_why(make_wizard):
    wizard, page, box = _bone_step(make_wizard)
    type_into(box.rows[0][1][1], 12)
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert "Drug" in page.hint.text()
    type_into(box.rows[0][1][0], "oral_bisphosphonate")
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert wizard.draft.case().bone_health.prior_therapies[0].agent == "oral_bisphosphonate"


def test_a_case_with_earlier_drugs_shows_a_row_for_each(make_wizard):
    draft = CaseDraft()
    for path, value in (("patient.age_years", 70), ("patient.sex", "female"), ("fractures[0].level", "L1")):
        draft.set(path, value)
    draft.set(PRIOR, [{"agent": "teriparatide", "months": 24}, {"agent": "denosumab"}, {"agent": "oral_bisphosphonate"}])
    wizard = make_wizard(draft)
    box = wizard.form_pages["bone_health"].lists[0]
    assert [row[1][0].combo.currentData() for row in box.rows] == ["teriparatide", "denosumab", "oral_bisphosphonate"]
    assert box.rows[0][1][1].line.text() == "24"
    assert [e.labelled for e in box.rows[1][1]] == [False, False, False]  # the header names the columns

