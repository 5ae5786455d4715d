"""Optional: follow-up dates moved off a country's public holidays as well as weekends.

The engine puts every due date on a weekday (`engine.calendar`); with a country chosen (CLI
`--holidays CC`, the app's setting) a date that falls on one of that country's public holidays moves
to the next working day. Same-day entries are never moved. The calendars come from the maintained
`holidays` package, imported only when a country is chosen (start-up does not pay for it).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from vcf_desktop.domain.plan import FollowUp, Plan


class UnknownCountry(ValueError):
    """A country code the holiday calendars do not know."""


def countries() -> list[tuple[str, str]]:
    """(ISO 3166 alpha-2 code, name) of every country with a public-holiday calendar, by name."""
    from holidays.registry import COUNTRIES

    return sorted(((codes[1], module.replace("_", " ").title()) for module, codes in COUNTRIES.items()),
                  key=lambda pair: pair[1])


def _calendar(country: str, years: range) -> Any:
    import holidays

    try:
        return holidays.country_holidays(country.upper(), years=years)
    except NotImplementedError:
        raise UnknownCountry(f"no public-holiday calendar for country code {country!r} "
                             "(use an ISO 3166 code such as GB, US, DE, FR, AU)") from None


def check_country(country: str) -> None:
    """Raise UnknownCountry unless `country` has a public-holiday calendar."""
    _calendar(country, range(2000, 2001))


def working_day(day: date, closed: Any) -> date:
    """`day`, or the first day after it that is neither a weekend day nor in `closed`."""
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def observe_holidays(plan: Plan, country: str | None) -> Plan:
    """`plan` with its follow-up dates off `country`'s public holidays (unchanged when `country` is empty)."""
    if not country or not plan.follow_up:
        return plan
    first, last = plan.follow_up[0].due_date.year, max(f.due_date for f in plan.follow_up).year
    closed = _calendar(country, range(first, last + 2))
    moved: list[FollowUp] = [f if f.due_days == 0 else f.model_copy(update={"due_date": working_day(f.due_date, closed)})
                             for f in plan.follow_up]
    moved.sort(key=lambda f: (f.due_date, f.due_days))
    return plan.model_copy(update={"follow_up": moved})
