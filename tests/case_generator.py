"""Random case files made from the shipped case schema (the models' contract), for parity tests.

`valid_cases` makes cases the models accept: every field of every section, values at, near and between
each range limit, every enum value, omitted and null optionals, ASCII and Unicode case ids, dates at the
range limits, several fractures, earlier drugs, now and then a plan record. The models' own validators
(distinct levels, weeks only when pregnant, dates not after the assessment) are respected here by hand.
`mutated_cases` breaks such cases in one or two ways each, as dicts or, for what a dict cannot hold
(repeated keys, a BOM, huge integers, NaN), as JSON text. Both are deterministic for a seed.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
import string
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from vcf_desktop.domain.case import EARLIEST_DATE, LATEST_DATE
from vcf_desktop.domain.case_schema import case_schema

Spec = dict[str, Any]
_SCHEMA = case_schema()
_VISIBLE_UNICODE = "éüßÆøΩπжЖ中文한국어١٢٣ ·–€™"
_SHA256 = "^[0-9a-f]{64}$"


def valid_cases(n: int, seed: int) -> list[dict[str, Any]]:
    """`n` cases the models accept (deterministic for a seed)."""
    rng = random.Random(seed)
    return [_valid_case(rng) for _ in range(n)]


def mutated_cases(n: int, seed: int) -> list[str | dict[str, Any]]:
    """`n` cases each broken in one or two ways (most invalid; a few mutations keep a case valid)."""
    rng = random.Random(seed)
    bases = [_valid_case(rng) for _ in range(max(1, n // 8))]  # each broken in about 8 ways
    out: list[str | dict[str, Any]] = []
    for _ in range(n):
        case: str | dict[str, Any] = dict(_one(rng, bases))  # mutations copy what they change (see _own)
        for _ in range(rng.choice((1, 1, 1, 2))):
            case = rng.choice(_MUTATIONS)(rng, case) if isinstance(case, dict) else case
        out.append(case)
    return out


# --- valid cases -------------------------------------------------------------------------------------------

def _definition(ref_or_name: str) -> Spec:
    name = ref_or_name.removeprefix("#/$defs/")
    return _SCHEMA if name == _SCHEMA["title"] else _SCHEMA["$defs"][name]


def _branch(prop: Spec) -> tuple[Spec, bool]:
    """A property's non-null alternative and whether null is allowed."""
    options = prop.get("anyOf", [prop])
    return next(o for o in options if o != {"type": "null"}), {"type": "null"} in options


@functools.cache
def _fields(name: str) -> tuple[tuple[str, Spec, bool, bool], ...]:
    """A definition's fields: (key, non-null alternative, nullable, required)."""
    spec = _definition(name)
    required = set(spec.get("required", ()))
    return tuple((key, *_branch(prop), key in required) for key, prop in spec["properties"].items())


def _valid_case(rng: random.Random) -> dict[str, Any]:
    case = _object(rng, _SCHEMA["title"], plan_record=rng.random() < 0.03)
    _make_consistent(rng, case)
    return case


def _object(rng: random.Random, name: str, *, plan_record: bool = False) -> dict[str, Any]:
    keep = _one(rng, (0.5, 0.8, 0.95, 1.0))  # how full this section is
    out: dict[str, Any] = {}
    for key, branch, nullable, required in _fields(name):
        if key == "plan_record" and not plan_record:
            if rng.random() < 0.1:
                out[key] = None
        elif required or rng.random() < keep:
            out[key] = None if nullable and rng.random() < 0.05 else _value(rng, branch)
    if rng.random() < 0.2:  # key order never matters
        items = list(out.items())
        rng.shuffle(items)
        out = dict(items)
    return out


def _one(rng: random.Random, options: Sequence[Any]) -> Any:
    """rng.choice, faster (the generator makes some 150 choices a case)."""
    return options[int(rng.random() * len(options))]


def _between(rng: random.Random, low: int, high: int) -> int:
    """rng.randint, faster."""
    return low + int(rng.random() * (high - low + 1))


def _value(rng: random.Random, spec: Spec) -> Any:
    if "$ref" in spec:
        return _object(rng, spec["$ref"].removeprefix("#/$defs/"))
    kind = spec["type"]
    if "const" in spec:
        return spec["const"]
    if "enum" in spec:
        return _one(rng, spec["enum"])
    if kind == "boolean":
        return rng.random() < 0.5
    if kind in ("integer", "number"):
        return _number(rng, spec)
    if kind == "string":
        return _string(rng, spec)
    if kind == "array":
        return _array(rng, spec)
    raise NotImplementedError(f"the generator does not know {spec} yet: teach it (the contract changed)")


def _number(rng: random.Random, spec: Spec) -> int | float:
    low, high = spec["minimum"], spec["maximum"]
    if spec["type"] == "integer":
        return _one(rng, (low, low + 1, high - 1, high)) if rng.random() < 0.3 else _between(rng, low, high)
    pick = rng.random()
    if pick < 0.15:
        return _one(rng, (low, high, float(low), float(high)))
    if pick < 0.25:
        return _one(rng, (math.nextafter(low, math.inf), math.nextafter(high, -math.inf), -0.0 if low == 0 else low))
    if pick < 0.45:
        return _between(rng, math.ceil(low), math.floor(high))  # a JSON integer in a float field
    return round(rng.uniform(low, high), _one(rng, (0, 1, 2, 3, 17)))


def _string(rng: random.Random, spec: Spec) -> str:
    fmt = spec.get("format")
    if fmt == "date":
        return _date(rng).isoformat()
    if fmt == "date-time":
        zone = rng.choice(("Z", "+00:00", "+01:00", "-05:30"))
        return f"{_date(rng).isoformat()}T{rng.randint(0, 23):02}:{rng.randint(0, 59):02}:{rng.randint(0, 59):02}{zone}"
    if spec.get("pattern") == _SHA256:
        return "".join(rng.choices("0123456789abcdef", k=64))
    if fmt or "pattern" in spec:
        raise NotImplementedError(f"the generator does not know {spec} yet: teach it (the contract changed)")
    longest = spec.get("maxLength", 80)
    size = rng.choice((0, 1, longest, rng.randint(1, longest), rng.randint(1, 20)))
    alphabet = _VISIBLE_UNICODE + string.ascii_letters if rng.random() < 0.05 else _PRINTABLE
    return "".join(rng.choices(alphabet, k=size))


_PRINTABLE = "".join(map(chr, range(0x20, 0x7F)))


def _as_date(value: Any) -> date | None:
    """The date a value writes when it is one in the case-file range."""
    try:
        when = date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return when if EARLIEST_DATE <= when <= LATEST_DATE else None


def _date(rng: random.Random, low: date = EARLIEST_DATE, high: date = LATEST_DATE) -> date:
    pick = rng.random()
    if pick < 0.1:
        return rng.choice((low, high))
    recent = max(low, date(2015, 1, 1)), min(high, date(2027, 12, 31))
    if pick < 0.6 and recent[0] <= recent[1]:
        low, high = recent
    return low + timedelta(days=_between(rng, 0, (high - low).days))


def _array(rng: random.Random, spec: Spec) -> list[Any]:
    items, most = spec["items"], spec.get("maxItems", 20)
    size = rng.choice((spec.get("minItems", 0), 1, 2, 3, rng.randint(1, most), most))
    if "enum" in items:  # lists of choices are unique (the models' `_unique`)
        return rng.sample(items["enum"], min(size, len(items["enum"])))
    return [_value(rng, items) for _ in range(size)]


def _make_consistent(rng: random.Random, case: dict[str, Any]) -> None:
    """What `Case._consistent` asks: distinct levels, weeks only when pregnant, no date after the assessment
    and the onset at most the largest days_since_onset before it."""
    levels = _branch(_definition("Fracture")["properties"]["level"])[0]["enum"]
    for fracture, level in zip(case["fractures"], rng.sample(levels, len(case["fractures"])), strict=False):
        fracture["level"] = level
    history = case.get("history", {})
    if history.get("pregnancy_weeks") is not None:
        history["pregnant"] = True
    today = case.get("assessment_date")
    if today is None:
        return
    today = date.fromisoformat(today)
    most = _branch(_definition("Injury")["properties"]["days_since_onset"])[0]["maximum"]
    for section, key, earliest in (("injury", "onset_date", today - timedelta(days=most)),
                                   ("bone_health", "last_denosumab_dose_date", EARLIEST_DATE)):
        if case.get(section, {}).get(key) is not None:
            case[section][key] = _date(rng, max(earliest, EARLIEST_DATE), today).isoformat()


# --- mutations ---------------------------------------------------------------------------------------------

def _resolve(spec: Spec) -> Spec:
    return _definition(spec["$ref"]) if "$ref" in spec else spec


@functools.cache
def _resolved(name: str) -> dict[str, Spec]:
    """A definition's properties, each as its non-null alternative with a reference resolved."""
    return {key: _resolve(branch) for key, branch, _, _ in _fields(name)}


def _entries(node: Any, spec: Spec) -> list[tuple[Any, Spec]]:
    """The keys (or indexes) of a container the schema knows, with the schema of each value."""
    if type(node) is dict and "properties" in spec:
        props = _resolved(spec["title"])
        return [(key, props[key]) for key in node if key in props]
    if type(node) is list and "items" in spec:
        return [(i, _resolve(spec["items"])) for i in range(len(node))]
    return []


def _own(parent: Any, key: Any) -> Any:
    """`parent[key]`, a container copied first: mutated cases share their base's parts until they change them."""
    value = parent[key]
    if type(value) in (dict, list):
        value = parent[key] = type(value)(value)
    return value


def _pick(rng: random.Random, case: dict[str, Any], want: Callable[[Spec, Any], bool]) -> tuple[Any, Any, Spec] | None:
    """A random (container, key, schema) whose schema and value `want` accepts, found by walking down from the
    top (cheaper than listing every place); the containers on the way are copied (`_own`)."""
    for _ in range(40):
        node, spec = case, _SCHEMA
        while entries := _entries(node, spec):
            key, sub = rng.choice(entries)
            value = _own(node, key)
            if want(sub, value) and (type(value) not in (dict, list) or rng.random() < 0.5):
                return node, key, sub
            node, spec = value, sub
    return None


_OTHER_VALUES: tuple[Any, ...] = ("3", "", "true", "null", 0, 1, -1, 2.5, True, False, None, [], [1], {}, {"a": 1},
                                  "2026-01-01", "female", "L2", 1e308, -0.0)


def _wrong_type(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    slot = _pick(rng, case, lambda spec, value: True)
    if slot:
        parent, key, _ = slot
        parent[key] = rng.choice(_OTHER_VALUES)
    return case


def _swap_number_kind(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """Bool, int and float swapped: 3 -> 3.0, 2.5 -> 2, true -> 1, 1 -> true."""
    slot = _pick(rng, case, lambda spec, value: spec.get("type") in ("integer", "number", "boolean"))
    if slot:
        parent, key, _ = slot
        value = parent[key]
        if isinstance(value, bool):
            parent[key] = int(value)
        elif isinstance(value, int):
            parent[key] = rng.choice((float(value), bool(value % 2), str(value)))
        elif isinstance(value, float) and math.isfinite(value):
            parent[key] = rng.choice((int(value), math.floor(value), value + 0.5))
    return case


def _non_finite(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    slot = _pick(rng, case, lambda spec, value: spec.get("type") in ("integer", "number"))
    if slot:
        parent, key, _ = slot
        parent[key] = rng.choice((math.nan, math.inf, -math.inf))
    return case


def _out_of_range(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    slot = _pick(rng, case, lambda spec, value: "minimum" in spec or "maximum" in spec)
    if slot:
        parent, key, spec = slot
        low, high = spec.get("minimum", 0), spec.get("maximum", 0)
        options = [low - 1, high + 1, low - 1000, high * 10 + 1]
        if spec["type"] == "number":
            options += [math.nextafter(low, -math.inf), math.nextafter(high, math.inf), low - 0.001, high + 1e-9]
        parent[key] = rng.choice(options)
    return case


def _unknown_key(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    slot = _pick(rng, case, lambda spec, value: "properties" in spec and type(value) is dict)
    target = slot[0][slot[1]] if slot and rng.random() < 0.8 else case
    target[rng.choice(("extra", "notes", "Age_years", "level ", "x" * 40, "é"))] = rng.choice((1, "x", None, True))
    return case


def _missing_required(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    slot = _pick(rng, case, lambda spec, value: "required" in spec and type(value) is dict)
    inner = slot and rng.random() < 0.5
    target, required = (slot[0][slot[1]], slot[2]["required"]) if inner else (case, _SCHEMA["required"])
    target.pop(rng.choice(required), None)
    return case


def _duplicate_entry(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """A fracture level or an imaging modality listed twice, or a whole fracture or earlier drug repeated."""
    slot = _pick(rng, case, lambda spec, value: spec.get("type") == "array")
    entries = slot[0][slot[1]] if slot else None
    if isinstance(entries, list) and entries:
        entries.append(json.loads(json.dumps(rng.choice(entries))))
    fractures = _own(case, "fractures") if "fractures" in case else None
    if isinstance(fractures, list) and len(fractures) > 1 and all(isinstance(f, dict) for f in fractures):
        if rng.random() < 0.5 and "level" in fractures[0]:
            fractures[-1] = {**fractures[-1], "level": fractures[0]["level"]}
    return case


def _bad_text(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """case_id with control, bidi, zero-width or non-ASCII characters, or too long (or exactly at the limit)."""
    longest = _branch(_SCHEMA["properties"]["case_id"])[0]["maxLength"]
    bad = rng.choice(("\n", "\t", "\x00", "\x1b[31m", "\x7f", "\u202e", "\u2066", "\u200b", "\u200e", "\ufeff",
                      "\u2028", "\ud800", "\ue000", "é", "Ω", "\u0378"))
    base = case["case_id"] if isinstance(case.get("case_id"), str) else "case"
    case["case_id"] = rng.choice((base + bad, bad + base, "x" * (longest + 1), "x" * longest,
                                  "é" * longest, "é" * (longest + 1)))
    return case


def _bad_date(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    slot = _pick(rng, case, lambda spec, value: spec.get("format") == "date")
    parent, key = slot[:2] if slot else (case, "assessment_date")
    parent[key] = rng.choice(("2020-02-30", "2021-02-29", "2020-1-01", "20200101", "2020-01-01T00:00:00",
                              "2020-01-01Z", " 2020-01-01", "1899-12-31", "2101-01-01", "0000-01-01", "",
                              "2020-13-01", "2020-00-10", "2020/01/01", "２０２０-01-01", "9999-12-31", 20200101))
    return case


def _section(case: dict[str, Any], name: str) -> dict[str, Any]:
    """A section of the case to change (a new one where an earlier mutation broke or removed it)."""
    if not isinstance(case.get(name), dict):
        case[name] = {}
    return _own(case, name)


def _inconsistent(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """A date after the assessment, an onset too long before it, or weeks of pregnancy without pregnant."""
    history = _section(case, "history")
    pick = rng.random()
    if pick < 0.3:
        history["pregnancy_weeks"] = rng.randint(0, 42)
        history["pregnant"] = rng.choice((False, None))
        if history["pregnant"] is None and rng.random() < 0.5:
            del history["pregnant"]
        return case
    today = _as_date(case.get("assessment_date")) or date(2026, 11, 24)
    case["assessment_date"] = today.isoformat()
    most = _branch(_definition("Injury")["properties"]["days_since_onset"])[0]["maximum"]
    if pick < 0.5:
        when = today - timedelta(days=rng.choice((most + 1, most, most + 400)))
        section, key = "injury", "onset_date"
    else:
        when = today + timedelta(days=rng.choice((1, 0, 30)))
        section, key = rng.choice((("injury", "onset_date"), ("bone_health", "last_denosumab_dose_date")))
    if EARLIEST_DATE <= when <= LATEST_DATE:
        _section(case, section)[key] = when.isoformat()
    return case


def _bad_container(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """Lists empty or too long, sections null or of the wrong kind, a plan record broken or kept."""
    pick = rng.randrange(6)
    fractures = case.get("fractures") if isinstance(case.get("fractures"), list) else []
    if pick == 0:
        case["fractures"] = [] if rng.random() < 0.5 else (fractures or [{"level": "L1"}]) * 18
    elif pick == 1:
        _section(case, "bone_health")["prior_therapies"] = [{"agent": "denosumab"}] * rng.choice((20, 21))
    elif pick == 2:
        case[rng.choice(("injury", "imaging", "labs", "patient", "fractures"))] = rng.choice((None, [], "x", 1))
    elif pick == 3:
        case["plan_record"] = rng.choice(({}, {"protocol": None}, [], "x"))
    elif pick == 4:
        _section(case, "imaging")["modalities"] = rng.choice(("mri", ["MRI"], ["mri", "mri"], [None], []))
    else:
        case["fractures"] = fractures * 2
    return case


def _format_change(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    key = rng.choice(("format", "format_version"))
    value = rng.choice(("vcf-plan", "VCF-case", "", None) if key == "format" else (3, 0, "2", True, 2.0, None, -1))
    if rng.random() < 0.1:
        case.pop(key, None)
    else:
        case[key] = value
    return case


def _as_text(rng: random.Random, case: dict[str, Any]) -> str:
    """What only text can say: a repeated key, a BOM, NaN/Infinity, a huge integer, a float written long."""
    text = json.dumps(case, indent=rng.choice((None, 2)), ensure_ascii=rng.random() < 0.5)
    pick = rng.randrange(5)
    if pick == 0:
        key = rng.choice([k for k in case if k != "format"] or ["format"])
        return '{"' + key + '": ' + json.dumps(case.get(key)) + ", " + text.lstrip()[1:]
    if pick == 1:
        return "\ufeff" + text
    number = rng.choice(("NaN", "Infinity", "-Infinity", "1e400", "-1e-400", "9" * rng.choice((30, 31, 40)),
                         "-2.70000000000000017763568394002504646778106689453125", "1E1", "-0", "-0.0"))
    return re.sub(r'"(age_years|t_score|egfr|pain_nrs|months)": [-0-9.eE+]+', rf'"\1": {number}', text,
                  count=rng.choice((0, 1)))


_MUTATIONS: tuple[Callable[[random.Random, dict[str, Any]], str | dict[str, Any]], ...] = (
    _wrong_type, _wrong_type, _swap_number_kind, _swap_number_kind, _non_finite, _out_of_range, _out_of_range,
    _unknown_key, _missing_required, _duplicate_entry, _bad_text, _bad_date, _inconsistent, _inconsistent,
    _bad_container, _format_change, _as_text,
)
