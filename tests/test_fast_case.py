"""The fast case check: no pydantic on its path, and it knows every validator of the models it stands in for.

A validator the schema cannot express must be coded in `domain/fast_case.py` and listed there; the guard
below fails while the models have one that is not listed (so the fast path cannot silently accept what
the models refuse). Parity with the models on generated cases: tests/test_fast_case_parity.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import pytest
from pydantic import AfterValidator, BaseModel, BeforeValidator, PlainValidator, WrapValidator, model_validator

from vcf_desktop.domain import case as models
from vcf_desktop.domain import casefile, fast_case
from vcf_desktop.domain.case import Case
from vcf_desktop.domain.case_schema import case_schema
from vcf_desktop.domain.casefile import CaseFileError, loads_case, read_case
from vcf_desktop.domain.fast_case import CaseRecord
from vcf_desktop.domain.record import Record

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "cases" / "typical-l2-wedge.vcfcase.json"
_FUNCTION_VALIDATORS = (AfterValidator, BeforeValidator, PlainValidator, WrapValidator)


def _annotation_parts(annotation: Any) -> tuple[list[Any], list[type[BaseModel]]]:
    """The metadata (Annotated extras) and the model classes anywhere inside a type annotation."""
    metadata: list[Any] = []
    nested: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        nested.append(annotation)
    if get_origin(annotation) is Annotated:
        metadata += annotation.__metadata__
    for arg in get_args(annotation):
        more, inner = _annotation_parts(arg)
        metadata += more
        nested += inner
    return metadata, nested


def validators(root: type[BaseModel], declined: frozenset[tuple[str, str]] = frozenset()
               ) -> tuple[set[tuple[str, str, str]], set[str]]:
    """Every field validator (model, field, function name) and model validator ("Model.method") of `root` and
    the models inside it, leaving out the fields in `declined` (never taken by the fast path)."""
    fields: set[tuple[str, str, str]] = set()
    model_level: set[str] = set()
    todo, seen = [root], set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        decorators = model.__pydantic_decorators__
        model_level |= {f"{model.__name__}.{name}"
                        for name in (*decorators.model_validators, *decorators.root_validators)}
        for name, decorator in (*decorators.field_validators.items(), *decorators.validators.items()):
            fields |= {(model.__name__, field, name) for field in decorator.info.fields}
        for name, info in model.model_fields.items():
            if (model.__name__, name) in declined:
                continue
            metadata, nested = _annotation_parts(info.annotation)
            for item in [*info.metadata, *metadata]:
                if isinstance(item, _FUNCTION_VALIDATORS):
                    fields.add((model.__name__, name, item.func.__name__))
                elif type(item).__name__ == "Predicate":  # annotated_types.Predicate: not in any JSON Schema
                    fields.add((model.__name__, name, repr(item)))
            todo += nested
    return fields, model_level


def test_every_validator_of_the_models_is_known_to_the_fast_check() -> None:
    fields, model_level = validators(Case, fast_case.DECLINED)
    listed = {(model, field, name) for (model, field), name in fast_case.FIELD_VALIDATORS.items()}
    assert fields == listed, ("domain/fast_case.py does not code the models' validators "
                              f"{sorted(fields - listed)} (or lists ones gone: {sorted(listed - fields)})")
    assert model_level == set(fast_case.MODEL_VALIDATORS)


def test_the_guard_finds_a_new_validator() -> None:
    class Part(BaseModel):
        n: Annotated[int, AfterValidator(abs)] | None = None

    class Whole(BaseModel):
        parts: list[Part]

        @model_validator(mode="after")
        def _check(self) -> Whole:
            return self

    assert validators(Whole) == ({("Part", "n", "abs")}, {"Whole._check"})


def test_the_schema_keeps_every_models_field_order() -> None:
    schema = case_schema()
    todo, seen = [Case], set()
    while todo:
        model = todo.pop()
        seen.add(model)
        spec = schema if model is Case else schema["$defs"][model.__name__]
        assert list(spec["properties"]) == list(model.model_fields), model.__name__
        todo += [m for info in model.model_fields.values() for m in _annotation_parts(info.annotation)[1]
                 if m not in seen]
    assert len(seen) == len(schema["$defs"]) + 1


def test_constants_read_without_pydantic_are_the_models() -> None:
    assert casefile._FORMAT == get_args(Case.model_fields["format"].annotation)[0]
    assert casefile._VERSIONS == get_args(Case.model_fields["format_version"].annotation)
    assert (fast_case.EARLIEST_DATE, fast_case.LATEST_DATE) == (models.EARLIEST_DATE, models.LATEST_DATE)


def test_the_fast_path_imports_no_pydantic() -> None:
    code = ("import sys\nfrom vcf_desktop.domain.casefile import read_case\n"
            f"case = read_case({str(DEMO)!r}, plain=True)\n"
            "print(type(case).__name__, case.index.level, sorted(m for m in sys.modules if 'pydantic' in m))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          check=False)
    assert done.stdout.split() == ["CaseRecord", "L2", "[]"], done.stderr


def test_the_demo_case_is_taken_fast_with_the_models_values() -> None:
    record, model = read_case(DEMO, plain=True), read_case(DEMO)
    assert isinstance(record, CaseRecord) and isinstance(model, Case)
    assert _dicts(record) == model.model_dump()
    assert record.index == record.fractures[0] and record.patient.weight_kg == 61.0
    assert type(record.patient.weight_kg) is float and type(record.patient.age_years) is int


def _dicts(value: Any) -> Any:
    if isinstance(value, Record):
        return {key: _dicts(item) for key, item in value}
    return [_dicts(item) for item in value] if isinstance(value, list) else value


DEMO_OBJECT = json.loads(DEMO.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "fast"), [
    ({}, True),
    ({"plan_record": None}, True),
    ({"case_id": "Zoë"}, False),  # valid, but not printable ASCII: left to the models
    ({"plan_record": {"protocol": {"id": "x", "version": "1", "sha256": "0" * 64}, "generated_at":
      "2026-11-24T10:00:00Z", "stability": "stable", "pathway": "conservative", "osteoporosis_status": "treat"}},
     False),
])
def test_what_the_fast_check_leaves_to_the_models_is_still_read(change: dict[str, Any], fast: bool) -> None:
    case = loads_case(json.dumps({**DEMO_OBJECT, **change}), plain=True)
    assert isinstance(case, CaseRecord) is fast and isinstance(case, Case) is not fast


def test_a_refusal_reads_the_same_with_or_without_the_fast_check() -> None:
    text = json.dumps({**DEMO_OBJECT, "format_version": 2, "history": {"pregnancy_weeks": 12}})
    with pytest.raises(CaseFileError) as slow:
        loads_case(text)
    with pytest.raises(CaseFileError) as fast:
        loads_case(text, plain=True)
    assert fast.value.messages == slow.value.messages
    assert "history.pregnant is not true" in slow.value.messages[0]


def test_unusual_python_types_are_never_taken() -> None:
    assert fast_case.fast_case({**DEMO_OBJECT, "case_id": type("Text", (str,), {})("x")}) is None
    assert fast_case.fast_case({**DEMO_OBJECT, "format_version": True}) is None
    assert fast_case.fast_case({**DEMO_OBJECT, "labs": {"egfr": float("nan")}}) is None

