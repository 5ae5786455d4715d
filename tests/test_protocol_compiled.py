"""The compiled protocol artefact (engine/compiled.py): up to date, verified at load, refused when it does not match."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from vcf_desktop.engine import compiled, protocol
from vcf_desktop.engine.protocol import load_protocol, parse_protocol, shipped_protocol_path
from vcf_desktop.resources import resource_path

REGENERATE = "PYTHONPATH=$PWD .venv/bin/python build_scripts/regenerate.py"


def _shipped() -> tuple[bytes, Path]:
    path = shipped_protocol_path()
    return path.read_bytes(), path


def test_the_artefact_is_up_to_date_with_the_protocol_and_its_model() -> None:
    raw, path = _shipped()
    artefact = resource_path(compiled.COMPILED_PROTOCOL).read_text(encoding="utf-8")
    assert artefact == compiled.compiled_text(raw, path), f"the compiled protocol is stale: run {REGENERATE}"
    pinned = hashlib.sha256(artefact.encode("utf-8")).hexdigest()
    assert pinned == protocol.approved_compiled_sha256(), f"engine/approved.py is stale: run {REGENERATE}"


def test_the_artefact_is_plain_data_three_json_lines() -> None:
    header, body, forms = resource_path(compiled.COMPILED_PROTOCOL).read_text(encoding="utf-8").splitlines()
    assert json.loads(header)["source_sha256"] == hashlib.sha256(_shipped()[0]).hexdigest()
    assert set(json.loads(body)) >= {"protocol", "thresholds", "rules", "references"}
    assert json.loads(forms)["true"] == "true"


def test_the_shipped_protocol_loads_from_the_artefact_equal_to_the_toml(monkeypatch: pytest.MonkeyPatch) -> None:
    raw, path = _shipped()
    expected = parse_protocol(raw, path)
    forms = {t: c.form for t, c in expected.conditions.items()}
    monkeypatch.setattr(protocol, "parse_protocol", lambda *_: pytest.fail("the TOML was parsed"))
    monkeypatch.setattr(protocol, "compile_condition", lambda *_: pytest.fail("a condition was parsed"))
    loaded = load_protocol()
    assert loaded.data == expected.data
    assert (loaded.sha256, loaded.path) == (expected.sha256, expected.path)
    assert {t: c.form for t, c in loaded.conditions.items()} == forms


@pytest.mark.parametrize("damage", ["other pin", "other source", "tampered data", "missing"])
def test_an_artefact_that_does_not_match_is_not_used(damage: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    raw, path = _shipped()
    sha = hashlib.sha256(raw).hexdigest()
    text = resource_path(compiled.COMPILED_PROTOCOL).read_text(encoding="utf-8")
    pin = protocol.approved_compiled_sha256()
    if damage == "other pin":
        pin = "0" * 64
    elif damage == "other source":
        sha = "f" * 64
    elif damage == "tampered data":
        text = text.replace('"due_days":', '"due_days":1', 1)  # still valid JSON and valid data: only the pin says no
    fake = tmp_path / "protocol" / "vcf-protocol.compiled.jsonl"
    fake.parent.mkdir()
    if damage != "missing":
        fake.write_text(text, encoding="utf-8", newline="\n")
    monkeypatch.setattr(compiled, "resource_path", lambda relative: tmp_path / relative)
    assert compiled.load_compiled(sha, pin) is None
    if damage in ("tampered data", "missing"):  # load_protocol falls back to the TOML, with the same result
        assert load_protocol().data == parse_protocol(raw, path).data
