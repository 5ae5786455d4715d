"""Reading and saving case files: malformed files of every kind give clear messages; saving is atomic."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

from vcf_desktop.domain.case import Case
from vcf_desktop.domain.casefile import MAX_BYTES, CaseFileError, loads_case, read_case, save_case
from vcf_desktop.domain.safe_write import write_text

EXAMPLES = Path(__file__).parent / "examples"
CASE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if p.name != "expected.json")
DEMO_TEXT = (EXAMPLES / "typical-l2-wedge.json").read_text(encoding="utf-8")


def refusal(text: str) -> list[str]:
    with pytest.raises(CaseFileError) as info:
        loads_case(text)
    assert info.value.messages and all(isinstance(m, str) and m for m in info.value.messages)
    return info.value.messages


def test_all_example_cases_are_here_and_read() -> None:
    assert len(CASE_FILES) == 22
    for path in CASE_FILES:
        case = read_case(path)
        assert case.case_id == path.stem


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_save_then_read_gives_the_same_case_and_omits_unrecorded(path: Path, tmp_path: Path) -> None:
    case = read_case(path)
    out = tmp_path / "saved.vcfcase.json"
    save_case(case, out)
    assert read_case(out) == case.model_copy(update={"format_version": 2})  # a v1 file is saved as v2, nothing lost
    assert '"format_version": 2' in out.read_text(encoding="utf-8")
    assert "null" not in out.read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == case.to_json() + "\n"


@pytest.mark.parametrize(("text", "expected"), [
    ("", "empty: there is no JSON in it"),
    ("  \n\t ", "empty: there is no JSON in it"),
    ("[]", "the top level must be a JSON object {...} holding the case, not an array [...]"),
    ("[1, 2]", "the top level must be a JSON object {...} holding the case, not an array [...]"),
    ("42", "the top level must be a JSON object {...} holding the case, not a number"),
    ("-1.5e3", "the top level must be a JSON object {...} holding the case, not a number"),
    ("null", "the top level must be a JSON object {...} holding the case, not null"),
    ("true", "the top level must be a JSON object {...} holding the case, not true/false"),
    ('"case"', "the top level must be a JSON object {...} holding the case, not a string"),
    ("{}", 'format: missing — not a VCF Desktop case file; expected "format": "vcf-case"'),
    ('{"format": "vcf-plan", "format_version": 1}',
     'format: "vcf-plan" — a plan file, not a case file; expected "vcf-case"'),
    ('{"format": "csv"}', 'format: "csv" — not a VCF Desktop case file; expected "vcf-case"'),
    ('{"format": "vcf-case"}', "format_version: missing — expected 2"),
    ('{"format": "vcf-case", "format_version": "1"}',
     'format_version: "1" — not a supported version; expected 1 or 2 (a JSON integer)'),
    ('{"format": "vcf-case", "format_version": true}',
     "format_version: true — not a supported version; expected 1 or 2 (a JSON integer)"),
    ('{"format": "vcf-case", "format_version": 0}',
     "format_version: 0 — not a supported version; expected 1 or 2 (a JSON integer)"),
    ("{,}", "not valid JSON at line 1, column 2: expecting property name enclosed in double quotes"),
    ('{"a": 1,\n "b": 2,,}', "not valid JSON at line 2, column 9: expecting property name enclosed in double quotes"),
])
def test_malformed_documents(text: str, expected: str) -> None:
    assert refusal(text) == [expected]


@pytest.mark.parametrize("version", [3, 99])
def test_a_newer_format_version_says_so(version: int) -> None:
    text = DEMO_TEXT.replace('"format_version": 1', f'"format_version": {version}')
    (message,) = refusal(text)
    assert message.startswith(f"format_version: {version} — this case file was written by a newer version of "
                              "VCF Desktop")
    assert "reads format_version 2" in message


def test_every_sampled_prefix_of_a_valid_file_is_refused_with_line_and_column() -> None:
    cut_points = random.Random(7).sample(range(1, len(DEMO_TEXT.rstrip())), 150)
    for n in sorted(cut_points):
        messages = refusal(DEMO_TEXT[:n])
        assert len(messages) == 1
        assert messages[0].startswith("not valid JSON at line "), (n, messages)
        line = DEMO_TEXT[:n].count("\n") + 1
        assert f"line {line}," in messages[0] or f"line {line - 1}," in messages[0], (n, messages)
        assert "truncated" in messages[0], (n, messages)


def _object_paths(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [path] + [p for k, v in node.items() for p in _object_paths(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _object_paths(v, (*path, i))]
    return []


def _dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


@pytest.mark.parametrize("where", _object_paths(json.loads(DEMO_TEXT)), ids=lambda p: _dotted(p) or "<root>")
def test_an_unknown_key_at_every_level_is_named_with_the_allowed_keys(where: tuple) -> None:
    data = json.loads(DEMO_TEXT)
    node = data
    for part in where:
        node = node[part]
    node["zz_unknown"] = True
    (message,) = refusal(json.dumps(data))
    model: Any = Case
    for part in where:
        if isinstance(part, str):
            model = model.model_fields[part].annotation
            model = getattr(model, "__args__", (model,))[0]
    prefix = f"{_dotted(where)}." if where else ""
    assert message == f"{prefix}zz_unknown: unknown key; allowed keys: {', '.join(model.model_fields)}"


def test_a_key_given_twice_is_refused_not_silently_overwritten() -> None:
    text = DEMO_TEXT.replace('"age_years": 71,', '"age_years": 71,\n    "age_years": 17,')
    assert refusal(text) == ["patient.age_years: given more than once; each key may appear only once"]


def test_a_repeated_key_is_reported_together_with_other_problems() -> None:
    text = DEMO_TEXT.replace('"age_years": 71,', '"age_years": 171,\n    "age_years": 171,')
    assert refusal(text) == ["patient.age_years: given more than once; each key may appear only once",
                             "patient.age_years: 171 — must be at most 120; allowed: integer 0–120 years"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nan_and_infinity_literals_name_the_field(literal: str) -> None:
    shown = {"1e400": "Infinity"}.get(literal, literal)
    assert refusal(DEMO_TEXT.replace('"egfr": 76', f'"egfr": {literal}')) == [
        f"labs.egfr: {shown} — must be a finite number (NaN and Infinity are not numbers in a case file)"]


@pytest.mark.parametrize("depth", [33, 500, 100_000])
def test_deeply_nested_json_is_refused(depth: int) -> None:
    (message,) = refusal('{"format": "vcf-case", "format_version": 1, "deep": ' + "[" * depth + "]" * depth + "}")
    assert "nested" in message and "deep" in message


def test_a_huge_integer_is_refused() -> None:
    (message,) = refusal(DEMO_TEXT.replace('"egfr": 76', '"egfr": ' + "9" * 5000))
    assert message == "labs.egfr: a number with 5000 digits — far too large; allowed: number 0–200 mL/min/1.73 m²"
    assert "sys.set_int_max_str_digits" not in message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + DEMO_TEXT.encode())
    assert read_case(path).case_id == "typical-l2-wedge"


def test_non_utf8_bytes_name_the_byte_offset(tmp_path: Path) -> None:
    data = DEMO_TEXT.encode()
    offset = data.index(b"typical")
    path = tmp_path / "latin1.json"
    path.write_bytes(data[:offset] + "Müller".encode("latin-1") + data[offset:])
    with pytest.raises(CaseFileError) as info:
        read_case(path)
    line = data[:offset].count(b"\n") + 1
    assert info.value.messages == [
        f"not UTF-8 text: byte 0xFC at offset {offset + 1} (line {line}) is not valid UTF-8; save the file as UTF-8"]


@pytest.mark.parametrize("extra", [1, 10_000_000])
def test_a_file_over_one_mebibyte_is_refused_unread(tmp_path: Path, extra: int) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as f:
        f.write(DEMO_TEXT.encode())
        f.write(b" " * (MAX_BYTES - len(DEMO_TEXT.encode()) + extra))
    with pytest.raises(CaseFileError) as info:
        read_case(path)
    assert info.value.messages == ["too large: more than 1 MiB; a case file is a few kB (is this the right file?)"]


def test_text_over_one_mebibyte_is_refused() -> None:
    padded = DEMO_TEXT + " " * (MAX_BYTES - len(DEMO_TEXT.encode()))
    assert loads_case(padded).case_id == "typical-l2-wedge"
    assert refusal(padded + " ") == ["too large: more than 1 MiB; a case file is a few kB (is this the right file?)"]
    assert refusal(padded[:-1] + "é")[0].startswith("too large")  # counted in UTF-8 bytes, not characters


def test_a_file_of_exactly_one_mebibyte_is_read(tmp_path: Path) -> None:
    path = tmp_path / "padded.json"
    path.write_bytes(DEMO_TEXT.encode() + b" " * (MAX_BYTES - len(DEMO_TEXT.encode())))
    assert path.stat().st_size == MAX_BYTES
    assert read_case(path).case_id == "typical-l2-wedge"


def test_unreadable_paths(tmp_path: Path) -> None:
    for path, expected in [(tmp_path / "absent.json", "no such file"), (tmp_path, "is a folder, not a case file")]:
        with pytest.raises(CaseFileError) as info:
            read_case(path)
        assert info.value.messages == [expected]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission(tmp_path: Path) -> None:
    path = tmp_path / "locked.json"
    path.write_text(DEMO_TEXT, encoding="utf-8")
    path.chmod(0)
    with pytest.raises(CaseFileError) as info:
        read_case(path)
    assert info.value.messages == ["cannot be read: permission denied"]


def test_save_never_leaves_a_half_written_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "case.json"
    target.write_text("OLD", encoding="utf-8")
    target.chmod(0o640)

    def crash(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="No space left"):
        write_text(target, "NEW" * 1000)
    assert target.read_text(encoding="utf-8") == "OLD"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.json"]
    monkeypatch.undo()
    write_text(target, "NEW")
    assert target.read_text(encoding="utf-8") == "NEW"
    assert target.stat().st_mode & 0o777 == 0o640  # the old file's permissions are kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.json"]


def test_save_syncs_the_data_before_replacing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    save_case(read_case(EXAMPLES / "minimal-data-l3.json"), tmp_path / "c.json")
    assert events[:2] == ["fsync", "replace"]


def test_the_built_in_demo_case_is_the_typical_example() -> None:
    from vcf_desktop.resources import resource_path

    demo = read_case(resource_path("cases/typical-l2-wedge.vcfcase.json"))
    assert demo == read_case(EXAMPLES / "typical-l2-wedge.json")
