"""`plan --out-dir` (many cases, one process), `recheck` (what a newer protocol changes) and `--protocol`."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from vcf_desktop.cli import main
from vcf_desktop.cli.batch import output_name
from vcf_desktop.domain.casefile import read_case, save_case
from vcf_desktop.engine import evaluate, load_protocol
from vcf_desktop.engine import protocol as protocol_module
from vcf_desktop.engine.protocol import ENV_RUN_CHANGED_SHIPPED
from vcf_desktop.engine.recheck import Change, changes, plan_record
from vcf_desktop.resources import resource_path

EXAMPLES = Path(__file__).parent / "examples"
CASE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if p.name != "expected.json")
SHIPPED_TEXT = resource_path("protocol/vcf-protocol.toml").read_text(encoding="utf-8")
RECORDED_ON = date(2026, 11, 24)

STAMP = re.compile(rb'"?generated_at"?:? ?"?[0-9T:+.Z-]+"?|Generated:? [0-9T:+.Z-]+')  # the time of each run


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def older_protocol(tmp_path: Path) -> Path:
    """A protocol "1.9.0" in which neurological deficits lead to conservative care (the emergency rule edited)."""
    text = re.sub(r'version = "[^"]+"', 'version = "1.9.0"', SHIPPED_TEXT, count=1)
    text = re.sub(r'value = "emergency_referral"', 'value = "conservative"', text, count=1)
    assert text.count('version = "1.9.0"') == 1 and 'value = "conservative"' in text
    path = tmp_path / "older.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def case_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for path in CASE_FILES:
        shutil.copy(path, folder / path.name.replace(".json", ".vcfcase.json"))
    return folder


# ------------------------------------------------------------------------------------------ batch plan
@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_batch_output_equals_single_case_output_byte_for_byte(case_dir: Path, tmp_path: Path, fmt: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "out"
    code, out, _ = run(capsys, "plan", str(case_dir), "--out-dir", str(out_dir), "--format", fmt)
    assert code == 0
    assert len(out.splitlines()) == len(CASE_FILES)
    for case_file in sorted(case_dir.iterdir()):
        single = tmp_path / f"single.{fmt}"
        assert run(capsys, "plan", str(case_file), "--format", fmt, "-o", str(single))[0] == 0
        batch = out_dir / output_name(case_file, fmt)
        unstamped = [STAMP.sub(b"", p.read_bytes()) for p in (single, batch)]
        assert unstamped[0] == unstamped[1], batch.name


def test_output_names_follow_the_input() -> None:
    assert output_name(Path("a/x.vcfcase.json"), "json") == "x.plan.json"
    assert output_name(Path("y.JSON"), "text") == "y.plan.txt"
    assert output_name(Path("z.case"), "html") == "z.case.plan.html"


def test_batch_reports_and_skips_invalid_cases_and_exits_2_after_writing_the_rest(
        case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (case_dir / "broken.vcfcase.json").write_text('{"format": "vcf-case", "format_version": 2}', encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "plan", str(case_dir), str(tmp_path / "missing.json"), "--out-dir", str(out_dir))
    assert code == 2
    lines = out.splitlines()
    assert len(lines) == len(CASE_FILES) + 2
    assert sum(line.startswith("SKIP ") for line in lines) == 2
    assert f"{case_dir / 'broken.vcfcase.json'}: patient" in err and "missing.json: no such file" in err
    assert len(list(out_dir.iterdir())) == len(CASE_FILES)


def test_two_inputs_with_the_same_output_name_do_not_overwrite(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(CASE_FILES[0], tmp_path / "same.json")
    shutil.copy(CASE_FILES[1], tmp_path / "same.vcfcase.json")
    code, out, err = run(capsys, "plan", str(tmp_path / "same.json"), str(tmp_path / "same.vcfcase.json"),
                         "--out-dir", str(tmp_path / "out"))
    assert code == 2 and "would overwrite" in err
    assert json.loads((tmp_path / "out" / "same.plan.json").read_text())["case_id"] == read_case(CASE_FILES[0]).case_id


@pytest.mark.parametrize("argv", [["plan", "a.json", "b.json"], ["plan", "-", "--out-dir", "x"],
                                  ["plan", "a.json", "-o", "x", "--out-dir", "y"]])
def test_batch_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, *argv)[0] == 2


# ------------------------------------------------------------------------------------------ recheck
def save_recorded(case_dir: Path, protocol_file: Path | None) -> dict[str, list[Change]]:
    """Give every case in `case_dir` a plan_record made under `protocol_file`; the changes the shipped protocol
    makes to each, computed here field by field."""
    old, new = load_protocol(protocol_file), load_protocol()
    expected = {}
    for path in sorted(case_dir.iterdir()):
        case = read_case(path)
        before, after = evaluate(case, old, today=RECORDED_ON), evaluate(case, new, today=RECORDED_ON)
        save_case(case.model_copy(update={"plan_record": plan_record(before)}), path)
        fields = {"stability": (before.stability, after.stability), "pathway": (before.pathway, after.pathway),
                  "osteoporosis_status": (before.osteoporosis.status, after.osteoporosis.status),
                  "recommended": (set(before.osteoporosis.recommended), set(after.osteoporosis.recommended)),
                  "avoid": ({a.agent for a in before.avoid}, {a.agent for a in after.avoid}),
                  "pitfalls": ({p.code for p in before.pitfalls}, {p.code for p in after.pitfalls})}
        expected[str(path)] = [name for name, (b, a) in fields.items() if b != a]
    return expected


def test_recheck_lists_exactly_the_cases_an_older_protocol_planned_differently(
        case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = save_recorded(case_dir, older_protocol(tmp_path))
    changed = {path for path, fields in expected.items() if fields}
    assert str(case_dir / "l2-fracture-cauda-equina.vcfcase.json") in changed
    assert str(case_dir / "typical-l2-wedge.vcfcase.json") not in changed
    code, out, _ = run(capsys, "recheck", str(case_dir), "--format", "json")
    assert code == 3
    report = json.loads(out)
    listed = {c["file"]: [x["field"] for x in c["changes"]] for c in report["cases"] if c["status"] == "changed"}
    assert listed == {path: fields for path, fields in expected.items() if fields}
    assert all(c["recorded_protocol"]["version"] == "1.9.0" for c in report["cases"])
    assert report["protocol"]["version"] == load_protocol().version
    assert report["summary"] == {"changed": len(changed), "unchanged": len(CASE_FILES) - len(changed),
                                 "no_plan_record": 0, "invalid": 0}

    code, text, _ = run(capsys, "recheck", str(case_dir))
    assert code == 3
    assert "pathway: conservative → emergency referral" in text
    assert "planned under vcf-protocol 1.9.0" in text and f"now vcf-protocol {load_protocol().version}" in text


def test_recheck_under_the_same_protocol_changes_nothing(case_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save_recorded(case_dir, None)
    code, out, _ = run(capsys, "recheck", str(case_dir))
    assert code == 0
    assert out.splitlines()[-1] == f"{len(CASE_FILES)} cases: 0 changed, {len(CASE_FILES)} unchanged, " \
                                   "0 without a plan record, 0 invalid"


def test_recheck_reports_cases_without_a_plan_record_and_invalid_ones(
        case_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code, out, _ = run(capsys, "recheck", str(case_dir / "typical-l2-wedge.vcfcase.json"), str(broken),
                       "--format", "json")
    assert code == 2
    statuses = [c["status"] for c in json.loads(out)["cases"]]
    assert statuses == ["no_plan_record", "invalid"]


def test_changes_ignore_list_order_and_describe_both_sides(protocol) -> None:
    plan = evaluate(read_case(EXAMPLES / "crcl-25-low-vitamin-d.json"), protocol, today=RECORDED_ON)
    record = plan_record(plan)
    assert changes(record.model_copy(update={"avoid": list(reversed(record.avoid))}), plan) == []
    moved = record.model_copy(update={"pathway": "surgical_consultation", "avoid": [*record.avoid[1:], "calcitonin"]})
    found = changes(moved, plan)
    assert [c.field for c in found] == ["pathway", "avoid"]
    assert found[0].describe() == f"pathway: surgical consultation → {plan.pathway.replace('_', ' ')}"
    assert found[1].added == [record.avoid[0]] and found[1].removed == ["calcitonin"]


# ------------------------------------------------------------------------------------------ --protocol
def test_a_named_protocol_runs_and_the_plan_file_says_unapproved(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    local = older_protocol(tmp_path)
    code, out, err = run(capsys, "plan", str(CASE_FILES[0]), "--protocol", str(local))
    assert code == 0
    ref = json.loads(out)["protocol"]
    assert ref["approved"] is False and ref["version"] == "1.9.0" and len(ref["sha256"]) == 64
    assert "UNAPPROVED PROTOCOL" in err and ref["sha256"] in err
    code, out, _ = run(capsys, "--protocol", str(local), "plan", str(CASE_FILES[0]), "--format", "text")
    assert code == 0 and f"UNAPPROVED PROTOCOL · sha256 {ref['sha256']}" in out


@pytest.mark.parametrize("command", [["plan", str(CASE_FILES[0])], ["protocol"], ["--version"], ["selftest"],
                                     ["recheck", str(CASE_FILES[0])]])
def test_a_changed_shipped_protocol_is_refused_by_every_command(command: list[str], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    changed = older_protocol(tmp_path)
    monkeypatch.delenv(ENV_RUN_CHANGED_SHIPPED)
    monkeypatch.setattr(protocol_module, "shipped_protocol_path", lambda: changed)
    code, out, err = run(capsys, *command)
    assert code == 1
    assert "not the protocol approved for this release" in err + out and "--protocol FILE" in err + out


def test_a_broken_named_protocol_is_invalid_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[protocol]\n", encoding="utf-8")
    code, _, err = run(capsys, "plan", str(CASE_FILES[0]), "--protocol", str(bad))
    assert code == 2 and "--protocol" in err and str(bad) in err


def test_jobs_give_the_same_outputs_and_lines_in_the_same_order(case_dir: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    (case_dir / "broken.vcfcase.json").write_text("[]", encoding="utf-8")
    runs = {}
    for jobs in ("1", "2"):
        out_dir = tmp_path / f"out{jobs}"
        code, out, err = run(capsys, "plan", str(case_dir), "--out-dir", str(out_dir), "--jobs", jobs)
        assert code == 2 and "broken.vcfcase.json: the top level must be a JSON object" in err
        runs[jobs] = (out.replace(str(out_dir), "OUT"),
                      {p.name: STAMP.sub(b"", p.read_bytes()) for p in out_dir.iterdir()})  # run times differ
    assert runs["1"] == runs["2"]
    assert len(runs["2"][1]) == len(CASE_FILES)


@pytest.mark.parametrize(("argv", "gui"), [(["--protocol", "local.toml"], True),
                                           (["--protocol", "local.toml", "case.json"], True),
                                           (["--protocol", "local.toml", "plan", "case.json"], False),
                                           (["plan", "case.json", "--protocol", "local.toml"], False)])
def test_the_value_of_protocol_is_not_taken_for_a_case_file(argv: list[str], gui: bool) -> None:
    from vcf_desktop.__main__ import wants_gui
    from vcf_desktop.gui.app import _parse

    assert wants_gui(argv) is gui
    if gui:
        assert _parse(argv).protocol == Path("local.toml")
