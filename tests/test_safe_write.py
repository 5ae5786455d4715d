"""The one safe writer: exclusive temporary file, verified before the rename, refused targets, nothing left behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from vcf_desktop.domain import safe_write
from vcf_desktop.domain.pdf_check import PdfCheckError, check_pdf, page_count
from vcf_desktop.domain.safe_write import (
    TargetRefused, WriteError, check_target, safe_stem, sweep_temps, write_bytes, write_text,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types")


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_and_replaces_keeping_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    assert write_text(target, "one\n") == target
    target.chmod(0o640)
    write_text(target, "two ≥ µ\n")
    assert target.read_text(encoding="utf-8") == "two ≥ µ\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert names(tmp_path) == ["a.txt"]


def test_private_files_are_owner_only(tmp_path: Path) -> None:
    write_text(tmp_path / "draft.json", "{}", private=True)
    assert stat.S_IMODE((tmp_path / "draft.json").stat().st_mode) == 0o600


def _fail_after(monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    """Every write stops with ENOSPC once `limit` bytes have gone out, as on a full disk."""
    real_write, sent = os.write, [0]

    def write(fd: int, data: bytes) -> int:
        if sent[0] + len(data) > limit:
            room = limit - sent[0]
            if room <= 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            data = bytes(data[:room])
        sent[0] += len(data)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)


def test_a_full_disk_midway_keeps_the_old_file_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"OLD GOOD PDF")
    _fail_after(monkeypatch, 1000)
    with pytest.raises(WriteError, match=f"cannot write {target}: No space left on device"):
        write_bytes(target, b"x" * 100_000)
    assert target.read_bytes() == b"OLD GOOD PDF"
    assert names(tmp_path) == ["plan.pdf"]


def test_what_does_not_verify_is_not_put_in_place(tmp_path: Path) -> None:
    target = tmp_path / "t.pdf"
    target.write_bytes(b"OLD")

    def reject(_: bytes) -> None:
        raise PdfCheckError("no PDF header")

    with pytest.raises(WriteError, match="did not verify \\(no PDF header\\)"):
        write_bytes(target, b"not a pdf", verify=reject)
    assert target.read_bytes() == b"OLD" and names(tmp_path) == ["t.pdf"]


def test_a_short_read_back_is_caught(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_write, "_read_back", lambda fd: b"trunc")
    with pytest.raises(WriteError, match="read back differs"):
        write_text(tmp_path / "x.txt", "truncated on the way")
    assert names(tmp_path) == []


def test_a_failing_rename_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "c.json"
    target.write_text("OLD")
    monkeypatch.setattr(os, "replace", lambda *_: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(WriteError, match="I/O error"):
        write_text(target, "NEW")
    assert target.read_text() == "OLD" and names(tmp_path) == ["c.json"]


@posix_only
def test_a_symlink_planted_at_the_temporary_name_is_not_followed(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    monkeypatch.setattr(safe_write.secrets, "token_hex", lambda n: "0" * 2 * n)  # make the name predictable
    target = tmp_path / "out.txt"
    planted = safe_write._temp_name(target)
    planted.symlink_to(victim)
    with pytest.raises(WriteError, match="cannot write"):
        write_text(target, "attacker-controlled?")
    assert victim.read_text() == "precious" and not target.exists()


def test_temporary_names_are_unpredictable(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    first, second = safe_write._temp_name(target), safe_write._temp_name(target)
    assert first != second and first.parent == tmp_path and first.name.startswith(".a.pdf.")


@posix_only
def test_a_symlink_at_the_target_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "plan.txt"
    link.symlink_to(victim)
    with pytest.raises(TargetRefused, match="symbolic link"):
        write_text(link, "x")
    assert victim.read_text() == "precious" and link.is_symlink()
    stdout_link = tmp_path / "out.txt"
    stdout_link.symlink_to("/dev/stdout")
    with pytest.raises(TargetRefused, match="symbolic link"):
        write_text(stdout_link, "x")


@posix_only
def test_fifos_devices_and_folders_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(TargetRefused, match="named pipe"):
        write_text(fifo, "x")  # and no hang: nothing opened it
    with pytest.raises(TargetRefused, match="device"):
        check_target("/dev/null")
    with pytest.raises(TargetRefused, match="a folder"):
        write_text(tmp_path, "x")
    with pytest.raises(TargetRefused, match="does not exist"):
        write_text(tmp_path / "missing" / "x.txt", "x")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write read-only files")
def test_read_only_target_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "ro.txt"
    target.write_text("keep")
    target.chmod(0o444)
    with pytest.raises(TargetRefused, match="read-only"):
        write_text(target, "x")
    assert target.read_text() == "keep"


def test_read_only_target_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "ro.txt"
    target.write_text("keep")
    target.chmod(0o444)
    with pytest.raises(TargetRefused, match="read-only"):
        write_text(target, "x")
    assert target.read_text() == "keep"


@posix_only
def test_the_input_file_is_protected_under_every_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = tmp_path / "case.json"
    case.write_text("CASE")
    (tmp_path / "hard.json").hardlink_to(case)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    for name in (case, "../case.json", tmp_path / "hard.json"):
        with pytest.raises(TargetRefused, match="is the input file"):
            write_text(name, "PLAN", protect=[case])
    with pytest.raises(TargetRefused, match="is the input file"):
        write_text(case, "PLAN", protect=["../hard.json"])
    assert case.read_text() == "CASE"
    write_text(tmp_path / "other.json", "PLAN", protect=[case])


def test_stale_temporary_files_are_swept(tmp_path: Path) -> None:
    dead = tmp_path / ".case.json.999999999-0123456789abcdef.tmp"  # no such process
    old = tmp_path / f".case.json.{os.getpid()}-0123456789abcdef.tmp"
    live = tmp_path / f".other.json.{os.getpid()}-fedcba9876543210.tmp"
    unrelated = tmp_path / ".case.json.tmp"
    for p in (dead, old, live, unrelated):
        p.write_text("patient data")
    os.utime(old, (1, 1))
    assert sorted(p.name for p in sweep_temps(tmp_path)) == sorted([dead.name, old.name])
    assert names(tmp_path) == sorted([live.name, unrelated.name])


def test_a_write_sweeps_leftovers_of_its_own_target(tmp_path: Path) -> None:
    leftover = tmp_path / ".c.json.999999999-0123456789abcdef.tmp"
    leftover.write_text("half a case")
    write_text(tmp_path / "c.json", "{}")
    assert names(tmp_path) == ["c.json"]


@pytest.mark.parametrize(("text", "stem"), [
    ("../../etc/passwd", "etc-passwd"), ("a/b\\c", "a-b-c"), ("..", "case"), ("", "case"), (None, "case"),
    ("ok-id 7", "ok-id 7"), ("x\u202edcba", "xdcba"), ("line\nbreak", "linebreak"), ("C:evil", "C-evil"),
    ("a..b", "a.b"), ("z" * 100, "z" * 64),
])
def test_safe_stem(text: str | None, stem: str) -> None:
    assert safe_stem(text, "case") == stem


def _pdf(pages: int) -> bytes:
    """A minimal classic-xref PDF with `pages` pages."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (3 + i) for i in range(pages)) + b"] /Count %d >>" % pages]
    objs += [b"<< /Type /Page /Parent 2 0 R >>"] * pages
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_pdf_check_reads_the_page_count_and_rejects_damage() -> None:
    good = _pdf(3)
    assert page_count(good) == 3
    check_pdf(good, 3)
    with pytest.raises(PdfCheckError, match="has 3 pages, expected 2"):
        check_pdf(good, 2)
    for cut in (len(good) - 3, len(good) // 2, 20, 0):
        with pytest.raises(PdfCheckError):
            check_pdf(good[:cut])
    with pytest.raises(PdfCheckError, match="header"):
        check_pdf(b"GIF89a" + good[6:])
    damaged = good.replace(b"2 0 obj", b"2 0 jbo")
    with pytest.raises(PdfCheckError, match="object 2"):
        check_pdf(damaged)
    lying = good.replace(b"/Count 3", b"/Count 4")
    with pytest.raises(PdfCheckError, match="counts 4 pages but 3"):
        check_pdf(lying)


SAVER = """
import json, sys
from vcf_desktop.domain.safe_write import write_text
n = 0
print("go", flush=True)
while True:
    n += 1
    write_text(sys.argv[1], json.dumps({"n": n, "pad": "x" * 300_000}))
"""


@posix_only
def test_kill_9_during_saves_leaves_the_old_or_the_new_file_and_no_copy_after_a_sweep(tmp_path: Path) -> None:
    import json
    import random
    import signal
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parent.parent
    target, left_over = tmp_path / "case.json", 0
    for kill in range(10):
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(target)], stdout=subprocess.PIPE, cwd=root,
                                env={**os.environ, "PYTHONPATH": str(root)})
        assert proc.stdout is not None and proc.stdout.readline() == b"go\n"
        time.sleep(random.uniform(0.05, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        if target.exists():
            data = json.loads(target.read_text(encoding="utf-8"))  # whole: the old or the new, never half
            assert len(data["pad"]) == 300_000
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        left_over += len(temps)
        assert sorted(sweep_temps(tmp_path)) == sorted(temps)  # the writer is dead: its copies go
        assert [p.name for p in tmp_path.iterdir()] in ([], ["case.json"])
    print(f"10 kills during saves: {left_over} temporary copies left, all swept")
