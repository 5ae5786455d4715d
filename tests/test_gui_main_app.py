"""`python -m vcf_desktop --exit-after-show` and gui.app.run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "VCF_DESKTOP_DATA_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-m", "vcf_desktop", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_exit_after_show_exits_zero(tmp_path):
    result = _run("--exit-after-show", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_exit_after_show_with_a_case_file(tmp_path, examples_dir):
    result = _run(str(examples_dir / "typical-l2-wedge.json"), "--exit-after-show", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "autosave" / "current.vcfdraft.json").exists()


def test_exit_after_show_with_a_damaged_case_never_blocks(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = _run(str(bad), "--exit-after-show", tmp_path=tmp_path)
    assert result.returncode == 2 and "not valid JSON" in result.stderr
    assert bad.read_text(encoding="utf-8") == "{"


def test_a_broken_protocol_is_reported_and_exits_1(qapp, monkeypatch, capsys):
    from PySide6.QtWidgets import QMessageBox

    from vcf_desktop.engine import protocol as protocol_module
    from vcf_desktop.gui import app

    def broken(path=None):
        raise protocol_module.ProtocolError("rules[3]: citation 'XX-1' is not in [references]")

    shown = []
    monkeypatch.setattr(protocol_module, "load_protocol", broken)
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text)))
    assert app.run([]) == 1
    assert "XX-1" in shown[0] and "XX-1" in capsys.readouterr().err
