"""The plan file's JSON written from the engine's plan data without pydantic, byte for byte as `Plan.to_json()`.

It is what Python's `json` writes with `indent=2, ensure_ascii=False` (the same string escapes as pydantic),
except where pydantic differs: a datetime in UTC ends in `Z`, and floats from 1e-5 to 1e-9 are spelt as
pydantic spells them (`0.00001` for `1e-05`, `1e-7` for `1e-07`). A plan holding a non-finite float, a naive
datetime or a value of another type is not written here: `dumps_plan` returns None and the caller asks the
model. tests/test_plan_parity.py proves the bytes equal on thousands of generated cases and on any float.
(Written by hand: `json.dumps(indent=2)` cannot spell those floats, and its pure-Python encoder is slower.)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from json.encoder import encode_basestring
from typing import Any


class _Unsure(Exception):
    """A value whose spelling this writer does not guarantee to be pydantic's."""


def _float(value: float) -> str:
    text = repr(value)
    if "n" in text:  # inf or nan
        raise _Unsure
    mantissa, _, exponent = text.partition("e")
    if not exponent or not -9 <= int(exponent) <= -5:
        return text
    if int(exponent) == -5:
        sign, digits = ("-", mantissa[1:]) if mantissa.startswith("-") else ("", mantissa)
        return f"{sign}0.0000{digits.replace('.', '')}"
    return f"{mantissa}e{int(exponent)}"


def _datetime(value: datetime) -> str:
    offset = value.utcoffset()
    if offset is None or offset % timedelta(minutes=1):
        raise _Unsure
    text = value.isoformat()
    return text[:-6] + "Z" if offset == timedelta(0) else text


def _write(value: Any, indent: str, out: list[str]) -> None:
    """Append the JSON of `value`, whose first line is already indented by `indent`."""
    if value is None:
        out.append("null")
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (dict, list)):
        if not value:
            out.append("{}" if isinstance(value, dict) else "[]")
            return
        inner = indent + "  "
        out.append("{\n" if isinstance(value, dict) else "[\n")
        pairs = value.items() if isinstance(value, dict) else ((None, item) for item in value)
        for i, (key, item) in enumerate(pairs):
            out.append(",\n" + inner if i else inner)
            if key is not None:
                out.append(encode_basestring(key) + ": ")
            _write(item, inner, out)
        out.append("\n" + indent + ("}" if isinstance(value, dict) else "]"))
    elif isinstance(value, datetime):
        out.append('"' + _datetime(value) + '"')
    elif isinstance(value, date):
        out.append('"' + value.isoformat() + '"')
    else:
        raise _Unsure


def dumps_plan(data: dict[str, Any]) -> str | None:
    """The plan file's JSON for the engine's plan data (as `evaluate_data` returns it), or None when only the
    `Plan` model can be sure to write it."""
    out: list[str] = []
    try:
        _write(data, "", out)
    except _Unsure:
        return None
    return "".join(out)
