"""Random damage to a valid case file never produces a traceback: exit 0 or 2 only, with a message for 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcf_desktop.cli import main
from vcf_desktop.domain.casefile import CaseFileError, loads_case

DEMO_TEXT = (Path(__file__).parent / "examples" / "typical-l2-wedge.json").read_text(encoding="utf-8")
DEMO_BYTES = DEMO_TEXT.encode()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12) | st.sampled_from(["true", "false", "null", "L2", "female", "2026-11-24", "2026-02-30",
                                               "NaN", "", "mri", "intact", "none"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _slots(node: Any, path: tuple = ()) -> list[tuple]:
    """Every place in the document a value sits (object keys and list items)."""
    out = [path] if path else []
    if isinstance(node, dict):
        out += [s for k, v in node.items() for s in _slots(v, (*path, k))]
    elif isinstance(node, list):
        out += [s for i, v in enumerate(node) for s in _slots(v, (*path, i))]
    return out


SLOTS = _slots(json.loads(DEMO_TEXT))


@st.composite
def json_mutations(draw: st.DrawFn) -> str:
    """The demo case with one to three values replaced, deleted, or joined by an unknown key."""
    data = json.loads(DEMO_TEXT)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(SLOTS))
        node = data
        try:
            for part in path[:-1]:
                node = node[part]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[path[-1]] = draw(json_values)
            elif action == "delete":
                del node[path[-1]]
            elif isinstance(node, dict):
                node[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this place
    return json.dumps(data, allow_nan=True)


@st.composite
def byte_mutations(draw: st.DrawFn) -> bytes:
    """The demo file with bytes flipped, inserted or deleted, or cut short."""
    data = bytearray(DEMO_BYTES)
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        if action == "flip":
            data[pos] = draw(st.integers(0, 255))
        elif action == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=4))
        elif action == "delete":
            del data[pos]
        else:
            del data[pos:]
            break
    return bytes(data)


def _check_cli(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["validate", str(path)], ["plan", str(path), "--format", "json"]):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in (0, 2), (argv, path.read_bytes()[:2000], err)
        assert "Traceback" not in err
        if code == 2:
            assert err.strip() and not out
        else:
            assert out and not err


@FUZZ
@given(text=json_mutations())
def test_json_mutations_never_crash(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        loads_case(text)
    except CaseFileError as exc:
        assert exc.messages and all(m.strip() for m in exc.messages)
    path = tmp_path / "mutated.json"
    path.write_text(text, encoding="utf-8")
    _check_cli(path, capsys)


@FUZZ
@given(data=byte_mutations())
def test_byte_mutations_never_crash(data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mutated.json"
    path.write_bytes(data)
    _check_cli(path, capsys)
