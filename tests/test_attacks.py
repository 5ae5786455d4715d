"""Thousands of generated malformed case files (tests/attack_cases.py) through the command line and the app's
open path: no traceback, no hang, nothing wrong accepted, and every rejection names the field (or, for a
damaged document, says what is wrong with the document).

The seed changes every run (print on failure; VCF_ATTACK_SEED=N repeats a run).
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from attack_cases import Attack, attacks
from test_gui_main_support import answers, data_dir, make_window  # noqa: F401

from vcf_desktop.cli import main
from vcf_desktop.gui.file_messages import label_of

SEED = int(os.environ.get("VCF_ATTACK_SEED", random.randrange(1 << 30)))
TIMEOUT_S = 10
MESSAGE_LIMIT = 1000  # a message quotes a value (and may list the choices), never the document
#: What a message about the document as a whole starts with (no single field is at fault).
DOCUMENT = ("not valid JSON at line", "not UTF-8 text", "empty: ", "the top level must be", "too large: ",
            "nested too deeply", "format: ", "format_version: ")
FIELD = re.compile(r"^[^\s:][^:]*: \S")  # "path: what is wrong" (an unknown key may be spelt anyhow)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Attack, Path]]:
    folder = tmp_path_factory.mktemp("attacks")
    out = []
    for n, attack in enumerate(attacks(SEED)):
        path = folder / f"{n:05d}.json"
        path.write_bytes(attack.data)
        out.append((attack, path))
    return out


@contextlib.contextmanager
def deadline(what: str) -> Iterator[None]:
    """Fail (instead of hanging the run) when one attack takes more than TIMEOUT_S."""
    def expire(*_: object) -> None:
        raise TimeoutError(f"{what} took more than {TIMEOUT_S} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def judge(attack: Attack, messages: list[str], name: str | None = None) -> list[str]:
    """What is wrong with the messages of a rejected attack ([] when they are right); `name` is how the
    field is named (its path, or in the app its label as it reads on screen)."""
    bad = [m for m in messages if len(m) > MESSAGE_LIMIT or "Traceback" in m or "sys.set_int" in m
           or "internal error" in m]
    if attack.path:
        named = re.compile(rf"^{re.escape(name or attack.path)}(?=[:\s.\[])")
        if not any(named.match(m) for m in messages):
            bad.append(f"no message names {name or attack.path}")
    bad += [m for m in messages if not FIELD.match(m) and not m.startswith(DOCUMENT)]
    return bad


def run_cli(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return code, err.getvalue()


def check_all(generated: list[tuple[Attack, Path]], attempt: Callable[[Attack, Path], list[str]]) -> None:
    failures = []
    for attack, path in generated:
        try:
            with deadline(attack.name):
                problems = attempt(attack, path)
        except Exception as exc:  # noqa: BLE001 - a traceback is the finding
            problems = [f"{type(exc).__name__}: {exc}"]
        if problems:
            failures.append(f"{attack.name} ({path.name}): {problems[:3]}")
    print(f"seed {SEED}: {len(generated)} attacks, {len(failures)} failures")
    assert not failures, f"seed {SEED} (VCF_ATTACK_SEED={SEED} repeats it): {len(failures)} failures\n" + \
        "\n".join(failures[:25])


def test_enough_attacks_of_every_kind(generated) -> None:
    assert len(generated) >= 2000
    assert sum(1 for a, _ in generated if a.path) >= 1500
    assert len({a.path for a, _ in generated if a.path}) >= 100  # every field of the contract


def test_attacks_through_the_command_line(generated) -> None:
    def attempt(attack: Attack, path: Path) -> list[str]:
        code, err = run_cli(["validate", str(path)])
        if code == 0:
            if attack.path:
                return [f"accepted a wrong {attack.path}"]
            code, err = run_cli(["plan", str(path), "--format", "text"])  # an accepted file must plan
            return [] if code == 0 else [f"plan exit {code}: {err[-300:]}"]
        if code != 2:
            return [f"exit {code}: {err[-300:]}"]
        prefix = f"{path}: "
        lines = err.split("\n")[:-1]
        if not lines or not all(line.startswith(prefix) for line in lines):
            return [f"unexpected stderr: {err[:300]}"]
        return judge(attack, [line[len(prefix):] for line in lines[:-1]])

    check_all(generated, attempt)


def test_attacks_through_the_apps_open_path(generated, make_window, answers) -> None:
    window = make_window()

    def attempt(attack: Attack, path: Path) -> list[str]:
        before = len(answers["shown"])
        opened = window.open_path(path)
        shown = answers["shown"][before:]
        if opened:
            return [f"opened a wrong {attack.path}"] if attack.path else []
        if len(shown) != 1 or shown[0][0] != "Cannot open case file":
            return [f"no single 'Cannot open' message: {shown}"]
        bullets = [line[2:] for line in shown[0][1].split("\n") if line.startswith("• ")]
        label = label_of(attack.path) if attack.path else None  # the app names fields as on screen
        return judge(attack, bullets, label) if bullets else ["no problem listed"]

    check_all(generated, attempt)


def test_a_few_damaged_documents_through_a_real_process(generated) -> None:
    documents = [(a, p) for a, p in generated if not a.path][:3]
    for attack, path in documents:
        out = subprocess.run([sys.executable, "-m", "vcf_desktop", "validate", "-"], input=path.read_bytes(),
                             capture_output=True, timeout=60, check=False)
        assert out.returncode in (0, 2), (attack.name, out.stderr[-500:])
        assert b"Traceback" not in out.stderr
