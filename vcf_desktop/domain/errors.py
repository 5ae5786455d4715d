"""Readable messages for a rejected case: one line per problem, naming the field, the value and what is allowed.

A message reads `path: value — what is wrong; allowed: <range>`, the path in the contract's notation
(`fractures[0].height_loss_pct`). Ranges, choices, types and units are read from the model's fields, so
they can never disagree with what the model accepts.
"""

from __future__ import annotations

import json
import math
import re
import types
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from vcf_desktop.domain.case import Case

_VALUE_WIDTH = 60
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_PATH_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input; `path` is empty for a problem of the whole case."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def visible(text: str) -> str:
    """`text` with control, format (bidi), separator and unassigned characters written as \\uXXXX: a message
    that quotes input can then neither break lines, send escape codes, nor reorder what is shown."""
    return "".join(f"\\u{ord(ch):04X}" if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def format_path(loc: tuple[int | str, ...]) -> str:
    """`("fractures", 0, "new")` -> `fractures[0].new` (unknown keys made visible)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{visible(str(part))}" if out else visible(str(part)))
    return out


def format_value(value: Any) -> str:
    """The offending value as it looks in JSON, shortened."""
    if isinstance(value, dict):
        return "{…}" if value else "{}"
    if isinstance(value, list):
        return "[…]" if value else "[]"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    try:
        text = json.dumps(value[: _VALUE_WIDTH * 2] if isinstance(value, str) else value, ensure_ascii=False,
                          default=str)
    except ValueError:  # an integer too long to convert
        text = "(a number too long to show)"
    text = visible(text[: _VALUE_WIDTH * 2])
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def unwrap_optional(annotation: Any) -> Any:
    """`X | None` -> `X`; `Annotated[X, ...]` -> `X`."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation = args[0]
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def _resolve(path: str, model: type[BaseModel] = Case) -> tuple[FieldInfo | None, Any]:
    """The field (or None for a list item / the root) and the type at a contract path."""
    annotation: Any = model
    field: FieldInfo | None = None
    for name, index in _PATH_TOKEN.findall(path):
        annotation = unwrap_optional(annotation)
        if index:
            if get_origin(annotation) is not list:
                raise KeyError(path)
            annotation, field = get_args(annotation)[0], None
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel) and name in annotation.model_fields:
            field = annotation.model_fields[name]
            annotation = field.annotation
        else:
            raise KeyError(path)
    return field, unwrap_optional(annotation)


def _constraint(field: FieldInfo | None, name: str) -> Any:
    for meta in field.metadata if field else ():
        value = getattr(meta, name, None)
        if value is not None:
            return value
    return None


def _num(x: float) -> str:
    return f"{x:g}"


def _range(field: FieldInfo | None) -> str:
    lo, hi = _constraint(field, "ge"), _constraint(field, "le")
    if lo is not None and hi is not None:
        return f"{_num(lo)} to {_num(hi)}" if lo < 0 or hi < 0 else f"{_num(lo)}–{_num(hi)}"
    bounds = [(symbol, _constraint(field, name)) for symbol, name in
              (("≥", "ge"), (">", "gt"), ("≤", "le"), ("<", "lt"))]
    return " and ".join(f"{symbol} {_num(value)}" for symbol, value in bounds if value is not None)


def _unit(field: FieldInfo | None) -> str:
    extra = field.json_schema_extra if field else None
    return extra.get("unit", "") if isinstance(extra, dict) else ""


def _describe(field: FieldInfo | None, annotation: Any) -> str:
    if get_origin(annotation) is Literal:
        return " | ".join(str(a) for a in get_args(annotation))
    if get_origin(annotation) is list:
        item = get_args(annotation)[0]
        lo, hi = _constraint(field, "min_length"), _constraint(field, "max_length")
        count = f"{lo}–{hi} " if lo is not None and hi is not None else ""
        if isinstance(item, type) and issubclass(item, BaseModel):
            return f"list of {count}{item.__name__.lower()} objects"
        return f"list of {count}{_describe(None, item)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object with keys: " + ", ".join(annotation.model_fields)
    if annotation is bool:
        return "true | false (JSON boolean)"
    if annotation is date:
        return "date YYYY-MM-DD"
    if annotation is str:
        limit = _constraint(field, "max_length")
        return f"text of at most {limit} characters" if limit is not None else "text"
    kind = {int: "integer", float: "number"}.get(annotation, getattr(annotation, "__name__", str(annotation)))
    rng, unit = _range(field), _unit(field)
    if unit and unit in rng:
        unit = ""
    return " ".join(part for part in (kind, rng, unit) if part)


def describe_allowed(path: str, model: type[BaseModel] = Case) -> str:
    """What a field accepts, e.g. `integer 0–120 years` for `patient.age_years`; "" for an unknown path."""
    try:
        field, annotation = _resolve(path, model)
    except KeyError:
        return ""
    return _describe(field, annotation)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    return "an object" if isinstance(value, dict) else "a list"


def _not(value: Any, expected: str) -> str:
    return f"must be {expected}, not {_kind_of(value)}"


def _what(error: dict[str, Any]) -> str:
    """What is wrong, in words, from one pydantic error."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    simple = {
        "less_than_equal": lambda: f"must be at most {_num(ctx['le'])}",
        "less_than": lambda: f"must be less than {_num(ctx['lt'])}",
        "greater_than_equal": lambda: f"must be at least {_num(ctx['ge'])}",
        "greater_than": lambda: f"must be more than {_num(ctx['gt'])}",
        "literal_error": lambda: "not an allowed value",
        "missing": lambda: "a value is required",
        "bool_type": lambda: _not(value, "true or false (JSON boolean)"),
        "int_type": lambda: ("must be a whole number" if isinstance(value, float) and not isinstance(value, bool)
                             else _not(value, "a whole number")),
        "float_type": lambda: _not(value, "a number"),
        "finite_number": lambda: "must be a finite number (NaN and Infinity are not numbers in a case file)",
        "string_type": lambda: _not(value, "text (a JSON string)"),
        "string_too_long": lambda: f"too long ({len(value)} characters), must be at most {ctx['max_length']}",
        "model_type": lambda: _not(value, "an object {…}")
        + ("; to leave the whole section not recorded, leave the key out" if value is None else ""),
        "list_type": lambda: _not(value, "a list […]"),
        "too_short": lambda: f"must list at least {ctx['min_length']}",
        "too_long": lambda: (f"too long ({len(value)} characters), must be at most {ctx['max_length']}"
                             if isinstance(value, str) else f"must list at most {ctx['max_length']}"),
        "json_invalid": lambda: f"not valid JSON ({ctx.get('error', 'unreadable')})",
    }
    if kind in simple:
        return simple[kind]()
    if kind.startswith("date"):
        reason = ctx.get("error")
        if not isinstance(value, str):
            return _not(value, "a date")
        return f"not a valid date ({reason})" if reason else "not a valid date"
    return error["msg"][:1].lower() + error["msg"][1:]


_SELF_EXPLANATORY = {"bool_type", "json_invalid", "finite_number"}


def problem(error: dict[str, Any], model: type[BaseModel] = Case) -> Problem:
    """One pydantic error as a Problem."""
    loc = tuple(error["loc"])
    path = format_path(loc)
    if error["type"] == "extra_forbidden":
        parent = format_path(loc[:-1])
        try:
            _, owner = _resolve(parent, model)
            keys = ", ".join(owner.model_fields)
        except (KeyError, AttributeError):
            keys = ""
        return Problem(path, "unknown key" + (f"; allowed keys: {keys}" if keys else ""))
    if not loc and error["type"] == "json_invalid":
        return Problem("", _what(error))
    if not loc and ": " in error["msg"]:
        # Model-level checks (duplicate level, date order) name their own path in the message.
        head, tail = error["msg"].split(": ", 1)
        return Problem(head, tail)
    what = _what(error)
    shown = "missing" if error["type"] == "missing" else format_value(error.get("input"))
    head = f"{shown} — {what}"
    allowed = "" if error["type"] in _SELF_EXPLANATORY else describe_allowed(path, model)
    return Problem(path, head + (f"; allowed: {allowed}" if allowed else ""))


def problems(exc: ValidationError, model: type[BaseModel] = Case) -> list[Problem]:
    """Every problem of a validation error, in the order of the fields."""
    return [problem(e, model) for e in exc.errors(include_url=False)]


def messages(exc: ValidationError, model: type[BaseModel] = Case) -> list[str]:
    """One readable line per problem: `path: value — what is wrong; allowed: …`."""
    return [str(p) for p in problems(exc, model)]


def field_errors(exc: ValidationError, model: type[BaseModel] = Case) -> dict[str, str]:
    """Contract path -> message without the path (for inline messages beside the field); "" is the whole case."""
    out: dict[str, str] = {}
    for p in problems(exc, model):
        out[p.path] = f"{out[p.path]}; {p.message}" if p.path in out else p.message
    return out
