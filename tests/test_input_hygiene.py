"""Input hygiene: printable case ids, plausible dates, no repeated list entries, huge numbers, generated_at."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from vcf_desktop.cli import main
from vcf_desktop.domain.case import EARLIEST_DATE, LATEST_DATE
from vcf_desktop.domain.casefile import CaseFileError, loads_case
from vcf_desktop.domain.safe_write import safe_stem
from vcf_desktop.engine import evaluate, load_protocol

DEMO = Path(__file__).parent / "examples" / "typical-l2-wedge.json"


def demo(**top: Any) -> dict[str, Any]:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data.update(top)
    return data


def refusal(data: dict[str, Any]) -> list[str]:
    with pytest.raises(CaseFileError) as caught:
        loads_case(json.dumps(data, ensure_ascii=False))
    return caught.value.messages


@pytest.mark.parametrize(("case_id", "what"), [
    ("X\nPLAN: Conservative care · Stable", "a control character (U+000A)"),
    ("X\x1b[2J", "a control character (U+001B)"),
    ("2026-\u202e42-11", "a bidirectional-override character (U+202E)"),
    ("ab\u2066cd", "a bidirectional-override character (U+2066)"),
    ("a\u200bb", "a format character (U+200B)"),
    ("a\u2028b", "a line separator (U+2028)"),
    ("tab\there", "a control character (U+0009)"),
])
def test_case_id_refuses_invisible_characters(case_id: str, what: str) -> None:
    (message,) = refusal(demo(case_id=case_id))
    assert message.startswith("case_id: ") and f"contains {what}" in message


@pytest.mark.parametrize("case_id", ["ordinary-17", "Müller 2026/03", "病例 7", "a" * 64, "x..y"])
def test_visible_case_ids_are_accepted(case_id: str) -> None:
    assert loads_case(json.dumps(demo(case_id=case_id))).case_id == case_id


def test_case_ids_become_safe_file_names() -> None:
    from vcf_desktop.gui.printing import default_pdf_name

    plan = evaluate(loads_case(json.dumps(demo(case_id="../../outside/x"))), load_protocol())
    assert default_pdf_name(plan, "patient") == f"vcf-plan-outside-x-{plan.assessment_date.isoformat()}-patient.pdf"
    assert safe_stem("../..", "case") == "case"


@pytest.mark.parametrize(("path", "value"), [
    (("assessment_date",), "9999-10-01"), (("assessment_date",), "0001-01-01"), (("assessment_date",), "1899-12-31"),
    (("assessment_date",), "2101-01-01"), (("injury", "onset_date"), "1899-12-31"),
    (("bone_health", "last_denosumab_dose_date"), "2101-01-01"),
])
def test_dates_outside_1900_to_2100_are_refused_naming_the_field(path: tuple[str, ...], value: str) -> None:
    data = demo()
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    messages = refusal(data)
    assert any(m.startswith(f"{'.'.join(path)}: \"{value}\" — must be between 1900-01-01 and 2100-12-31")
               for m in messages), messages


@pytest.mark.parametrize("value", [EARLIEST_DATE.isoformat(), LATEST_DATE.isoformat()])
def test_the_date_limits_themselves_are_accepted(value: str) -> None:
    data = demo(assessment_date=value)
    data["injury"].pop("onset_date", None)
    assert loads_case(json.dumps(data)).assessment_date.isoformat() == value


def test_the_latest_assessment_date_plans_without_overflow(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    data = demo(assessment_date=LATEST_DATE.isoformat())
    data["injury"].pop("onset_date", None)
    path = tmp_path / "late.json"
    path.write_text(json.dumps(data))
    for fmt in ("json", "text", "html"):
        assert main(["plan", str(path), "--format", fmt]) == 0
    assert main(["plan", str(path), "--format", "pdf", "-o", str(tmp_path / "late.pdf")]) == 0
    plan = json.loads(capsys.readouterr().out.split("\n}\n")[0] + "\n}")
    assert all(f["due_date"] > LATEST_DATE.isoformat() for f in plan["follow_up"] if f["due_days"] > 0)


def test_assessment_date_9999_is_invalid_input_not_a_crash(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    path = tmp_path / "far.json"
    path.write_text(json.dumps(demo(assessment_date="9999-10-01")))
    for argv in (["validate", str(path)], ["plan", str(path)], ["plan", str(path), "--format", "pdf", "-o",
                                                                 str(tmp_path / "x.pdf")]):
        assert main(argv) == 2
        assert "assessment_date: \"9999-10-01\" — must be between" in capsys.readouterr().err


def test_onset_after_assessment_and_too_long_before_are_refused() -> None:
    data = demo(assessment_date="2026-11-24")
    data["injury"]["onset_date"] = "2026-11-25"
    assert refusal(data) == ["injury.onset_date: 2026-11-25 is after assessment_date 2026-11-24"]
    data["injury"]["onset_date"] = "1926-11-23"  # 36,526 days before
    (message,) = refusal(data)
    assert message.startswith("injury.onset_date: 1926-11-23 is 36526 days before assessment_date 2026-11-24; "
                              "allowed: at most 36500 days")
    data["injury"]["onset_date"] = (datetime(2026, 11, 24) - timedelta(days=36500)).date().isoformat()
    data["injury"].pop("days_since_onset", None)
    loads_case(json.dumps(data))  # exactly at the limit


def test_repeated_list_entries_are_refused() -> None:
    data = demo()
    data.setdefault("imaging", {})["modalities"] = ["radiograph", "mri", "radiograph"]
    (message,) = refusal(data)
    assert message.startswith('imaging.modalities: […] — "radiograph" is listed more than once')


def test_a_huge_integer_names_its_field_without_a_python_hint() -> None:
    text = DEMO.read_text(encoding="utf-8").replace('"age_years": 71', '"age_years": -' + "7" * 10_000)
    with pytest.raises(CaseFileError) as caught:
        loads_case(text)
    (message,) = caught.value.messages
    assert message == "patient.age_years: a number with 10000 digits — far too large; allowed: integer 0–120 years"


def test_generated_at_is_the_time_of_generation() -> None:
    case = loads_case(DEMO.read_text(encoding="utf-8"))
    before = datetime.now(timezone.utc).replace(microsecond=0)
    plan = evaluate(case, load_protocol())
    after = datetime.now(timezone.utc)
    assert before <= plan.generated_at <= after
    assert plan.generated_at.tzinfo is not None and plan.generated_at.utcoffset() == timedelta(0)
    assert plan.generated_at.microsecond == 0
    assert plan.generated_at.date() != case.assessment_date or plan.generated_at.time() != datetime.min.time()
    fixed = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert evaluate(case, load_protocol(), now=fixed).generated_at == fixed
