"""CaseDraft: paths, not-recorded round trip, change signals, validation and partial JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest

from vcf_desktop.domain.case import Case
from vcf_desktop.gui.draft import CaseDraft, parse_path


def test_new_draft_records_nothing_but_format_and_date():
    draft = CaseDraft()
    assert json.loads(draft.to_json()) == {
        "format": "vcf-case", "format_version": 2, "assessment_date": date.today().isoformat()}
    assert draft.case() is None
    assert not draft.dirty


def test_parse_path():
    assert parse_path("fractures[12].level") == ["fractures", 12, "level"]
    assert parse_path("patient.age_years") == ["patient", "age_years"]
    with pytest.raises(ValueError):
        parse_path("patient..age")
    with pytest.raises(ValueError):
        parse_path("fractures[x]")


def test_get_set_and_back_to_not_recorded(qtbot):
    draft = CaseDraft()
    assert draft.get("patient.age_years") is None
    with qtbot.waitSignal(draft.changed, check_params_cb=lambda p: p == "patient.age_years"):
        draft.set("patient.age_years", 71)
    assert draft.get("patient.age_years") == 71
    assert draft.dirty
    with qtbot.waitSignal(draft.changed, check_params_cb=lambda p: p == "patient.age_years"):
        draft.set("patient.age_years", None)
    assert draft.get("patient.age_years") is None
    assert "patient" not in json.loads(draft.to_json())  # an empty section is not a finding
    assert not draft.dirty


def test_false_and_zero_are_recorded_values_not_absence():
    draft = CaseDraft()
    draft.set("history.cancer", False)
    draft.set("symptoms.pain_nrs", 0)
    data = json.loads(draft.to_json())
    assert data["history"] == {"cancer": False}
    assert data["symptoms"] == {"pain_nrs": 0}


def test_setting_the_same_value_does_not_signal(qtbot):
    draft = CaseDraft()
    draft.set("history.cancer", False)
    with qtbot.assertNotEmitted(draft.changed):
        draft.set("history.cancer", False)
    with qtbot.waitSignal(draft.changed):  # 0 == False in Python, but they are different findings
        draft.set("history.cancer", 0)


def test_list_paths_create_items_and_list_operations():
    draft = CaseDraft()
    draft.set("fractures[0].level", "L2")
    draft.insert("fractures", 1, {"level": "T12", "new": False})
    draft.insert("fractures", 2)
    assert draft.length("fractures") == 3
    draft.move("fractures", 1, 0)
    assert [draft.get(f"fractures[{i}].level") for i in range(3)] == ["T12", "L2", None]
    draft.remove("fractures", 2)
    assert draft.get("fractures") == [{"level": "T12", "new": False}, {"level": "L2"}]


def test_case_needs_age_sex_and_index_level():
    draft = CaseDraft()
    draft.set("patient.age_years", 71)
    draft.set("patient.sex", "female")
    assert draft.case() is None
    assert set(draft.errors()) == {"fractures"}
    draft.set("fractures[0].level", "L2")
    case = draft.case()
    assert isinstance(case, Case) and case.index.level == "L2"
    assert draft.errors() == {}


def test_errors_name_the_path_with_the_models_message():
    draft = CaseDraft({"format": "vcf-case", "format_version": 1, "patient": {"age_years": 130, "sex": "female"},
                       "fractures": [{"level": "L2"}, {"level": "L2"}]})
    errors = draft.errors()
    assert "at most 120" in errors["patient.age_years"]
    assert draft.case() is None


def test_duplicate_level_is_reported_on_the_second_fracture():
    draft = CaseDraft({"format": "vcf-case", "format_version": 1, "patient": {"age_years": 70, "sex": "female"},
                       "fractures": [{"level": "L2"}, {"level": "L2"}]})
    assert "twice" in draft.errors()["fractures[1].level"]


def test_load_replaces_everything_and_signals_whole_case(qtbot, examples_dir):
    case = Case.model_validate_json((examples_dir / "typical-l2-wedge.json").read_text())
    draft = CaseDraft()
    with qtbot.waitSignal(draft.changed, check_params_cb=lambda p: p == ""):
        draft.load(case)
    assert draft.case() == case.model_copy(update={"format_version": 2})  # held and saved as v2
    assert json.loads(draft.to_json()) == json.loads(case.to_json())


def test_from_json_accepts_partial_and_invalid_drafts():
    text = json.dumps({"format": "vcf-case", "format_version": 1, "patient": {"age_years": "71"}})
    draft = CaseDraft.from_json(text)
    assert draft.get("patient.age_years") == "71"  # kept as written, never dropped
    assert "patient.age_years" in draft.errors()
    assert json.loads(draft.to_json()) == json.loads(text)
    with pytest.raises(ValueError):
        CaseDraft.from_json("[1, 2]")


def test_mark_saved_clears_dirty():
    draft = CaseDraft()
    draft.set("case_id", "x")
    assert draft.dirty
    draft.mark_saved()
    assert not draft.dirty


def test_deferred_messages_wait_for_start_messages_and_case_still_validates(qtbot):
    draft = CaseDraft({"format": "vcf-case", "format_version": 1, "patient": {"age_years": 130, "sex": "female"},
                       "fractures": [{"level": "L1"}]}, defer_messages=True)
    assert draft.messages_deferred and draft.errors() == {}   # the first screen does not import the model
    assert draft.case() is None                                # an explicit check always validates
    with qtbot.waitSignal(draft.messages_started, timeout=100):
        draft.start_messages()
    assert "at most 120" in draft.errors()["patient.age_years"]
    with qtbot.assertNotEmitted(draft.messages_started):
        draft.start_messages()                                 # once only
