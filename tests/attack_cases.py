"""Generated malformed case files for tests/test_attacks.py: one field at a time made wrong in every way the
contract forbids (type, range, choice, date, hidden characters, repeats, unknown and missing keys), plus damage
to the text itself (truncation, byte flips, bad encodings, deep nesting, huge numbers).

Each attack is `Attack(name, data, path)`: `path` is the field the rejection must name, or "" for damage to the
document as a whole (then a message about the document is expected, e.g. "not valid JSON at line 3, column 5").
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.errors import unwrap_optional

EXAMPLES = Path(__file__).parent / "examples"
RAW = "\x00RAW:"  # a string value replaced by raw JSON text (NaN, huge numbers) after dumping


@dataclass(frozen=True)
class Attack:
    name: str
    data: bytes
    path: str  # the field a rejection must name; "" for the document as a whole


@dataclass(frozen=True)
class Leaf:
    path: str  # with [0] for list items: "fractures[0].height_loss_pct"
    annotation: Any
    bounds: tuple[Any, Any]
    required: bool
    nullable: bool = True


def _bounds(info: Any) -> tuple[Any, Any]:
    lo = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    hi = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    return lo, hi


def leaves(model: type[BaseModel] = Case, prefix: str = "") -> Iterator[Leaf]:
    """Every field of the contract with its type, range and whether it is required."""
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = unwrap_optional(info.annotation)
        nullable = type(None) in get_args(info.annotation)
        item = get_args(annotation)[0] if get_origin(annotation) is list else None
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield Leaf(path, annotation, (None, None), info.is_required(), nullable)
            yield from leaves(annotation, path + ".")
        elif isinstance(item, type) and issubclass(item, BaseModel):
            yield Leaf(path, annotation, (None, None), info.is_required())
            yield from leaves(item, path + "[0].")
        else:
            yield Leaf(path, annotation, _bounds(info), info.is_required())


def _raw(text: str) -> str:
    return RAW + text


def wrong_values(leaf: Leaf, rng: random.Random) -> list[Any]:
    """Values the contract refuses for this field."""
    a, (lo, hi) = leaf.annotation, leaf.bounds
    common: list[Any] = [{"nested": 1}]
    if leaf.path == "format_version":
        return [3, "2", 2.0, True, 0, -1, None, _raw("1" * 40)]
    if get_origin(a) is Literal:
        choices = [c for c in get_args(a) if isinstance(c, str)]
        out = ["not-a-choice", "", " " + choices[0], choices[0].upper() + "X", 7, True, [choices[0]]]
        return out + (["vcf-plan"] if leaf.path == "format" else [])
    if get_origin(a) is list:
        item = get_args(a)[0]
        out = ["not a list", 5, {"a": 1}]
        if get_origin(item) is Literal:
            c = get_args(item)
            out += [[c[0], c[0]], [c[0], "bogus"], [None], [[c[0]]]]
        elif isinstance(item, type) and issubclass(item, BaseModel):
            out += [[5], ["x"], [None]]
            if leaf.path == "fractures":
                out += [[], [{"level": f"T{i}"} for i in range(1, 13)] + [{"level": f"L{i}"} for i in range(1, 6)]
                        + [{"level": "T1"}]]
        return out
    if isinstance(a, type) and issubclass(a, BaseModel):
        return [5, "object", [], True, [{}]] + ([] if leaf.nullable else [None])
    if a is bool:
        return ["true", 1, 0, "yes", [], "False", *common]
    if a is int:
        out = ["5", 5.5, True, _raw("1" + "0" * rng.randint(31, 6000)), _raw("-" + "9" * rng.randint(31, 400)),
               _raw("1e400"), _raw("NaN"), _raw("Infinity"), [1], *common]
        out += [lo - 1, lo - 10**12] if lo is not None else []
        out += [hi + 1, hi * 1000 + 7] if hi is not None else []
        return out
    if a is float:
        out = ["5.0", True, _raw("NaN"), _raw("-Infinity"), _raw("1e400"), [], _raw("1" * 5000), *common]
        out += [lo - 0.001, lo - 1e6] if lo is not None else []
        out += [hi + 0.001, hi * 10 + 1] if hi is not None else []
        return out
    if a is date:
        return ["9999-10-01", "0001-01-01", "1899-12-31", "2101-01-01", "2026-02-30", "2026/01/01", "",
                "yesterday", 20260101, "2026-1-1", "2026-01-01T00:00", *common]
    if a is datetime:
        return ["2026-13-01T00:00:00Z", "now", 5, "", *common]
    if a is str:
        out = ["bad\nPLAN: Conservative care · Stable", "\x1b[2J\x1b[31mred", "x\u202eevil", "a\u200bb",
               "a\u2028b", "tab\tin", "x" * 300, 5, True, [], *common]
        return out + (["0" * 63, "Z" * 64] if leaf.path.endswith("sha256") else [])
    raise TypeError(f"no wrong values for {leaf.path}: {a}")


_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _container(data: dict[str, Any], path: str) -> tuple[Any, str | int]:
    """The object or list that holds the last step of `path` (created on the way), and that step."""
    steps: list[str | int] = [int(i) if i else n for n, i in _TOKEN.findall(path)]
    node: Any = data
    for step, following in zip(steps[:-1], steps[1:]):
        if isinstance(step, int):
            while len(node) <= step:
                node.append({"level": "L5"} if "fractures" in path else {"agent": "alendronate"})
        elif not isinstance(node.get(step), (dict, list)):
            node[step] = [] if isinstance(following, int) else {}
        node = node[step]
    return node, steps[-1]


def _dump(data: Any) -> bytes:
    text = json.dumps(data, indent=1, ensure_ascii=False)
    text = re.sub(r'"\\u0000RAW:([^"]*)"', lambda m: m.group(1), text)
    return text.encode("utf-8")


def base_cases() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))
            if p.stem != "expected"]


def field_attacks(rng: random.Random, bases: list[dict[str, Any]]) -> Iterator[Attack]:
    """Every wrong value for every field, each in a random example; unknown and missing keys too."""
    for leaf in leaves():
        for n, value in enumerate(wrong_values(leaf, rng)):
            data = copy.deepcopy(rng.choice(bases))
            holder, step = _container(data, leaf.path)
            holder[step] = value
            if leaf.path == "history.pregnancy_weeks":
                data["history"]["pregnant"] = True  # else the rejection names history.pregnant
            yield Attack(f"{leaf.path}#{n}", _dump(data), leaf.path)
        if leaf.required:
            data = copy.deepcopy(rng.choice(bases))
            holder, step = _container(data, leaf.path)
            holder.pop(step, None)
            yield Attack(f"{leaf.path}#missing", _dump(data), leaf.path)
    sections = ["", "patient.", "injury.", "fractures[0].", "imaging.", "symptoms.", "neuro.", "history.",
                "bone_health.", "bone_health.prior_therapies[0].", "labs."]
    for section in sections:
        data = copy.deepcopy(rng.choice(bases))
        holder, step = _container(data, section + "bogus_key")
        holder[step] = rng.choice([1, "x", None, True, {}])
        yield Attack(f"{section}bogus_key", _dump(data), section + "bogus_key")


def _damage(rng: random.Random, text: bytes) -> tuple[str, bytes]:
    kind = rng.choice(["truncate", "flip", "delete", "insert", "latin1", "bom", "nest", "top", "duplicate",
                       "empty", "zeros", "huge"])
    if kind == "truncate":
        return kind, text[:rng.randrange(len(text))]
    if kind == "flip":
        pos = rng.randrange(len(text))
        return kind, text[:pos] + bytes([text[pos] ^ (1 << rng.randrange(8))]) + text[pos + 1:]
    if kind == "delete":
        pos = rng.randrange(len(text))
        return kind, text[:pos] + text[pos + rng.randint(1, 20):]
    if kind == "insert":
        pos = rng.randrange(len(text))
        junk = rng.choice([b"{", b"}", b"[", b",", b'"', b"\\", b"\xff", b"\xc3", b"\x00", b"//c", b"NaN", b"'x'"])
        return kind, text[:pos] + junk + text[pos:]
    if kind == "latin1":
        return kind, text.replace(b'"', '"é'.encode("latin-1"), 1)
    if kind == "bom":
        return kind, rng.choice([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf"]) + text
    if kind == "nest":
        depth = rng.choice([40, 500, 5000, 100_000])
        return kind, text.replace(b'"patient"', b'"zz": ' + b"[" * depth + b"]" * depth + b', "patient"', 1)
    if kind == "top":
        return kind, rng.choice([b"[]", b"42", b'"case"', b"null", b"true", b"[" + text + b"]"])
    if kind == "duplicate":
        return kind, text.replace(b'"patient": {', b'"patient": {"age_years": 40, ', 1)
    if kind == "empty":
        return kind, rng.choice([b"", b"   \n\t", b"\xef\xbb\xbf"])
    if kind == "zeros":
        return kind, b"\x00" * rng.randint(1, 5000)
    return kind, text + b" " * (1024 * 1024)


def text_attacks(rng: random.Random, bases: list[dict[str, Any]], count: int) -> Iterator[Attack]:
    for n in range(count):
        kind, data = _damage(rng, _dump(rng.choice(bases)))
        yield Attack(f"text-{kind}#{n}", data, "")


def attacks(seed: int, rounds: int = 2, documents: int = 500) -> list[Attack]:
    """Every field attack `rounds` times (each time in randomly chosen examples), and `documents` damaged
    documents."""
    rng = random.Random(seed)
    bases = base_cases()
    out = [attack for _ in range(rounds) for attack in field_attacks(rng, bases)]
    return out + list(text_attacks(rng, bases, documents))
