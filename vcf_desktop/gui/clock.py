"""The day the GUI takes as today (a new case's assessment date, short dates typed for it, the live plan);
one place, so that a benchmark or a test can fix the clock."""

from __future__ import annotations

from datetime import date


def today() -> date:
    return date.today()
