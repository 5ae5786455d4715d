"""Follow-up dates: a nominal interval from the assessment date, moved off the weekend."""

from __future__ import annotations

from datetime import date, timedelta

SATURDAY = 5


def due_date(start: date, days: int) -> date:
    """`start` + `days`, a Saturday or Sunday moved to the following Monday; same-day (0) is never moved."""
    due = start + timedelta(days=days)
    if days > 0 and due.weekday() >= SATURDAY:
        due += timedelta(days=7 - due.weekday())
    return due
