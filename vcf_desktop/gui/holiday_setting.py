"""The app's setting of a country whose public holidays follow-up dates avoid (stored with the other settings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QWidget

from vcf_desktop.gui.geometry import settings

if TYPE_CHECKING:
    from vcf_desktop.domain.plan import Plan

KEY = "plan/holiday_country"
_cached: list[str | None] = []  # read once per session; set_holiday_country keeps it current


def holiday_country() -> str | None:
    """The chosen ISO 3166 country code, or None (weekends only)."""
    if not _cached:
        _cached.append(str(settings().value(KEY, "") or "") or None)
    return _cached[0]


def set_holiday_country(code: str | None) -> None:
    store = settings()
    if code:
        store.setValue(KEY, code)
    else:
        store.remove(KEY)
    store.sync()
    _cached[:] = [code or None]


def with_holidays(plan: Plan | None) -> Plan | None:
    """`plan` with its follow-up dates off the chosen country's public holidays (unchanged when none is chosen)."""
    country = holiday_country()
    if plan is None or country is None:
        return plan
    from vcf_desktop.engine.holidays import observe_holidays

    return observe_holidays(plan, country)


def choose_holiday_country(parent: QWidget) -> bool:
    """Ask which country's public holidays follow-up dates avoid; True when the choice changed."""
    from vcf_desktop.engine.holidays import countries

    tr = lambda text: QCoreApplication.translate("HolidaySetting", text)  # noqa: E731
    none = tr("None: avoid weekends only")
    options = [(None, none), *countries()]
    labels = [none if code is None else f"{name} ({code})" for code, name in options]
    current = next((n for n, (code, _) in enumerate(options) if code == holiday_country()), 0)
    label, ok = QInputDialog.getItem(parent, tr("Public holidays"), tr(
        "Follow-up dates fall on weekdays. Also move them off the public holidays of:"), labels, current, False)
    if not ok:
        return False
    code = options[labels.index(label)][0]
    if code == holiday_country():
        return False
    set_holiday_country(code)
    return True
