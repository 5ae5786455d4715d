"""A headless JSON plan is written without pydantic (plain case records, plain protocol, `plan_json.dumps_plan`):
its bytes must be exactly those of the `Plan` model's `to_json()` for the same case read by the models.

Runs on >= 10,000 generated valid cases per run (tests/case_generator.py; seed: VCF_PARITY_SEED, printed on
failure), each planned at a different moment so that `generated_at` takes every shape.
"""

from __future__ import annotations

import json
import math
import os
import random
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from case_generator import valid_cases
from vcf_desktop.domain.casefile import loads_case
from vcf_desktop.domain.plan import Plan
from vcf_desktop.domain.plan_json import dumps_plan
from vcf_desktop.engine import evaluate, load_protocol
from vcf_desktop.engine.evaluate import evaluate_data

SEED = int(os.environ.get("VCF_PARITY_SEED", "20261127"))
VALID = 10_000
TODAY = date(2026, 11, 27)


def _moment(rng: random.Random) -> datetime:
    """A UTC moment, with or without microseconds (the GUI passes its own clock)."""
    return datetime(2026, 11, 27, rng.randrange(24), rng.randrange(60), rng.randrange(60),
                    rng.choice([0, rng.randrange(1_000_000)]), tzinfo=UTC)


def test_headless_json_plans_are_byte_identical_to_the_models() -> None:
    protocol, rng = load_protocol(), random.Random(SEED)
    plain_cases = written_by_model = 0
    for n, data in enumerate(valid_cases(VALID, SEED)):
        text, now = json.dumps(data, ensure_ascii=False), _moment(rng)
        fast, model = loads_case(text, plain=True), loads_case(text)
        plain_cases += type(fast) is not type(model)
        expected = evaluate(model, protocol, today=TODAY, now=now).to_json()
        written = dumps_plan(evaluate_data(fast, protocol, today=TODAY, now=now))
        if written is None:  # the command then writes the model's JSON of the same case
            written_by_model += 1
            written = evaluate(fast, protocol, today=TODAY, now=now).to_json()
        assert written == expected, f"case {n} (VCF_PARITY_SEED={SEED}): {text}"
    assert plain_cases > VALID * 0.9, f"only {plain_cases} of {VALID} valid cases took the plain path"
    assert written_by_model == 0, f"{written_by_model} plans needed the model to be written"


def _plan_data(value: Any, moment: datetime) -> dict[str, Any]:
    """A plan's data with `value` in a reason and `moment` as generated_at."""
    because = [{"field": "patient.weight_kg", "value": value, "criterion": "x"}]
    item = {"text": "t", "severity": "info", "because": because, "citations": ["C-1"], "id": "i", "section":
            "stability", "priority": "now", "patient_text": "p", "strength": None}
    return {"format": "vcf-plan", "format_version": 2, "case_id": "c", "assessment_date": date(2026, 1, 2),
            "generated_at": moment, "protocol": {"id": "p", "version": "1", "sha256": "0" * 64, "approved": True,
                                                  "review_date": date(2027, 1, 1), "review_due": False},
            "stability": "stable", "pathway": "conservative", "headline": "h",
            "scores": {"genant_grade": None, "of_class": None, "of_score": None, "tlics": None, "ao_neuro": None,
                       "crcl_ml_min": value if isinstance(value, float) else None, "bmi": None},
            "items": [item], "osteoporosis": {"status": "treat", "recommended": [], "prerequisites": []},
            "avoid": [], "pitfalls": [], "missing": [], "follow_up": []}


@given(value=st.one_of(st.floats(), st.integers(-10**20, 10**20), st.text(), st.booleans(), st.none(),
                       st.lists(st.text(), max_size=3)),
       moment=st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)),
                                                      timezone(timedelta(hours=-3, minutes=-30))])))
def test_the_plain_writer_writes_what_the_model_writes(value: Any, moment: datetime) -> None:
    data = _plan_data(value, moment)
    written = dumps_plan(data)
    if written is None:  # declined only for what a plan never holds: NaN, infinity
        assert isinstance(value, float) and not math.isfinite(value)
    else:
        assert written == Plan.model_validate(data).to_json()


@pytest.mark.parametrize("value", [8.376e-05, -1e-05, 5.13771663188e-06, 1e-07, 2.90284e-09, 1.5e-10, 1e16, 1e-4])
def test_floats_are_spelt_as_the_model_spells_them(value: float) -> None:
    data = _plan_data(value, datetime(2026, 1, 1, tzinfo=UTC))
    assert dumps_plan(data) == Plan.model_validate(data).to_json()


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_what_the_model_would_write_differently_is_declined(value: Any) -> None:
    assert dumps_plan(_plan_data(value, datetime(2026, 1, 1, tzinfo=UTC))) is None
