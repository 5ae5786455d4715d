"""Follow-up dates off a country's public holidays (optional), on top of the engine's weekday rule."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from test_report_support import DEMO, real_plan

from vcf_desktop.domain.plan import FollowUp
from vcf_desktop.engine.holidays import UnknownCountry, countries, observe_holidays, working_day


def _with_follow_up(*entries: tuple[int, date]):
    plan, _ = real_plan(DEMO)
    return plan.model_copy(update={"follow_up": [FollowUp(due_days=d, due_date=day, what=f"visit {d}")
                                                 for d, day in entries]})


def test_christmas_and_boxing_day_move_to_the_next_working_day() -> None:
    # 2026: 25 Dec is a Friday; 28 Dec (Monday) is Boxing Day observed in England
    plan = _with_follow_up((31, date(2026, 12, 25)), (42, date(2027, 1, 5)))
    moved = observe_holidays(plan, "GB")
    assert [f.due_date for f in moved.follow_up] == [date(2026, 12, 29), date(2027, 1, 5)]
    assert observe_holidays(plan, "US").follow_up[0].due_date == date(2026, 12, 28)  # Christmas only
    assert observe_holidays(plan, None) is plan and observe_holidays(plan, "") is plan


def test_same_day_entries_never_move_and_order_stays_earliest_first() -> None:
    plan = _with_follow_up((0, date(2026, 12, 25)), (30, date(2026, 12, 24)), (31, date(2026, 12, 25)))
    moved = observe_holidays(plan, "gb")
    assert [(f.due_days, f.due_date) for f in moved.follow_up] == [
        (30, date(2026, 12, 24)), (0, date(2026, 12, 25)), (31, date(2026, 12, 29))]


def test_working_day_at_under_and_over_a_weekend() -> None:
    closed: set[date] = set()
    assert working_day(date(2026, 11, 27), closed) == date(2026, 11, 27)  # Friday
    assert working_day(date(2026, 11, 28), closed) == date(2026, 11, 30)  # Saturday -> Monday
    assert working_day(date(2026, 11, 30), {date(2026, 11, 30)}) == date(2026, 12, 1)


def test_unknown_country_is_refused_by_name() -> None:
    with pytest.raises(UnknownCountry, match="XX"):
        observe_holidays(_with_follow_up((14, date(2026, 12, 8))), "XX")
    assert ("GB", "United Kingdom") in countries()


def test_cli_holidays_option(tmp_path, capsys) -> None:
    from vcf_desktop.cli.entry import main

    from test_report_support import EXAMPLES

    assert main(["plan", str(EXAMPLES / f"{DEMO}.json"), "--holidays", "GB"]) == 0
    assert main(["plan", str(EXAMPLES / f"{DEMO}.json"), "--holidays", "XX"]) == 2
    assert "--holidays" in capsys.readouterr().err


def test_the_calendars_load_only_when_a_country_is_chosen() -> None:
    code = ("import sys, vcf_desktop.engine.holidays, vcf_desktop.cli.commands; "
            "print('holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_app_setting_moves_the_plan_dates(monkeypatch, qapp) -> None:
    from vcf_desktop.gui import holiday_setting

    plan = _with_follow_up((31, date(2026, 12, 25)))
    monkeypatch.setattr(holiday_setting, "_cached", ["GB"])
    assert holiday_setting.with_holidays(plan).follow_up[0].due_date == date(2026, 12, 29)
    monkeypatch.setattr(holiday_setting, "_cached", [None])
    assert holiday_setting.with_holidays(plan) is plan


def test_batch_plans_take_the_holidays_too(tmp_path) -> None:
    from vcf_desktop.cli.entry import main

    from test_report_support import EXAMPLES

    assert main(["plan", str(EXAMPLES / f"{DEMO}.json"), "--out-dir", str(tmp_path), "--holidays", "GB"]) == 0
    assert main(["plan", str(EXAMPLES / f"{DEMO}.json"), "--out-dir", str(tmp_path / "x"), "--holidays", "XX"]) == 2
    assert len(list(tmp_path.glob("*.json"))) == 1
