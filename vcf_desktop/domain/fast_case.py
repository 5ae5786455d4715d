"""Case files checked without pydantic: a case that is certainly valid becomes plain records, anything else None.

`fast_case` takes the JSON object that `casefile.loads_case` has parsed and pre-checked. It is driven by the
shipped case schema, which is generated from the models (types, enums, ranges, lengths, required keys and
field order), and codes here what no schema expresses: the models' own validators, listed in
`FIELD_VALIDATORS` and `MODEL_VALIDATORS` (a test fails when the models gain one that is not listed). It
accepts only a certainly valid subset (text in printable ASCII, no plan_record); for anything else it
returns None and pydantic gives the verdict and the messages. tests/test_fast_case_parity.py proves that
its records hold the values the models would.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from datetime import date
from typing import Any

from vcf_desktop.domain.case_schema import case_schema
from vcf_desktop.domain.record import Record

#: The models' field validators that the schema cannot express: (schema definition, field) -> validator.
FIELD_VALIDATORS: dict[tuple[str, str], str] = {
    ("Case", "case_id"): "_visible_text",
    ("Case", "assessment_date"): "_in_date_range",
    ("Injury", "onset_date"): "_in_date_range",
    ("Imaging", "modalities"): "_unique",
    ("PriorTherapy", "ended"): "_in_date_range",
    ("BoneHealth", "last_denosumab_dose_date"): "_in_date_range",
}
#: The models' model validators ("Model.method"); `_consistent` below codes the one there is.
MODEL_VALIDATORS: tuple[str, ...] = ("Case._consistent",)
#: Fields left to pydantic whenever they hold more than null (the engine never reads them).
DECLINED: frozenset[tuple[str, str]] = frozenset({("Case", "plan_record")})
#: `_in_date_range`'s limits (case.EARLIEST_DATE, case.LATEST_DATE; a test checks they agree).
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)

_NOT_CHECKS = frozenset({"type", "title", "description", "default", "unit", "bulk_no"})  # keywords that check nothing
_NULL = {"type": "null"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Check = Callable[[Any], Any]


class _Uncertain(Exception):
    """The value is not certainly valid: pydantic decides."""


class CaseRecord(Record):
    """A case that `fast_case` found certainly valid: the values `Case` would hold, as plain records."""

    @property
    def index(self) -> Record:
        """The index fracture this plan is about."""
        return self.fractures[0]


def fast_case(obj: dict[str, Any]) -> CaseRecord | None:
    """The case as plain records when it is certainly valid, else None (hand it to pydantic)."""
    try:
        case = _model("Case")(obj)
        _consistent(case)
    except _Uncertain:
        return None
    return case


def _consistent(case: Any) -> None:
    """`Case._consistent`: distinct levels, weeks only when pregnant, no date after the assessment or too early."""
    levels = [fracture.level for fracture in case.fractures]
    if len(set(levels)) < len(levels):
        raise _Uncertain
    if case.history.pregnancy_weeks is not None and case.history.pregnant is not True:
        raise _Uncertain
    today = case.assessment_date
    if today is not None:
        onset = case.injury.onset_date
        for when in (onset, case.bone_health.last_denosumab_dose_date):
            if when is not None and when > today:
                raise _Uncertain
        if onset is not None and (today - onset).days > _onset_days_most():
            raise _Uncertain


@functools.cache
def _onset_days_most() -> int:
    """The largest injury.days_since_onset, which also limits how long before the assessment the onset can be."""
    return _branch(_definition("Injury")["properties"]["days_since_onset"])["maximum"]


def _definition(name: str) -> dict[str, Any]:
    schema = case_schema()
    return schema if name == schema["title"] else schema["$defs"][name]


def _branch(prop: dict[str, Any]) -> dict[str, Any]:
    """A property's one non-null alternative (the property itself when it has no alternatives)."""
    options = [option for option in prop.get("anyOf", [prop]) if option != _NULL]
    if len(options) != 1:
        raise _Uncertain
    return options[0]


@functools.cache
def _model(name: str) -> Check:
    """The check of one schema definition: a JSON object becomes a record with every field in order."""
    spec = _definition(name)
    if spec.get("type") != "object" or spec.get("additionalProperties") is not False:
        return _never
    known, required = frozenset(spec["properties"]), frozenset(spec.get("required", ()))
    fields = [(key, *_field(name, key, prop), _never if key in required else _absent(prop))
              for key, prop in spec["properties"].items()]
    make = CaseRecord if name == "Case" else Record

    def check(value: Any) -> Record:
        if not isinstance(value, dict) or not value.keys() <= known or not required <= value.keys():
            raise _Uncertain
        out = {}
        for key, field, nullable, absent in fields:
            if key in value:
                item = value[key]
                out[key] = None if item is None and nullable else field(item)
            else:
                out[key] = absent()
        return make(**out)

    return check


def _absent(prop: dict[str, Any]) -> Callable[[], Any]:
    """What an omitted optional field holds: its null default, or a section built from nothing."""
    if "default" in prop:
        return (lambda: None) if prop["default"] is None else _never
    if "$ref" in prop:
        section = _model(_ref(prop))
        return lambda: section({})
    return _never


def _field(model: str, key: str, prop: dict[str, Any]) -> tuple[Check, bool]:
    """A field's check (its schema, then the model's own validator, on the non-null alternative) and whether
    it may be null."""
    nullable = _NULL in prop.get("anyOf", ())
    if (model, key) in DECLINED:
        return _never, nullable
    try:
        check = _value(_branch(prop))
    except _Uncertain:
        return _never, nullable
    validator = FIELD_VALIDATORS.get((model, key))
    if validator:
        check = _then(check, _VALIDATORS[validator])
    return check, nullable


def _value(spec: dict[str, Any]) -> Check:
    """The check of one schema alternative; anything this module does not know is never certain."""
    kind = spec.get("type")
    keywords = spec.keys() - _NOT_CHECKS
    if "$ref" in spec and keywords == {"$ref"} and kind is None:
        return _model(_ref(spec))
    if kind == "string" and keywords <= {"enum", "const", "format", "maxLength"}:
        return _string(spec)
    if kind in ("integer", "number") and keywords <= {"enum", "minimum", "maximum"}:
        return _number(spec)
    if kind == "boolean" and not keywords:
        return _boolean
    if kind == "array" and keywords <= {"items", "minItems", "maxItems"} and "items" in spec:
        return _array(spec)
    return _never


def _ref(spec: dict[str, Any]) -> str:
    return spec["$ref"].removeprefix("#/$defs/")


def _string(spec: dict[str, Any]) -> Check:
    longest = spec.get("maxLength", math.inf)
    if "const" in spec or "enum" in spec:
        allowed = frozenset(spec["enum"] if "enum" in spec else [spec["const"]])
        check = _member(allowed, str)
    elif "format" in spec:
        check = _date if spec["format"] == "date" else _never
    else:
        check = _printable

    def within(value: Any) -> Any:
        value = check(value)
        if len(value) > longest:
            raise _Uncertain
        return value

    return within if "maxLength" in spec else check


def _number(spec: dict[str, Any]) -> Check:
    if "enum" in spec:
        return _member(frozenset(spec["enum"]), int) if spec["type"] == "integer" else _never
    low, high = spec.get("minimum", -math.inf), spec.get("maximum", math.inf)
    is_float = spec["type"] == "number"

    def check(value: Any) -> Any:
        kind = type(value)
        if kind is not int and not (is_float and kind is float):
            raise _Uncertain
        if is_float:
            value = float(value)  # a JSON integer in a float field becomes a float, as pydantic's strict mode
            if not math.isfinite(value):
                raise _Uncertain
        if not low <= value <= high:
            raise _Uncertain
        return value

    return check


def _array(spec: dict[str, Any]) -> Check:
    item = _value(spec["items"])
    fewest, most = spec.get("minItems", 0), spec.get("maxItems", math.inf)

    def check(value: Any) -> list[Any]:
        if type(value) is not list or not fewest <= len(value) <= most:
            raise _Uncertain
        return [item(entry) for entry in value]

    return check


def _member(allowed: frozenset[Any], kind: type) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not kind or value not in allowed:
            raise _Uncertain
        return value

    return check


def _then(first: Check, second: Check) -> Check:
    return lambda value: second(first(value))


def _never(*_: Any) -> Any:
    raise _Uncertain


def _boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise _Uncertain
    return value


def _printable(value: Any) -> str:
    """Text of printable ASCII only (0x20-0x7E): `_visible_text` accepts every such string."""
    if type(value) is not str or not value.isascii() or not value.isprintable():
        raise _Uncertain
    return value


def _date(value: Any) -> date:
    """A date written exactly YYYY-MM-DD, as pydantic reads dates from JSON."""
    if type(value) is not str or not _DATE.fullmatch(value):
        raise _Uncertain
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Uncertain from None


def _in_date_range(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise _Uncertain
    return value


def _unique(items: list[Any]) -> list[Any]:
    for i, item in enumerate(items):
        if item in items[:i]:
            raise _Uncertain
    return items


#: The code of each validator named in FIELD_VALIDATORS.
_VALIDATORS: dict[str, Check] = {"_in_date_range": _in_date_range, "_visible_text": _printable, "_unique": _unique}
