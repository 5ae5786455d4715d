"""Validation messages: every range, choice and type is tested from the model's own field constraints."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.casefile import CaseFileError, loads_case
from vcf_desktop.domain.errors import describe_allowed, field_errors, format_path, messages, unwrap_optional

DEMO = json.loads((Path(__file__).parent / "examples" / "typical-l2-wedge.json").read_text(encoding="utf-8"))


def leaf_fields(model: type[BaseModel] = Case, prefix: tuple[str | int, ...] = ()) -> list[tuple[tuple, Any, Any]]:
    """(loc, FieldInfo, type) of every scalar field of the case; the first fracture stands for all."""
    out = []
    for name, info in model.model_fields.items():
        loc, ann = (*prefix, name), unwrap_optional(info.annotation)
        if name == "plan_record":  # written by the program, tested in test_casefile
            continue
        if get_origin(ann) is list and isinstance(get_args(ann)[0], type) and issubclass(get_args(ann)[0], BaseModel):
            out += leaf_fields(get_args(ann)[0], (*loc, 0))
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            out += leaf_fields(ann, loc)
        elif name not in ("format", "format_version"):
            out.append((loc, info, ann))
    return out


def bound(info: Any, name: str) -> Any:
    return next((getattr(m, name) for m in info.metadata if getattr(m, name, None) is not None), None)


#: What a field needs beside it to be valid on its own: a list entry to hold it, or the finding it qualifies.
_CONTEXT: dict[str, tuple[tuple[str, str], Any]] = {
    "prior_therapies": (("bone_health", "prior_therapies"), [{"agent": "oral_bisphosphonate"}]),
    "pregnancy_weeks": (("history", "pregnant"), True),
}


def with_value(loc: tuple, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEMO)
    for name, ((section, key), seed) in _CONTEXT.items():
        if name in loc:
            data.setdefault(section, {})[key] = copy.deepcopy(seed)
    node = data
    for part in loc[:-1]:
        node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
    node[loc[-1]] = value
    return data


def problems_for(data: dict[str, Any]) -> list[str]:
    try:
        loads_case(json.dumps(data))
    except CaseFileError as exc:
        return exc.messages
    return []


RANGED = [(loc, info, ann) for loc, info, ann in leaf_fields() if bound(info, "ge") is not None]
RANGE_CASES = []
for _loc, _info, _ann in RANGED:
    _step = 1 if _ann is int else 0.001
    _lo, _hi = bound(_info, "ge"), bound(_info, "le")
    RANGE_CASES += [(_loc, _ann(_lo), None), (_loc, _ann(_lo) - _step, f"must be at least {_lo:g}")]
    if _hi is not None:
        RANGE_CASES += [(_loc, _ann(_hi), None), (_loc, _ann(_hi) + _step, f"must be at most {_hi:g}")]


def test_the_model_has_ranges_to_test() -> None:
    assert len(RANGED) >= 25  # guards against the enumeration silently finding nothing


@pytest.mark.parametrize(("loc", "value", "wrong"), RANGE_CASES,
                         ids=[f"{format_path(c[0])}={c[1]!r}" for c in RANGE_CASES])
def test_range_limits_at_just_under_and_just_over(loc: tuple, value: float, wrong: str | None) -> None:
    path = format_path(loc)
    found = problems_for(with_value(loc, value))
    if wrong is None:
        assert found == []
    else:
        assert len(found) == 1, found
        assert found[0].startswith(f"{path}: {json.dumps(value)} — {wrong}; allowed: "), found
        assert found[0].endswith(describe_allowed(path))


def _wrong_type_value(ann: Any) -> tuple[Any, str]:
    if ann is bool:
        return "true", "must be true or false (JSON boolean), not a string"
    if ann is int:
        return 2.5, "must be a whole number; allowed: integer"
    if ann is float:
        return "12", "must be a number, not a string; allowed: number"
    if ann is date:
        return "2026-02-30", "not a valid date"
    if ann is str:
        return 12, "must be text (a JSON string), not a number"
    if get_origin(ann) is Literal:
        return "zz-not-a-choice", "not an allowed value; allowed: " + " | ".join(map(str, get_args(ann)))
    if get_origin(ann) is list:
        return "radiograph", "must be a list […], not a string"
    raise AssertionError(f"no wrong value for {ann}")


WRONG_TYPE_CASES = [(loc, *_wrong_type_value(ann)) for loc, _, ann in leaf_fields()]


@pytest.mark.parametrize(("loc", "value", "expected"), WRONG_TYPE_CASES,
                         ids=[format_path(c[0]) for c in WRONG_TYPE_CASES])
def test_every_field_rejects_a_wrong_type_naming_path_and_value(loc: tuple, value: Any, expected: str) -> None:
    found = problems_for(with_value(loc, value))
    assert len(found) == 1, found
    assert found[0].startswith(f"{format_path(loc)}: {json.dumps(value)} — "), found
    assert expected in found[0]


def test_the_contract_examples_read_as_specified() -> None:
    data = with_value(("patient", "age_years"), 130)
    data["patient"]["sex"] = "x"
    data["patient"]["foo"] = 1
    data["fractures"][0]["new"] = "true"
    assert problems_for(data) == [
        "patient.age_years: 130 — must be at most 120; allowed: integer 0–120 years",
        'patient.sex: "x" — not an allowed value; allowed: female | male',
        "patient.foo: unknown key; allowed keys: " + ", ".join(Case.model_fields["patient"].annotation.model_fields),
        'fractures[0].new: "true" — must be true or false (JSON boolean), not a string',
    ]


def test_missing_required_fields_are_named() -> None:
    data = copy.deepcopy(DEMO)
    del data["patient"]["sex"], data["fractures"][0]["level"]
    assert problems_for(data) == [
        "patient.sex: missing — a value is required; allowed: female | male",
        "fractures[0].level: missing — a value is required; allowed: " + " | ".join(
            f"{s}{i}" for s, n in (("T", 12), ("L", 5)) for i in range(1, n + 1)),
    ]


def test_model_level_problems_keep_their_own_path() -> None:
    data = copy.deepcopy(DEMO)
    data["fractures"].append(dict(data["fractures"][0]))
    data["injury"]["onset_date"] = "2026-12-01"
    with pytest.raises(ValidationError) as info:
        Case.model_validate_json(json.dumps(data))
    assert messages(info.value) == ["fractures[1].level: L2 is listed twice (first at fractures[0])"]
    del data["fractures"][1]
    with pytest.raises(ValidationError) as info:
        Case.model_validate_json(json.dumps(data))
    assert field_errors(info.value) == {"injury.onset_date": "2026-12-01 is after assessment_date 2026-11-24"}


def test_field_errors_map_each_path_to_its_message_without_the_path() -> None:
    data = with_value(("labs", "egfr"), 201)
    data["imaging"]["modalities"] = ["mri", "xray"]
    with pytest.raises(ValidationError) as info:
        Case.model_validate_json(json.dumps(data))
    assert field_errors(info.value) == {
        "imaging.modalities[1]":
            '"xray" — not an allowed value; allowed: radiograph | ct | mri | bone_scan | spect_ct',
        "labs.egfr": "201 — must be at most 200; allowed: number 0–200 mL/min/1.73 m²",
    }


@pytest.mark.parametrize(("path", "allowed"), [
    ("patient.age_years", "integer 0–120 years"),
    ("patient.sex", "female | male"),
    ("fractures[0].height_loss_pct", "number 0–100 %"),
    ("fractures[16].new", "true | false (JSON boolean)"),
    ("bone_health.t_score", "number -7 to 4 SD"),
    ("symptoms.pain_nrs", "integer 0–10"),
    ("injury.onset_date", "date YYYY-MM-DD"),
    ("case_id", "text of at most 64 characters"),
    ("fractures", "list of 1–17 fracture objects"),
    ("imaging.modalities", "list of radiograph | ct | mri | bone_scan | spect_ct"),
    ("patient.nonsense", ""),
    ("patient.age_years.deeper", ""),
])
def test_describe_allowed(path: str, allowed: str) -> None:
    assert describe_allowed(path) == allowed


def test_allowed_ranges_follow_the_model_not_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotated_types import Le

    info = Case.model_fields["patient"].annotation.model_fields["age_years"]
    monkeypatch.setattr(info, "metadata", [m if not isinstance(m, Le) else Le(99) for m in info.metadata])
    assert describe_allowed("patient.age_years") == "integer 0–99 years"


def test_long_values_are_shortened_and_nan_is_named() -> None:
    data = with_value(("case_id",), "x" * 500)
    data["labs"]["egfr"] = float("nan")
    found = problems_for(data)
    assert found[0].startswith('case_id: "xxx') and "…" in found[0] and len(found[0]) < 200
    assert "too long (500 characters), must be at most 64" in found[0]
    assert found[1] == "labs.egfr: NaN — must be a finite number (NaN and Infinity are not numbers in a case file)"
