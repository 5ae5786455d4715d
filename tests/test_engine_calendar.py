"""Follow-up due dates fall on weekdays (case-format v2, Follow-up)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from vcf_desktop.engine.calendar import due_date

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(("days", "expected"), [
    (4, date(2026, 11, 27)),   # Friday stays
    (5, date(2026, 11, 30)),   # Saturday -> Monday
    (6, date(2026, 11, 30)),   # Sunday -> Monday
    (7, date(2026, 11, 30)),   # Monday stays
])
def test_weekend_moves_to_monday(days: int, expected: date) -> None:
    assert due_date(MONDAY, days) == expected


def test_same_day_is_never_moved() -> None:
    saturday = MONDAY + timedelta(days=5)
    assert due_date(saturday, 0) == saturday


@pytest.mark.parametrize("days", range(1, 30))
def test_every_later_date_is_a_weekday_within_two_days(days: int) -> None:
    due = due_date(MONDAY + timedelta(days=days % 7), days)
    nominal = MONDAY + timedelta(days=days % 7 + days)
    assert due.weekday() < 5 and 0 <= (due - nominal).days <= 2
