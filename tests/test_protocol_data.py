"""The engine runs on plain protocol records (engine/protocol_data.py): they must equal the schema's models field by
field, behave like them, and load without pydantic."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from vcf_desktop.domain.plan import ProtocolRef, Scores
from vcf_desktop.domain.record import Record
from vcf_desktop.engine.facts import no_scores
from vcf_desktop.engine.protocol import load_protocol, shipped_protocol_path
from vcf_desktop.engine.protocol_data import Threshold as PlainThreshold
from vcf_desktop.engine.protocol_model import Protocol, Threshold

ROOT = Path(__file__).resolve().parent.parent

def builtin(value: Any) -> Any:
    """Records and models as dicts, recursively, keeping every value's own type (a date stays a date)."""
    if isinstance(value, (Record, BaseModel)):
        return {name: builtin(item) for name, item in value}
    if isinstance(value, dict):
        return {key: builtin(item) for key, item in value.items()}
    if isinstance(value, list):
        return [builtin(item) for item in value]
    return value


def _types(value: Any) -> Any:
    """The same structure with every leaf replaced by its type."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value)


def test_the_plain_protocol_equals_the_model_field_by_field_and_type_by_type() -> None:
    model = Protocol.model_validate(tomllib.loads(shipped_protocol_path().read_text(encoding="utf-8")))
    plain = load_protocol().data
    assert builtin(plain) == builtin(model)
    assert _types(builtin(plain)) == _types(builtin(model))
    assert isinstance(plain.protocol.review_date, date)


def test_every_kind_of_record_keeps_the_models_field_order() -> None:
    model = Protocol.model_validate(tomllib.loads(shipped_protocol_path().read_text(encoding="utf-8")))
    plain = load_protocol().data
    assert [name for name, _ in plain] == list(Protocol.model_fields)
    for plain_rule, rule in zip(plain.rules, model.rules, strict=True):
        assert [name for name, _ in plain_rule] == list(type(rule).model_fields)
    assert [name for name, _ in plain.thresholds.genant_grade_1] == list(Threshold.model_fields)


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
@pytest.mark.parametrize("x", [9.9, 10.0, 10.1])
def test_a_plain_threshold_decides_and_words_like_the_model(op: str, x: float) -> None:
    fields = {"value": 10.0, "op": op, "unit": "%", "rule": "a rule", "citations": ["X-1"], "boundary": True}
    model, plain = Threshold(**fields), PlainThreshold(**fields)
    assert (plain.holds(x), plain.on_boundary(x)) == (model.holds(x), model.on_boundary(x))
    assert (plain.describe(), plain.describe_complement()) == (model.describe(), model.describe_complement())


def test_the_engines_empty_scores_and_protocol_reference_are_the_plans_in_order() -> None:
    assert dict(no_scores()) == Scores().model_dump()
    assert [name for name, _ in no_scores()] == list(Scores.model_fields)
    assert [name for name, _ in load_protocol().ref(date(2026, 11, 27))] == list(ProtocolRef.model_fields)
def test_a_headless_json_plan_never_imports_pydantic() -> None:
    demo = ROOT / "resources" / "cases" / "typical-l2-wedge.vcfcase.json"
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "vcf_desktop", "plan", str(demo), "--format",
                          "json"], capture_output=True, text=True, cwd=ROOT, check=True)
    imported = [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time")]
    assert '"format": "vcf-plan"' in run.stdout
    assert not [m for m in imported if m.split(".")[0] in ("pydantic", "pydantic_core", "PySide6")]
