"""Layering: import-linter contracts (pyproject.toml) and, at run time, no Qt on the headless paths."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = Path(__file__).parent / "examples" / "typical-l2-wedge.json"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# Runs main() in a fresh interpreter and reports the exit code and whether any Qt module was loaded.
PROBE = """
import json, sys
from vcf_desktop.__main__ import main
code = main(json.loads(sys.argv[1]))
sys.stdout.flush()
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
sys.stderr.write("\\nPROBE " + json.dumps({"code": code, "qt": qt}) + "\\n")
"""


def probe(argv: list[str], env: dict[str, str] | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env=env, check=False)
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("PROBE ")]
    assert line, done.stderr
    return json.loads(line[-1].removeprefix("PROBE "))


def test_import_contracts_are_kept() -> None:
    exe = str(LINT_IMPORTS) if LINT_IMPORTS.exists() else shutil.which("lint-imports")
    assert exe, "import-linter is not installed"
    done = subprocess.run([exe], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    assert done.stdout.count(" KEPT") >= 4


@pytest.mark.parametrize("argv", [
    ["plan", str(DEMO), "--format", "json"],
    ["plan", str(DEMO), "--format", "text"],
    ["plan", str(DEMO), "--format", "html", "--audience", "patient"],
    ["validate", str(DEMO)],
    ["schema"],
    ["protocol"],
    ["--version"],
    ["--help"],
    ["plan", "--help"],
], ids=lambda a: " ".join(a[:1] + a[2:]))
def test_headless_commands_never_load_qt(argv: list[str]) -> None:
    assert probe(argv) == {"code": 0, "qt": []}


def test_an_invalid_case_loads_no_qt_either(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    assert probe(["plan", str(bad)]) == {"code": 2, "qt": []}


def test_the_probe_does_see_qt_when_it_is_loaded(tmp_path: Path) -> None:
    """The PDF path does load Qt: proof that the probe above would notice."""
    result = probe(["plan", str(DEMO), "--format", "pdf", "-o", str(tmp_path / "p.pdf")])
    assert result["code"] == 0 and "PySide6.QtGui" in result["qt"]
