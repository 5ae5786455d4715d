"""Short ways to type a date, read against a reference day (the assessment date, or today for the
assessment date itself). Pure date arithmetic, nothing clinical.

- `2026-11-15`: the ISO date itself;
- `15.11.`, `15.11`, `15.11.26`, `15.11.2026`: day.month[.year]; without a year, the latest such day
  not after the reference day;
- `-9`, `-9d`, `9d`: 9 days before the reference day (`+9`, `+9d`: after); `w` weeks, `m` calendar
  months, `y` years (a day missing from the month becomes its last day).

A bare number (`9`, `2026`) is not read as a date: it is how an ISO date starts.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_MONTH = re.compile(r"(\d{1,2})\.(\d{1,2})\.?(\d{2}|\d{4})?")
_RELATIVE = re.compile(r"([-+−]?)(\d{1,5})([dwmy]?)", re.IGNORECASE)

#: Characters any of the forms may hold (the editor's validator refuses others as they are typed).
ALLOWED = r"[\s\d.+\-−dwmyDWMY]*"


def tr(text: str) -> str:
    return QCoreApplication.translate("DateEntry", text)


def parse_date(text: str, reference: date) -> date:
    """The date `text` stands for, read against `reference`; ValueError saying why when it is none."""
    text = text.strip()
    try:
        if _ISO.fullmatch(text):
            return date.fromisoformat(text)
        if match := _DAY_MONTH.fullmatch(text):
            return _day_month(*match.groups(), reference=reference)
        if (match := _RELATIVE.fullmatch(text)) and (match[1] or match[3]):
            return _shifted(reference, -1 if match[1] in ("", "-", "−") else 1, int(match[2]), match[3].lower() or "d")
    except (ValueError, OverflowError):
        raise ValueError(tr("%1 is not a day of the calendar").replace("%1", text)) from None
    raise ValueError(tr("%1 is not a date: type YYYY-MM-DD, day.month (15.11.) or days before (-9 or 9d)")
                     .replace("%1", text))


def _day_month(day: str, month: str, year: str | None, reference: date) -> date:
    if year is None:  # the latest such day not after the reference (29.02.: the latest leap year's)
        for back in range(9):
            try:
                found = date(reference.year - back, int(month), int(day))
            except ValueError:
                continue
            if found <= reference:
                return found
        raise ValueError(day)
    full = int(year) if len(year) == 4 else 2000 + int(year)
    return date(full - 100 if len(year) == 2 and full > reference.year else full, int(month), int(day))


def _shifted(reference: date, sign: int, count: int, unit: str) -> date:
    if unit in "dw":
        return reference + timedelta(days=sign * count * (7 if unit == "w" else 1))
    months = reference.year * 12 + reference.month - 1 + sign * count * (12 if unit == "y" else 1)
    year, month = divmod(months, 12)
    from calendar import monthrange  # noqa: PLC0415 - only when a month is typed (it imports locale: 2 ms at start)

    return date(year, month + 1, min(reference.day, monthrange(year, month + 1)[1]))


def relation(day: date, reference: date, reference_name: str) -> str:
    """"9 days before the assessment date", "the assessment date", "3 days after today"."""
    days = (day - reference).days
    if days == 0:
        return reference_name
    text = tr("1 day %2 %3") if abs(days) == 1 else tr("%1 days %2 %3")
    return text.replace("%1", str(abs(days))).replace("%2", tr("before") if days < 0 else tr("after")) \
        .replace("%3", reference_name)
