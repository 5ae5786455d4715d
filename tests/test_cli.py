"""The headless command line: outputs, exit codes (0 / 2 invalid input / 1 internal) and messages."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from vcf_desktop.__main__ import display_missing, wants_gui
from vcf_desktop.cli import main
from vcf_desktop.domain.case import Case
from vcf_desktop.domain.plan import Plan

EXAMPLES = Path(__file__).parent / "examples"
CASE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if p.name != "expected.json")
DEMO = EXAMPLES / "typical-l2-wedge.json"
SCRIPT = Path(sys.executable).with_name("vcf-desktop")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "vcf_desktop"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *argv], input=stdin, capture_output=True, text=True, timeout=120,
                          env=env, check=False)


def write_case(tmp_path: Path, data: dict[str, Any], name: str = "case.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_every_example_gives_a_plan_file_that_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", str(path), "--format", "json")
    assert (code, err) == (0, "")
    plan = Plan.model_validate_json(out)
    assert plan.case_id == path.stem
    assert plan.format == "vcf-plan" and plan.format_version == 2
    assert json.loads(plan.to_json()) == json.loads(out)


def test_plan_matches_the_expected_pathway_of_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    expected = {e["case"]: e["expect"] for e in json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))}
    _, out, _ = run(capsys, "plan", str(DEMO))
    assert json.loads(out)["pathway"] in expected["typical-l2-wedge"]["pathway"]


def test_plan_is_deterministic_but_for_generated_at(capsys: pytest.CaptureFixture[str]) -> None:
    first = json.loads(run(capsys, "plan", str(DEMO))[1])
    second = json.loads(run(capsys, "plan", str(DEMO))[1])
    first.pop("generated_at"), second.pop("generated_at")
    assert first == second


def test_a_case_without_assessment_date_is_planned_for_today(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    del data["assessment_date"]
    code, out, _ = run(capsys, "plan", write_case(tmp_path, data))
    assert code == 0
    assert json.loads(out)["assessment_date"] == date.today().isoformat()


@pytest.mark.parametrize("audience", ["clinician", "patient"])
@pytest.mark.parametrize("fmt", ["text", "html"])
def test_text_and_html_reports(fmt: str, audience: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", str(DEMO), "--format", fmt, "--audience", audience)
    assert (code, err) == (0, "")
    assert "typical-l2-wedge" in out
    assert ("<html" in out.lower()) == (fmt == "html")


def test_output_file_is_written_and_replaces_the_old_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.json"
    out.write_text("old", encoding="utf-8")
    assert run(capsys, "plan", str(DEMO), "-o", str(out)) == (0, "", "")
    Plan.model_validate_json(out.read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


def test_pdf_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", str(DEMO), "--format", "pdf")
    assert (code, out) == (2, "")
    assert "--format pdf needs -o OUT.pdf" in err


def test_pdf_is_written_with_fonts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.pdf"
    assert run(capsys, "plan", str(DEMO), "--format", "pdf", "-o", str(out), "--audience", "patient")[0] == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/FontFile" in data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf"]


def test_output_into_a_missing_folder_is_invalid_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nowhere" / "plan.json"
    code, _, err = run(capsys, "plan", str(DEMO), "-o", str(out))
    assert code == 2
    assert err.strip() == f"cannot write {out}: the folder {out.parent} does not exist"


def test_validate_a_valid_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", str(DEMO)) == (0, "valid: typical-l2-wedge (1 fracture)\n", "")
    assert run(capsys, "validate", str(EXAMPLES / "denosumab-stopped-10-months.json"))[1] == \
        "valid: denosumab-stopped-10-months (2 fractures)\n"


def test_validate_names_every_bad_field_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["patient"]["age_years"] = 130
    data["fractures"][0]["new"] = "true"
    path = write_case(tmp_path, data)
    code, out, err = run(capsys, "validate", path)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{path}: patient.age_years: 130 — must be at most 120; allowed: integer 0–120 years",
        f'{path}: fractures[0].new: "true" — must be true or false (JSON boolean), not a string',
        f"{path}: not a valid case file (2 problems)",
    ]


@pytest.mark.parametrize("command", ["plan", "validate"])
def test_invalid_case_gives_exit_2_for_plan_and_validate(command: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = write_case(tmp_path, {"format": "vcf-plan", "format_version": 1})
    code, out, err = run(capsys, command, path)
    assert (code, out) == (2, "")
    assert f'{path}: format: "vcf-plan" — a plan file, not a case file' in err


def test_case_from_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DEMO.read_bytes())))
    assert run(capsys, "validate", "-")[0] == 0
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[]")))
    code, _, err = run(capsys, "validate", "-")
    assert code == 2 and err.startswith("<stdin>: the top level must be a JSON object")


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = str(tmp_path / "nope.json")
    assert run(capsys, "plan", path) == (2, "", f"{path}: no such file\n{path}: not a valid case file (1 problem)\n")


def test_schema_is_the_case_model_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert json.loads(out) == Case.model_json_schema()
    assert out.startswith("{\n  ")


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_protocol_prints_how_it_works(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    from vcf_desktop.engine import load_protocol
    from vcf_desktop.report.protocol_doc import render_protocol_html, render_protocol_text

    p = load_protocol()
    code, out, _ = run(capsys, "protocol", "--format", fmt)
    assert code == 0
    doc = (render_protocol_text if fmt == "text" else render_protocol_html)(p)
    assert out == doc if fmt == "html" else out.startswith(f"id: {p.id}\nversion: {p.version}\n") and out.endswith(doc)
    assert p.sha256 in out and p.version in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from vcf_desktop.engine import load_protocol

    p = load_protocol()
    code, out, _ = run(capsys, "--version")
    assert code == 0
    pattern = rf"vcf-desktop \S+ \(protocol {re.escape(p.id)} {re.escape(p.version)} sha256 {p.sha256}, [^)]+\)\n"
    assert re.fullmatch(pattern, out), out


@pytest.mark.parametrize("argv", [["--help"], *[[c, "--help"] for c in ("plan", "recheck", "validate", "schema",
                                                                         "protocol", "selftest")]])
def test_every_command_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.startswith("usage: vcf-desktop")


@pytest.mark.parametrize("argv", [["plan"], ["frobnicate"], ["plan", "x.json", "--format", "docx"],
                                  ["plan", "x.json", "--audience", "family"], []])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert "usage: vcf-desktop" in err and "Traceback" not in err


def _boom(*_: object, **__: object) -> None:
    raise RuntimeError("engine exploded")


def _explode_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways the engine is called: as plain data (a JSON plan) and as the Plan model (every other format)."""
    monkeypatch.setattr(sys.modules["vcf_desktop.engine.evaluate"], "evaluate_data", _boom)
    monkeypatch.setattr("vcf_desktop.engine.evaluate", _boom)


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_internal_error_is_short_without_traceback(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    _explode_engine(monkeypatch)
    monkeypatch.delenv("VCF_DEBUG", raising=False)
    code, out, err = run(capsys, "plan", str(DEMO), "--format", fmt)
    assert (code, out) == (1, "")
    assert err == ("vcf-desktop: internal error: RuntimeError: engine exploded\n"
                   "vcf-desktop: set VCF_DEBUG=1 to see the traceback\n")


def test_internal_error_traceback_with_vcf_debug(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _explode_engine(monkeypatch)
    monkeypatch.setenv("VCF_DEBUG", "1")
    code, _, err = run(capsys, "plan", str(DEMO))
    assert code == 1
    assert err.startswith("Traceback") and "RuntimeError: engine exploded" in err


def test_selftest_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "selftest")
    lines = out.splitlines()
    assert code == 0, out
    assert len(lines) >= 10 and all(line.startswith("OK ") for line in lines[:-1]), out
    assert lines[-1] == "selftest: all checks passed"
    assert any(line.startswith("OK   pdf: ") and "fonts embedded" in line for line in lines)


def test_selftest_reports_a_failure_and_exits_1(monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("vcf_desktop.report.render_html", lambda *a: "<html>no id here</html>")
    code, out, _ = run(capsys, "selftest")
    assert code == 1
    assert "FAIL html: the case id typical-l2-wedge is not in the report" in out
    assert "OK   pdf: " in out  # the later checks still ran
    assert out.splitlines()[-1] == "selftest: 1 check(s) failed"


# --- the process as users start it -------------------------------------------------------------------------


def test_console_script_plan_and_exit_codes(tmp_path: Path) -> None:
    done = run_process("plan", str(DEMO), "--format", "json")
    assert (done.returncode, done.stderr) == (0, "")
    Plan.model_validate_json(done.stdout)
    bad = copy.deepcopy(json.loads(DEMO.read_text(encoding="utf-8")))
    bad["symptoms"]["pain_nrs"] = 11
    done = run_process("validate", write_case(tmp_path, bad))
    assert done.returncode == 2
    assert "symptoms.pain_nrs: 11 — must be at most 10; allowed: integer 0–10" in done.stderr
    assert "Traceback" not in done.stderr


def test_python_dash_m_works_and_reads_stdin() -> None:
    done = subprocess.run([sys.executable, "-m", "vcf_desktop", "validate", "-"],
                          input=DEMO.read_text(encoding="utf-8"), capture_output=True, text=True, timeout=60,
                          check=False)
    assert (done.returncode, done.stdout) == (0, "valid: typical-l2-wedge (1 fracture)\n")


def _headless_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="X11/Wayland only")
@pytest.mark.parametrize("argv", [[], ["--exit-after-show"], [str(DEMO)]])
def test_gui_without_display_explains_instead_of_aborting(argv: list[str]) -> None:
    done = run_process(*argv, env=_headless_env())
    assert done.returncode == 2
    assert "no display" in done.stderr and "vcf-desktop plan CASE.json --format text" in done.stderr
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr


@pytest.mark.parametrize(("argv", "gui"), [
    ([], True), (["--exit-after-show"], True), (["case.json"], True), (["--exit-after-show", "case.json"], True),
    (["plan", "case.json"], False), (["validate", "x.json"], False), (["--version"], False), (["--help"], False),
    (["-h"], False), (["schema"], False), (["selftest"], False), (["plna", "x.json"], False), (["bogus"], False),
])
def test_wants_gui(argv: list[str], gui: bool) -> None:
    assert wants_gui(argv) is gui


@pytest.mark.parametrize(("env", "missing"), [
    ({}, True), ({"DISPLAY": ":0"}, False), ({"WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
])
def test_display_missing(env: dict[str, str], missing: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", "linux")
    assert display_missing() is missing


def test_a_closed_pipe_is_not_an_error(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def closed(*_: object) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr("vcf_desktop.cli.commands.schema", closed)
    assert run(capsys, "schema") == (0, "", "")


def test_gui_that_cannot_load_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from vcf_desktop.__main__ import main as entry

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setitem(sys.modules, "vcf_desktop.gui.app", None)  # importing it now raises ImportError
    assert entry([]) == 1
    assert capsys.readouterr().err.startswith("vcf-desktop: the wizard cannot start: ")


def test_output_to_a_legacy_code_page_pipe_is_utf8(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import io

    expected = run(capsys, "plan", str(DEMO), "--format", "text")[1]
    assert any(ord(ch) > 255 for ch in expected)  # e.g. ≥, —: not in cp1252
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="cp1252"))
    assert main(["plan", str(DEMO), "--format", "text"]) == 0
    sys.stdout.flush()
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")  # generated_at: the time of each run
    assert stamp.sub("<generated>", raw.getvalue().decode("utf-8")) == stamp.sub("<generated>", expected)


def test_the_parser_lists_the_same_commands_and_audiences_as_the_rest_of_the_program() -> None:
    import argparse

    from vcf_desktop.cli.entry import AUDIENCES, SUBCOMMANDS, build_parser
    from vcf_desktop.report.common import AUDIENCES as REPORT_AUDIENCES

    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert tuple(subparsers.choices) == SUBCOMMANDS
    assert AUDIENCES == REPORT_AUDIENCES


def test_a_case_file_alone_opens_the_wizard() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = run_process("--exit-after-show", str(DEMO), env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "empty: there is no JSON in it"),
    (b"[]", "the top level must be a JSON object {...} holding the case, not an array [...]"),
    (b"3.5", "the top level must be a JSON object {...} holding the case, not a number"),
    (b"null", "the top level must be a JSON object {...} holding the case, not null"),
    (b'{"format": "vcf-case", "format_version": 1, "patient": {', "the text ends too early (truncated?)"),
    (b"\xff\xfe{\x00}\x00", "not UTF-8 text: byte 0xFF at offset 0 (line 1)"),
    (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    (DEMO.read_bytes().replace(b'"egfr": 76', b'"egfr": NaN'), "labs.egfr: NaN — must be a finite number"),
], ids=["empty", "array", "number", "null", "truncated", "utf16", "deep", "nan"])
def test_malformed_files_exit_2_with_a_message(content: bytes, expected: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    for command in ("validate", "plan"):
        code, out, err = run(capsys, command, str(path))
        assert (code, out) == (2, "")
        assert expected in err and err.startswith(f"{path}: ") and "Traceback" not in err
