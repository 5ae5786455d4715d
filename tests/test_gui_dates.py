"""Fast date entry: short forms read against the assessment date (today for the assessment date itself), the
ISO date shown beside the field, rejected text kept with the reason; a new case is assessed today."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from vcf_desktop.gui import clock
from vcf_desktop.gui.date_entry import parse_date, relation
from vcf_desktop.gui.draft import CaseDraft
from vcf_desktop.gui.fields import DateEditor, make_editor

REFERENCE = date(2026, 11, 24)


@pytest.mark.parametrize(("text", "day"), [
    ("2026-11-15", date(2026, 11, 15)),
    ("-9", date(2026, 11, 15)), ("-9d", date(2026, 11, 15)), ("9d", date(2026, 11, 15)), ("9D", date(2026, 11, 15)),
    ("−9", date(2026, 11, 15)), ("+3", date(2026, 11, 27)), ("-0", REFERENCE),
    ("-2w", date(2026, 11, 10)), ("6m", date(2026, 5, 24)), ("-1y", date(2025, 11, 24)),
    ("15.11.", date(2026, 11, 15)), ("15.11", date(2026, 11, 15)), (" 1.3.2024 ", date(2024, 3, 1)),
    ("15.11.26", date(2026, 11, 15)), ("15.11.98", date(1998, 11, 15)),
    ("24.11.", REFERENCE),  # the reference day itself: this year
    ("25.11.", date(2025, 11, 25)),  # the day after: never a later day, so the year before
])
def test_short_forms(text, day):
    assert parse_date(text, REFERENCE) == day


@pytest.mark.parametrize(("reference", "day"), [
    (date(2026, 11, 24), date(2024, 2, 29)),  # the latest leap year
    (date(2024, 2, 29), date(2024, 2, 29)),  # the day itself
    (date(2024, 2, 28), date(2020, 2, 29)),  # not yet this year: four years back
])
def test_29_february_without_a_year_is_the_latest_one(reference, day):
    assert parse_date("29.02.", reference) == day


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert parse_date("-1m", date(2026, 3, 31)) == date(2026, 2, 28)
    assert parse_date("-1y", date(2024, 2, 29)) == date(2023, 2, 28)


@pytest.mark.parametrize(("text", "why"), [
    ("9", "is not a date"), ("2026", "is not a date"), ("2026-11", "is not a date"), ("", "is not a date"),
    ("31.2.", "is not a day of the calendar"), ("2026-13-01", "is not a day of the calendar"),
    ("0.5.", "is not a day of the calendar"),
])
def test_what_is_not_a_date_says_why(text, why):
    with pytest.raises(ValueError, match=why):
        parse_date(text, REFERENCE)


def test_relation_in_days():
    name = "the assessment date"
    assert relation(date(2026, 11, 15), REFERENCE, name) == "9 days before the assessment date"
    assert relation(date(2026, 11, 25), REFERENCE, name) == "1 day after the assessment date"
    assert relation(REFERENCE, REFERENCE, name) == name


@pytest.fixture
def fixed_today(monkeypatch) -> date:
    monkeypatch.setattr(clock, "today", lambda: REFERENCE)
    return REFERENCE


def _editor(qtbot, draft: CaseDraft, path: str) -> DateEditor:
    editor = make_editor(draft, path)
    assert isinstance(editor, DateEditor)
    qtbot.addWidget(editor)
    editor.show()
    editor.input.setFocus()
    return editor


def test_a_new_case_is_assessed_today_and_shows_it(qtbot, fixed_today):
    draft = CaseDraft()
    editor = _editor(qtbot, draft, "assessment_date")
    assert draft.get("assessment_date") == "2026-11-24" and editor.line.text() == "2026-11-24"
    assert not editor.note.isVisible()


def test_a_short_form_is_read_against_the_assessment_date_and_shown_as_iso(qtbot, fixed_today):
    draft = CaseDraft({"assessment_date": "2026-11-20"})
    editor = _editor(qtbot, draft, "injury.onset_date")
    qtbot.keyClicks(editor.input, "-9")
    assert draft.get("injury.onset_date") == "2026-11-11"  # 9 days before the assessment date, not today
    assert editor.note.isVisible() and editor.note.text() == "= 2026-11-11 (9 days before the assessment date)"
    assert editor.line.text() == "-9" and editor.error() is None
    qtbot.keyClick(editor.input, Qt.Key.Key_Return)  # leaving the field (or Enter) puts the ISO date in
    assert editor.line.text() == "2026-11-11" and not editor.note.isVisible()
    assert draft.get("injury.onset_date") == "2026-11-11"


def test_the_assessment_date_reads_short_forms_against_today(qtbot, fixed_today):
    draft = CaseDraft()
    editor = _editor(qtbot, draft, "assessment_date")
    editor.line.selectAll()
    qtbot.keyClicks(editor.input, "-1")
    assert draft.get("assessment_date") == "2026-11-23"
    assert editor.note.text() == "= 2026-11-23 (1 day before today)"


def test_without_an_assessment_date_short_forms_are_read_against_today(qtbot, fixed_today):
    draft = CaseDraft({})
    editor = _editor(qtbot, draft, "bone_health.last_denosumab_dose_date")
    qtbot.keyClicks(editor.input, "6m")
    assert draft.get("bone_health.last_denosumab_dose_date") == "2026-05-24"
    assert editor.note.text() == "= 2026-05-24 (184 days before today)"


def test_rejected_text_stays_with_the_reason_and_records_nothing(qtbot, fixed_today):
    draft = CaseDraft()
    editor = _editor(qtbot, draft, "injury.onset_date")
    qtbot.keyClicks(editor.input, "31.2.")
    assert draft.get("injury.onset_date") is None
    assert "31.2. is not a day of the calendar" in editor.error()
    editor.input.clearFocus()  # leaving the field keeps what was typed
    assert editor.line.text() == "31.2." and not editor.note.isVisible()


def test_a_date_the_model_rejects_keeps_its_message(qtbot, fixed_today):
    draft = CaseDraft()
    editor = _editor(qtbot, draft, "injury.onset_date")
    qtbot.keyClicks(editor.input, "1.1.1800")
    assert draft.get("injury.onset_date") is None and editor.error() and "day of the calendar" not in editor.error()


def test_letters_other_than_the_units_are_refused_as_typed(qtbot, fixed_today):
    editor = _editor(qtbot, CaseDraft(), "injury.onset_date")
    qtbot.keyClicks(editor.input, "-9x")
    assert editor.line.text() == "-9"
